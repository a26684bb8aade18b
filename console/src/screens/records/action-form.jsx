// A form generated from an action's typed fields (GET /v1/actions and
// /v1/exemplars/{id}/actions): choices as selects with their labels, dates
// as date pickers, the definition's limits on the inputs. The server's
// refusal of a field shows under that field.
import { useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { label, t } from '../../lib/i18n.js';
import { Field, Problem } from '../../lib/ui.jsx';
import { ChoiceSelect, DayInput, UnitSelect, loadCampaigns, loadUsers } from './controls.jsx';
import { DocumentsInput, documentHashes, uploadsUnderWay } from './documents.jsx';
import { choicesOf, useLoad } from './load.js';

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

function hintOf(field) {
  const hints = [];
  if (field.min !== undefined && field.max !== undefined) hints.push(fill(t('acting.range'), field));
  if (field.max_length) hints.push(fill(t('acting.max_length'), { n: field.max_length }));
  if (field.type === 'string_list' && !choicesOf(field).length) hints.push(t('acting.list_hint'));
  if (field.type === 'period') hints.push('2026, 2026-Q4');
  if (field.type === 'documents') hints.push(t('documents.hint', { n: field.max_items || 10 }));
  return hints.join(' · ');
}

function UserSelect({ id, value, onChange, required }) {
  const { data } = useLoad(loadUsers, []);
  const choices = (data || []).filter((u) => u.active !== false)
    .map((u) => ({ value: u.id, text: `${u.full_name} (${u.id})` }));
  return <ChoiceSelect id={id} value={value} onChange={onChange} choices={choices} required={required} allLabel={t('acting.choose')} />;
}

function CampaignSelect({ id, value, onChange, required }) {
  const { data } = useLoad(loadCampaigns, []);
  const choices = (data || []).filter((c) => c.open)
    .map((c) => ({ value: c.campaign_id, text: c.name }));
  return <ChoiceSelect id={id} value={value} onChange={onChange} choices={choices} required={required} allLabel={t('acting.choose')} />;
}

// One row per criterion of the campaign's set: met or not, and evidence.
function CriteriaInput({ id, value, onChange, criteria }) {
  const rows = value || [];
  const set = (criterion, change) => {
    const others = rows.filter((r) => r.criterion !== criterion.id);
    const old = rows.find((r) => r.criterion === criterion.id) || { criterion: criterion.id, met: false, evidence: '' };
    onChange([...others, { ...old, ...change }]);
  };
  return (
    <fieldset id={id} class="sc-criteria">
      {(criteria || []).map((criterion) => {
        const row = rows.find((r) => r.criterion === criterion.id) || {};
        return (
          <div key={criterion.id} class="sc-criterion">
            <label>
              <input type="checkbox" checked={!!row.met} onChange={(e) => set(criterion, { met: e.currentTarget.checked })} />
              {' '}{label(criterion)}{criterion.mandatory ? ' *' : ''}
            </label>
            <input type="text" aria-label={`${t('record.evidence')}: ${label(criterion)}`} placeholder={t('record.evidence')}
              value={row.evidence || ''} onInput={(e) => set(criterion, { evidence: e.currentTarget.value })} />
          </div>
        );
      })}
    </fieldset>
  );
}

function Input({ field, id, value, onChange, context, describedBy }) {
  const common = { id, required: field.required, 'aria-describedby': describedBy };
  const choices = choicesOf(field);
  const awardForms = (context.workflow && context.workflow.award_forms) || [];
  switch (field.type) {
    case 'enum':
      return <ChoiceSelect {...common} value={value} onChange={onChange} choices={choices} allLabel={t('acting.choose')} />;
    case 'award_form':
      return <ChoiceSelect {...common} value={value} onChange={onChange} allLabel={t('acting.choose')}
        choices={choices.length ? choices : awardForms.map((f) => ({ value: f.name, vi: f.vi, en: f.en }))} />;
    case 'unit':
      return <UnitSelect {...common} value={value} onChange={onChange} allLabel={t('acting.choose')} />;
    case 'user':
      return <UserSelect {...common} value={value} onChange={onChange} />;
    case 'campaign':
      return <CampaignSelect {...common} value={value} onChange={onChange} />;
    case 'bool':
      return <input {...common} type="checkbox" required={false} checked={!!value} onChange={(e) => onChange(e.currentTarget.checked)} />;
    case 'date':
      return <DayInput id={id} required={field.required} describedBy={describedBy} value={value} onChange={onChange} />;
    case 'int':
    case 'number':
      return <input {...common} type="number" step={field.type === 'int' ? 1 : 'any'} min={field.min} max={field.max}
        value={value ?? ''} onInput={(e) => onChange(e.currentTarget.value)} />;
    case 'text':
      return <textarea {...common} rows={3} maxLength={field.max_length || undefined} value={value || ''} onInput={(e) => onChange(e.currentTarget.value)} />;
    case 'documents':
      return <DocumentsInput id={id} field={field} value={value} onChange={onChange} describedBy={describedBy} />;
    case 'criteria_results':
      return <CriteriaInput id={id} value={value} onChange={onChange} criteria={context.criteria} />;
    case 'string_list':
      if (choices.length) {
        return (
          <fieldset id={id} class="sc-checks" aria-describedby={describedBy}>
            {choices.map((choice) => (
              <label key={choice.value}>
                <input type="checkbox" checked={(value || []).includes(choice.value)}
                  onChange={(e) => onChange(e.currentTarget.checked ? [...(value || []), choice.value] : (value || []).filter((v) => v !== choice.value))} />
                {' '}{label(choice)}
              </label>
            ))}
          </fieldset>
        );
      }
      return <textarea {...common} rows={3} value={(value || []).join('\n')} onInput={(e) => onChange(e.currentTarget.value.split('\n'))} />;
    default:
      return <input {...common} type="text" maxLength={field.max_length || undefined} value={value || ''} onInput={(e) => onChange(e.currentTarget.value)} />;
  }
}

// The request body: typed values, empty optional fields left out.
function bodyOf(fields, values) {
  const body = {};
  for (const field of fields) {
    let value = values[field.name];
    if (field.type === 'documents') value = documentHashes(value);
    if (field.type === 'string_list' && Array.isArray(value)) value = value.map((v) => v.trim()).filter(Boolean);
    if (value === undefined || value === '' || (Array.isArray(value) && !value.length)) {
      if (field.type === 'bool' && field.required) body[field.name] = false;
      continue;
    }
    if (field.type === 'int') value = Number.parseInt(value, 10);
    if (field.type === 'number') value = Number(value);
    if (field.type === 'criteria_results') value = value.map((r) => ({ criterion: r.criterion, met: !!r.met, evidence: r.evidence || '' }));
    body[field.name] = value;
  }
  return body;
}

// The form of `action`. `submit(body)` sends it and resolves when done;
// its ApiError is shown at its field (or above the form). `extra` fields
// (e.g. an exemplar id) come before the action's own.
export function ActionForm({ action, submit, onCancel, context, extra }) {
  const fields = [...(extra || []), ...action.fields];
  const [values, setValues] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const formId = `form-${action.action}`;
  // Submitting waits while a document is still uploading.
  const uploading = fields.some((f) => f.type === 'documents' && uploadsUnderWay(values[f.name]));
  const onSubmit = async (event) => {
    event.preventDefault();
    if (uploading) return;
    setBusy(true);
    setError(null);
    try {
      await submit(bodyOf(fields, values));
    } catch (e) {
      setError(e);
      setBusy(false);
      const target = e.field && document.getElementById(`${formId}-${e.field.split(/[.[]/)[0]}`);
      if (target) target.focus();
    }
  };
  const errorField = error && error.field ? error.field.split(/[.[]/)[0] : '';
  const placed = fields.some((f) => f.name === errorField);
  // The heading's id has "--", which no field's id (formId-name) has: a
  // field named "title" once took the heading's id.
  return (
    <form class="sc-action-form" onSubmit={onSubmit} aria-labelledby={`${formId}--heading`} noValidate>
      <h3 id={`${formId}--heading`}>{label(action)}</h3>
      {error && !placed ? <Problem error={error} /> : null}
      {fields.map((field) => {
        const id = `${formId}-${field.name}`;
        const hint = hintOf(field);
        const describedBy = [hint ? `${id}-hint` : '', errorField === field.name ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
        return (
          <Field key={field.name} id={id} hint={hint || undefined}
            label={`${label(field)}${field.required ? ` (${t('acting.required')})` : ''}`}
            error={errorField === field.name ? error.detail : ''}>
            <Input field={field} id={id} value={values[field.name]} context={context || {}} describedBy={describedBy}
              onChange={(value) => setValues((old) => ({ ...old, [field.name]: typeof value === 'function' ? value(old[field.name]) : value }))} />
          </Field>
        );
      })}
      <div class="sc-form-buttons">
        <button type="submit" class="sc-button-primary" disabled={busy || uploading} aria-busy={busy}
          aria-describedby={uploading ? `${formId}-wait` : undefined}>{t('acting.submit')}</button>
        <button type="button" onClick={onCancel}>{t('acting.cancel')}</button>
      </div>
      {uploading ? <p id={`${formId}-wait`} class="sc-muted sc-form-wait">{t('documents.wait')}</p> : null}
    </form>
  );
}
