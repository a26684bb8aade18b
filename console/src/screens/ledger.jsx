// Sổ phê duyệt: who decided what and when, in which role and unit, on
// whose nomination, and whether they held that role at that moment (✓/✗);
// filters, CSV, and each row opens its exemplar at its event.
import { api } from '../lib/api.js';
import { formatDateTime, t } from '../lib/i18n.js';
import { Field, Loading, Page, Pager, Problem, Table } from '../lib/ui.jsx';
import { ChoiceSelect, CsvButton, DateFilter, UnitFilter, loadUsers, useUnitNames } from './records/controls.jsx';
import { actionLabel, navigate, roleLabel, useLoad, useWorkflow } from './records/load.js';

const kPageSize = 50;
const kFilters = ['action', 'actor', 'unit', 'from', 'to'];

function filtersOf(query) {
  const filters = {};
  for (const name of kFilters) if (query[name]) filters[name] = query[name];
  return filters;
}

// The actions that move an exemplar to another state: the decisions a
// ledger holds are among them.
function decisionChoices(workflow) {
  return ((workflow && workflow.actions) || []).filter((a) => a.to && !a.creates)
    .map((a) => ({ value: a.name, vi: a.vi, en: a.en }));
}

function Filters({ filters, workflow, users }) {
  const set = (name, value) => navigate('/ledger', { ...filters, [name]: value });
  const people = users.map((u) => ({ value: u.id, text: `${u.full_name} (${u.id})` }));
  return (
    <form class="sc-filters" aria-label={t('list.filters')} onSubmit={(e) => e.preventDefault()}>
      <Field id="l-action" label={t('ledger.action')}>
        <ChoiceSelect id="l-action" value={filters.action} choices={decisionChoices(workflow)} onChange={(v) => set('action', v)} />
      </Field>
      <Field id="l-actor" label={t('ledger.who')}>
        <ChoiceSelect id="l-actor" value={filters.actor} choices={people} onChange={(v) => set('actor', v)} />
      </Field>
      <UnitFilter id="l-unit" label={t('ledger.unit')} value={filters.unit} onChange={(v) => set('unit', v)} />
      <DateFilter id="l-from" label={t('ledger.from')} value={filters.from} onChange={(v) => set('from', v)} />
      <DateFilter id="l-to" label={t('ledger.to')} value={filters.to} onChange={(v) => set('to', v)} />
      <div class="sc-filter-buttons">
        <button type="button" onClick={() => navigate('/ledger', {})}>{t('list.clear')}</button>
      </div>
    </form>
  );
}

// The query for the server: the screen's filters, the newest decision
// first, and `to` past its day (the server's `to` is exclusive: the
// console's "to" day is included).
function serverFilters(filters) {
  const out = { ...filters, order: 'desc' };
  if (out.to) out.to = new Date(Date.parse(`${out.to}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
  return out;
}

function Held({ row }) {
  const text = row.role_held ? t('ledger.held_yes') : t('ledger.held_no');
  return (
    <span class={row.role_held ? 'sc-yes' : 'sc-no'} title={row.role_check || text}>
      <span aria-hidden="true">{row.role_held ? '✓' : '✗'}</span>
      <span class="visually-hidden">{text}</span>
    </span>
  );
}

export default function Ledger({ query }) {
  const q = query || {};
  const filters = filtersOf(q);
  const after = q.after || '';
  const back = q.back ? q.back.split(',').map((c) => (c === '_' ? '' : c)) : [];
  const backParam = (list) => list.map((c) => c || '_').join(',');
  const workflow = useWorkflow();
  const users = useLoad(loadUsers, []);
  const units = useUnitNames();
  const ledger = useLoad(() => api.get('/v1/ledger', { ...serverFilters(filters), limit: kPageSize, after }), [JSON.stringify(filters), after]);
  const wf = workflow.data || {};
  const names = {};
  for (const user of users.data || []) names[user.id] = user.full_name;
  const person = (id) => (id ? <span>{names[id] || id}{names[id] ? <span class="sc-muted"> ({id})</span> : null}</span> : '');
  const eventHref = (row) => `#/exemplars/${encodeURIComponent(row.exemplar_id)}?event=${row.position}`;
  const columns = [
    { key: 'at', title: t('ledger.when'), render: (row) => formatDateTime(row.at) },
    { key: 'action', title: t('ledger.action'), render: (row) => <a href={eventHref(row)} aria-label={`${actionLabel(wf, row.action)} ${row.exemplar_id}: ${t('ledger.open')}`}>{actionLabel(wf, row.action)}</a> },
    { key: 'exemplar_id', title: t('ledger.exemplar'), render: (row) => <a href={`#/exemplars/${encodeURIComponent(row.exemplar_id)}`}>{row.exemplar_id}</a> },
    { key: 'actor', title: t('ledger.who'), render: (row) => person(row.actor) },
    { key: 'role', title: t('ledger.role'), render: (row) => `${roleLabel(wf, row.role)} · ${units[row.unit_id] || row.unit_id}` },
    { key: 'nominator', title: t('ledger.nominator'), render: (row) => person(row.nominator) },
    { key: 'role_held', title: t('ledger.held'), render: (row) => <Held row={row} /> },
    { key: 'reason', title: t('ledger.reason') },
  ];
  const rows = ledger.data ? ledger.data.rows || [] : [];
  return (
    <Page title={t('ledger.title')}
      actions={<CsvButton path="/v1/ledger" query={serverFilters(filters)} filename="so-phe-duyet.csv" />}>
      {workflow.data ? <Filters filters={filters} workflow={wf} users={users.data || []} /> : null}
      <Problem error={ledger.error || workflow.error} />
      {ledger.loading && !ledger.data ? <Loading /> : null}
      <div class="sc-ledger" aria-busy={ledger.loading}>
        {ledger.data ? <Table caption={t('ledger.caption')} columns={columns} rows={rows} rowKey={(row) => row.position}
          onRow={(row) => { location.hash = eventHref(row); }} /> : null}
      </div>
      <Pager hasPrevious={back.length > 0} hasNext={!!(ledger.data && ledger.data.next_after_position && rows.length === kPageSize)}
        summary={`${t('list.page')} ${back.length + 1}`}
        onPrevious={() => navigate('/ledger', { ...filters, after: back[back.length - 1] || '', back: backParam(back.slice(0, -1)) })}
        onNext={() => navigate('/ledger', { ...filters, after: ledger.data.next_after_position, back: backParam([...back, after]) })} />
    </Page>
  );
}
