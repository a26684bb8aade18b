// A step of an exemplar's record (the view's {action, actor, at, fields,
// reason, position}) shown with the definition's labels: what was done, by
// whom in which role and unit, when, and the fields it carried.
import { formatDate, formatDateTime, label, t } from '../../lib/i18n.js';
import { documentText } from '../../lib/reform.js';
import { DocumentList, isDocumentList } from './documents.jsx';
import { actionLabel, choiceLabel, roleLabel } from './load.js';

function actionOf(workflow, name) {
  return ((workflow && workflow.actions) || []).find((a) => a.name === name);
}

// Every criterion of every set by id, for their labels.
export function criteriaById(workflow) {
  const byId = {};
  for (const set of (workflow && workflow.criteria_sets) || []) {
    for (const criterion of set.criteria || []) byId[criterion.id] = criterion;
  }
  return byId;
}

function CriteriaTable({ rows, names }) {
  return (
    <table class="sc-criteria-table">
      <caption>{t('record.criteria')}</caption>
      <thead><tr><th scope="col">{t('record.criterion')}</th><th scope="col">{t('record.met')}</th><th scope="col">{t('record.evidence')}</th></tr></thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.criterion}>
            <td>{label(names[row.criterion]) || row.criterion}</td>
            <td class={row.met ? 'sc-yes' : 'sc-no'}>{row.met ? `✓ ${t('record.met')}` : `✗ ${t('record.not_met')}`}</td>
            <td>{row.evidence}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// A field's value in words: choices by label, dates dd/mm/yyyy, yes/no,
// units and users by name.
function valueText(field, value, names) {
  if (value === null || value === undefined || value === '') return '';
  const type = field && field.type;
  if (typeof value === 'boolean') return value ? t('record.yes') : t('record.no');
  if (type === 'date') return formatDate(value);
  if (type === 'unit') return names.units[value] || value;
  if (type === 'user') return names.users[value] || value;
  if (type === 'campaign') return (names.campaigns && names.campaigns[value]) || value;
  if (type === 'award_form') {
    const form = ((names.workflow && names.workflow.award_forms) || []).find((f) => f.name === value);
    if (form) return label(form);
  }
  if (Array.isArray(value)) return value.map((v) => choiceLabel(field, v)).join('; ');
  if (type === 'number' && field && field.max === 1) return `${Math.round(value * 100)}%`;
  return String(choiceLabel(field, value));
}

// Whether field `name` of a step of `action` holds documents.
function documentsTest(workflow, action) {
  const spec = actionOf(workflow, action);
  return (name, value) => {
    const field = spec && (spec.fields || []).find((f) => f.name === name);
    return field ? field.type === 'documents' && Array.isArray(value) : isDocumentList(value);
  };
}

// Whether a step carried any document, and any other field (the timeline
// shows the documents outside the step's folded details).
export function hasDocuments(action, fields, names) {
  const isDocuments = documentsTest(names.workflow, action);
  return Object.entries(fields || {}).some(([name, value]) => isDocuments(name, value) && value.length > 0);
}
export function hasOtherFields(action, fields, names) {
  const isDocuments = documentsTest(names.workflow, action);
  return Object.entries(fields || {}).some(([name, value]) => !isDocuments(name, value));
}

// The fields of a step as a definition list; `names` = {workflow, units,
// users, criteria, exemplar}; `exemplar` (the id, for the links to the
// step's documents) when names has none. `documents`: 'only' shows just
// the documents fields, 'skip' all but them, by default all.
export function FieldValues({ action, fields, names, exemplar, documents }) {
  const spec = actionOf(names.workflow, action);
  const fieldOf = (name) => spec && (spec.fields || []).find((f) => f.name === name);
  const isCriteria = ([name, value]) => {
    const field = fieldOf(name);
    return field && field.type === 'criteria_results' && Array.isArray(value);
  };
  const isDocuments = documentsTest(names.workflow, action);
  const entries = Object.entries(fields || {})
    .filter(([name, value]) => !isDocuments(name, value) || (value.length > 0 && documents !== 'skip'))
    .filter(([name, value]) => documents !== 'only' || isDocuments(name, value));
  const plain = entries.filter((entry) => !isCriteria(entry));
  const id = exemplar || names.exemplar;
  return (
    <>
      {plain.length ? (
        <dl class="sc-fields">
          {plain.map(([name, value]) => (
            <div key={name} class={isDocuments(name, value) ? 'sc-field-wide' : undefined}>
              <dt>{fieldOf(name) ? label(fieldOf(name)) : name}</dt>
              <dd>{isDocuments(name, value) ? <DocumentList exemplar={id} documents={value} /> : valueText(fieldOf(name), value, names)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {entries.filter(isCriteria).map(([name, value]) => <CriteriaTable key={name} rows={value} names={names.criteria} />)}
    </>
  );
}

export function Who({ actor, names }) {
  if (!actor) return null;
  const user = names.users[actor.user_id];
  return (
    <span class="sc-who">
      <strong>{user || actor.user_id}</strong>
      {user ? <span class="sc-muted"> ({actor.user_id})</span> : null}
      {' · '}{roleLabel(names.workflow, actor.role)}
      {' · '}{names.units[actor.unit_id] || actor.unit_id}
    </span>
  );
}

// Scrolls the timeline to an event and moves the focus there.
function showEvent(position) {
  const row = document.getElementById(`event-${position}`);
  if (row) {
    row.scrollIntoView({ block: 'center' });
    row.focus();
  }
}

// Text written for the exemplar (the step's on_behalf_of names it): the
// exemplar's own words, the officer only typed them.
export function OwnWords({ onBehalfOf, actor, names }) {
  if (!onBehalfOf || !actor) return null;
  return <p class="sc-own-words">{t('record.own_words', { officer: names.users[actor.user_id] || actor.user_id })}</p>;
}

// "Chuyển từ Xã Cam An sang Xã Cam Lâm theo 01/2025/NQ-MAU ngày 16/06/2025
// của …": a transfer (`fields` of the event) and its reorganisation.
export function transferText(fields, reorganisation, names) {
  const unit = (id) => names.units[id] || id;
  const moved = t('record.transferred', { from: unit(fields.from_unit_id), to: unit(fields.to_unit_id) });
  const basis = reorganisation && documentText(reorganisation.legal_basis);
  return basis ? `${moved} ${t('record.by_document', { document: basis })}` : moved;
}

export function Entry({ entry, names, heading }) {
  if (!entry) return null;
  return (
    <article class="sc-entry">
      <header>
        <span class="sc-entry-title">{heading || actionLabel(names.workflow, entry.action)}</span>
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      </header>
      <p><Who actor={entry.actor} names={names} /></p>
      <OwnWords onBehalfOf={entry.on_behalf_of} actor={entry.actor} names={names} />
      {entry.reason ? <p><strong>{t('record.reason')}:</strong> {entry.reason}</p> : null}
      <FieldValues action={entry.action} fields={entry.fields} names={names} />
      <button type="button" class="sc-link" onClick={() => showEvent(entry.position)}>
        {t('record.position')} {entry.position}
      </button>
    </article>
  );
}

// The steps inside any part of the view (a list of steps, or objects such
// as a replication holding steps), in time order.
export function stepsIn(value) {
  const steps = [];
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (v.action && v.at) steps.push(v);
      else Object.values(v).forEach(walk);
    }
  };
  walk(value);
  return steps.sort((a, b) => a.position - b.position);
}
