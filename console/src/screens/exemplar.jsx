// Hồ sơ: one exemplar as it is now or as it was at the end of any day
// (the API's as_of_day): subject, unit, mentor, nominations with their
// appraisal, comment, vote and decision, then honours, propagation,
// replications and evaluations, the timeline of every event, and the
// actions the signed-in person may take.
import { api } from '../lib/api.js';
import { formatDate, formatDateTime, label, t } from '../lib/i18n.js';
import { Loading, Page, Problem } from '../lib/ui.jsx';
import { kindLabel } from '../lib/reform.js';
import { ActingPanel } from './records/acting.jsx';
import { DateFilter, loadCampaigns, loadUsers, useUnitNames } from './records/controls.jsx';
import { Entry, criteriaById, stepsIn, transferText } from './records/entries.jsx';
import { choiceLabel, navigate, stateLabel, subjectField, useLoad, useWorkflow } from './records/load.js';
import { Timeline } from './records/timeline.jsx';

// Parts of the view shown in their own sections (the rest, whatever the
// definition makes of it, is shown generically).
const kOwnParts = ['timeline', 'nominations', 'mentor_history', 'transfers'];

function Summary({ view, names }) {
  const wf = names.workflow;
  const kind = subjectField(wf, 'kind_field');
  const domain = subjectField(wf, 'domain_field');
  const priority = subjectField(wf, 'priority_field');
  const path = (view.unit_path || []).map((u) => u.name).join(' › ');
  const rows = [
    [t('list.state'), <span class={`sc-state sc-state-${view.state}`}>{stateLabel(wf, view.state)}</span>],
    [kind ? label(kind) : t('record.subject'), choiceLabel(kind, view.subject_kind)],
    [domain ? label(domain) : 'field', choiceLabel(domain, view.field)],
    [t('record.unit'), path || view.unit_id],
    [t('record.mentor'), view.mentor_id ? `${names.users[view.mentor_id] || view.mentor_id}` : t('record.no_mentor')],
  ];
  if (priority && (view.priority_flags || []).length) {
    rows.push([label(priority), view.priority_flags.map((f) => choiceLabel(priority, f)).join('; ')]);
  }
  rows.push([t('record.version'), String(view.version)]);
  return (
    <dl class="sc-summary">
      {rows.map(([term, value]) => <div key={term}><dt>{term}</dt><dd>{value}</dd></div>)}
    </dl>
  );
}

function Nominations({ view, names }) {
  const nominations = view.nominations || [];
  if (!nominations.length) return null;
  return (
    <section aria-labelledby="nominations-title" class="sc-section">
      <h2 id="nominations-title">{t('record.nominations')}</h2>
      {nominations.map((nomination) => (
        <div key={nomination.number} class="sc-nomination">
          <h3>{t('record.nomination')} {nomination.number}</h3>
          {stepsIn(nomination).map((step) => <Entry key={step.position} entry={step} names={names} />)}
        </div>
      ))}
    </section>
  );
}

// Every other part of the view that holds steps, in one time-ordered list.
function Activity({ view, names }) {
  const steps = stepsIn(Object.entries(view).filter(([key]) => !kOwnParts.includes(key)).map(([, v]) => v));
  const mentors = stepsIn(view.mentor_history);
  const all = [...mentors, ...steps].sort((a, b) => a.position - b.position);
  if (!all.length) return null;
  return (
    <section aria-labelledby="activity-title" class="sc-section">
      <h2 id="activity-title">{t('record.activity')}</h2>
      {all.map((step) => <Entry key={step.position} entry={step} names={names} />)}
    </section>
  );
}

// Moves to another unit by a reorganisation, each with its legal basis.
function Transfers({ view, names }) {
  const transfers = view.transfers || [];
  if (!transfers.length) return null;
  return (
    <section aria-labelledby="transfers-title" class="sc-section">
      <h2 id="transfers-title">{t('record.transfers')}</h2>
      {transfers.map((transfer) => (
        <article key={transfer.position} class="sc-entry">
          <header>
            <span class="sc-entry-title">{transferText(transfer.fields, transfer.reorganisation, names)}</span>
            <span>{transfer.reorganisation ? `${kindLabel(transfer.reorganisation.kind)} · ` : ''}
              <time dateTime={transfer.at}>{formatDateTime(transfer.at)}</time></span>
          </header>
        </article>
      ))}
    </section>
  );
}

function AsOf({ id, query }) {
  return (
    <div class="sc-asof">
      <DateFilter id="record-as-of" label={t('record.as_of')} value={query.as_of}
        onChange={(day) => navigate(`/exemplars/${encodeURIComponent(id)}`, { as_of: day })} />
      {query.as_of ? (
        <button type="button" onClick={() => navigate(`/exemplars/${encodeURIComponent(id)}`, {})}>{t('record.today')}</button>
      ) : null}
    </div>
  );
}

export default function Exemplar({ me, params, query }) {
  const id = params.id;
  const q = query || {};
  const asOf = { as_of_day: q.as_of || undefined };
  const workflow = useWorkflow();
  const users = useLoad(loadUsers, []);
  const campaigns = useLoad(loadCampaigns, []);
  const units = useUnitNames();
  const view = useLoad(() => api.get(`/v1/exemplars/${encodeURIComponent(id)}`, { ...asOf, min_position: q.min_position }), [id, q.as_of, q.min_position]);
  const history = useLoad(() => api.get(`/v1/exemplars/${encodeURIComponent(id)}/history`, asOf), [id, q.as_of, q.min_position]);
  const userNames = {};
  for (const user of users.data || []) userNames[user.id] = user.full_name;
  const campaignNames = {};
  for (const campaign of campaigns.data || []) campaignNames[campaign.campaign_id] = campaign.name;
  const names = { workflow: workflow.data || {}, units, users: userNames, campaigns: campaignNames, criteria: criteriaById(workflow.data), exemplar: id };
  const reload = (position) => {
    if (position) navigate(`/exemplars/${encodeURIComponent(id)}`, { min_position: position });
    else {
      view.reload();
      history.reload();
    }
  };
  const notYet = view.error && view.error.status === 404 && q.as_of;
  const data = view.data;
  return (
    <Page title={data ? `${data.name} (${data.id})` : id}
      actions={<a href="#/exemplars" class="sc-back">{t('record.back')}</a>}>
      <AsOf id={id} query={q} />
      {q.as_of ? <p class="sc-past" role="status">{t('record.past')} {formatDate(q.as_of)}</p> : null}
      {notYet ? <p class="sc-past">{t('record.not_yet')}</p> : <Problem error={view.error} />}
      {view.loading && !data ? <Loading /> : null}
      {data ? (
        <div class="sc-record">
          <div class="sc-record-main">
            <Summary view={data} names={names} />
            <Transfers view={data} names={names} />
            <Nominations view={data} names={names} />
            <Activity view={data} names={names} />
          </div>
          <aside class="sc-record-side">
            {q.as_of ? <p class="sc-muted">{t('acting.past')}</p>
              : <ActingPanel id={id} view={data} workflow={names.workflow} me={me} onDone={reload} />}
          </aside>
        </div>
      ) : null}
      {data && history.data ? (
        <section aria-labelledby="timeline-title" class="sc-section">
          <h2 id="timeline-title">{t('record.timeline')}</h2>
          <Timeline events={history.data.events || []} names={names} selected={q.event}
            transfers={Object.fromEntries((data.transfers || []).map((tr) => [tr.position, tr]))} />
        </section>
      ) : null}
    </Page>
  );
}
