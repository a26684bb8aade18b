// Báo cáo: yearly quotas, quarterly deadlines, follow-up, the annual
// registration funnel, propagation and what a reorganisation left behind,
// each as of any day (the API's as_of_day), as bars where looking beats
// reading, as tables, and as CSV.
import { api } from '../lib/api.js';
import { formatDate, label, t } from '../lib/i18n.js';
import { Field, Loading, Page, Problem, Table } from '../lib/ui.jsx';
import { Bars } from './records/bars.jsx';
import { CsvButton, DateFilter, UnitFilter, useUnitsById } from './records/controls.jsx';
import { choiceLabel, navigate, stateLabel, subjectField, useLoad, useWorkflow } from './records/load.js';
import { ExemplarLink, Propagation, Registrations, StatusChip, UnitWithLineage } from './reports_funnel.jsx';
import { CategorisedItems, Reorganisation, categoryLabel } from './reports_items.jsx';

const kTabs = ['quotas', 'deadlines', 'follow_up', 'registrations', 'propagation', 'reorganisation'];
const kPaths = {
  quotas: '/v1/reports/quotas',
  deadlines: '/v1/reports/deadlines',
  follow_up: '/v1/reports/follow-up',
  registrations: '/v1/reports/registrations',
  propagation: '/v1/reports/propagation',
  reorganisation: '/v1/reports/reorganisation',
};
const kYearly = ['quotas', 'deadlines', 'registrations'];

// Today in UTC+7: {year, quarter}.
function today() {
  const local = new Date(Date.now() + 7 * 3600 * 1000);
  return { year: local.getUTCFullYear(), quarter: Math.floor(local.getUTCMonth() / 3) + 1 };
}

// The report's query from the route's: defaults filled in.
function reportQuery(tab, q) {
  const now = today();
  const base = { unit: q.unit, as_of_day: q.as_of };
  if (tab === 'quotas' || tab === 'registrations') return { ...base, year: q.year || now.year };
  if (tab === 'deadlines') return { ...base, year: q.year || now.year, quarter: q.quarter || now.quarter };
  if (tab === 'propagation') return { ...base, period: q.period || String(now.year) };
  if (tab === 'reorganisation') return base;
  return { ...base, no_mentor_days: q.no_mentor_days || 30 };
}

function Controls({ tab, q }) {
  const set = (name, value) => navigate('/reports', { ...q, tab, [name]: value });
  const query = reportQuery(tab, q);
  return (
    <form class="sc-filters" aria-label={t('list.filters')} onSubmit={(e) => e.preventDefault()}>
      {kYearly.includes(tab) ? (
        <Field id="r-year" label={t('reports.year')}>
          <input id="r-year" type="number" min="2000" max="2100" value={query.year} onChange={(e) => set('year', e.currentTarget.value)} />
        </Field>
      ) : null}
      {tab === 'deadlines' ? (
        <Field id="r-quarter" label={t('reports.quarter')}>
          <select id="r-quarter" value={query.quarter} onChange={(e) => set('quarter', e.currentTarget.value)}>
            {[1, 2, 3, 4].map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </Field>
      ) : null}
      {tab === 'propagation' ? (
        <Field id="r-period" label={t('reports.period')} hint={t('reports.period_hint')}>
          <input id="r-period" type="text" size={8} value={query.period} aria-describedby="r-period-hint"
            onChange={(e) => set('period', e.currentTarget.value.trim())} />
        </Field>
      ) : null}
      {tab === 'follow_up' ? (
        <Field id="r-days" label={t('reports.no_mentor_days')}>
          <input id="r-days" type="number" min="1" max="3650" value={query.no_mentor_days} onChange={(e) => set('no_mentor_days', e.currentTarget.value)} />
        </Field>
      ) : null}
      <UnitFilter id="r-unit" label={t('reports.unit')} value={q.unit} onChange={(v) => set('unit', v)} />
      <DateFilter id="r-as-of" label={t('common.as_of')} value={q.as_of} onChange={(v) => set('as_of', v)} />
    </form>
  );
}

function Quotas({ data }) {
  const rows = data.rows || [];
  const units = useUnitsById();
  // The stages before approval matter less at a glance: a phone leaves them out.
  const count = (key, narrow) => ({ key, title: t(`reports.${key}`), class: narrow ? 'wide-only' : undefined });
  const columns = [
    { key: 'unit_name', title: t('reports.unit_col'), render: (r) => <UnitWithLineage row={r} units={units} lineage={r} /> },
    count('detected', true), count('nominated', true), count('approved'), count('honoured'), count('propagated'), count('replicated'),
    { key: 'met', title: t('reports.counted_of_min'), render: (r) => (
      <span class={r.met ? 'sc-yes' : 'sc-no'}>{r.propagated_and_replicated}/{r.minimum} {r.met ? `✓ ${t('reports.met')}` : `✗ ${t('reports.not_met')}`}</span>) },
    { key: 'registration', title: t('reports.registration'), render: (r) => (r.registration
      ? <>{r.registration.on_time + r.registration.late}/{r.registration.min}–{r.registration.max}<br />
        <small class="sc-muted">{t('reports.due')} {formatDate(r.registration.due)}</small></> : '') },
  ];
  return (
    <>
      <Bars title={t('reports.quota_chart')} rows={rows.map((r) => ({
        key: r.unit_id, label: r.unit_name, value: r.propagated_and_replicated, ghost: r.approved, marker: r.minimum,
        text: `${r.propagated_and_replicated} / ${r.minimum}`, tone: r.met ? 'good' : 'warn' }))} />
      <p class="sc-muted sc-legend"><span class="sc-swatch sc-bar-warn" /> {t('reports.counted')}
        {' '}<span class="sc-swatch sc-bar-ghost" /> {t('reports.approved')}
        {' '}<span class="sc-swatch sc-swatch-marker" /> {t('reports.minimum')}</p>
      <Table caption={t('reports.quotas')} columns={columns} rows={rows} rowKey={(r) => r.unit_id} />
    </>
  );
}

function Deadlines({ data }) {
  const rows = data.rows || [];
  const statuses = ['on_time', 'late', 'missing'];
  const tones = { on_time: 'good', late: 'warn', missing: 'bad' };
  const columns = [
    { key: 'unit_name', title: t('reports.unit_col') },
    { key: 'introduced', title: t('reports.introduced') },
    { key: 'first_introduced_at', title: t('reports.first_introduced'), render: (r) => formatDate(r.first_introduced_at) },
    { key: 'status', title: t('reports.status'), render: (r) => <StatusChip status={r.status} /> },
  ];
  return (
    <>
      <p>
        <strong>{t('reports.due_before')}</strong> {formatDate(data.due_before)}
        {' · '}<strong>{t('reports.lead_blocs')}:</strong> {(data.lead_bloc_choices || []).map(label).join(', ')}
      </p>
      <Bars title={t('reports.deadlines')} rows={statuses.map((s) => ({
        key: s, label: t(`reports.status.${s}`), value: rows.filter((r) => r.status === s).length, tone: tones[s] }))} />
      <Table caption={t('reports.deadlines')} columns={columns} rows={rows} rowKey={(r) => r.unit_id} />
    </>
  );
}

function FollowUp({ data, workflow, q }) {
  const priority = subjectField(workflow, 'priority_field');
  const columns = [
    { key: 'category', title: t('reports.category'), render: (r) => categoryLabel(r.category) },
    { key: 'exemplar_id', title: t('ledger.exemplar'), render: (r) => <ExemplarLink id={r.exemplar_id} name={r.name} /> },
    { key: 'state', title: t('list.state'), render: (r) => stateLabel(workflow, r.state) },
    { key: 'since', title: t('reports.since'), render: (r) => formatDate(r.since) },
    { key: 'detail', title: t('reports.detail') },
  ];
  return (
    <>
      <p><strong>{t('reports.total')}:</strong> {data.total}</p>
      <CategorisedItems tab="follow_up" q={q} items={data.items || []} columns={columns}
        rowKey={(r) => `${r.category}-${r.exemplar_id}`}
        charts={<Bars title={t('reports.priority_shares')} max={1} rows={(data.priority || []).map((p) => ({
          key: p.flag, label: p.flag === 'any' ? t('reports.any_priority') : choiceLabel(priority, p.flag), value: p.share,
          text: `${p.count} (${Math.round(p.share * 100)}%)` }))} />} />
    </>
  );
}

export default function Reports({ query }) {
  const q = query || {};
  const tab = kTabs.includes(q.tab) ? q.tab : 'quotas';
  const workflow = useWorkflow();
  // Each answer keeps its tab: while another tab's report loads, the last
  // one is not handed to a body that reads other fields.
  const report = useLoad(() => api.get(kPaths[tab], reportQuery(tab, q)).then((data) => ({ tab, data })),
    [tab, JSON.stringify(reportQuery(tab, q))]);
  const shown = report.data && report.data.tab === tab ? report.data.data : null;
  const Body = { quotas: Quotas, deadlines: Deadlines, follow_up: FollowUp, registrations: Registrations, propagation: Propagation, reorganisation: Reorganisation }[tab];
  return (
    <Page title={t('reports.title')}
      actions={<CsvButton path={kPaths[tab]} query={reportQuery(tab, q)} filename={`bao-cao-${tab}.csv`} />}>
      <nav class="sc-tabs" aria-label={t('reports.title')}>
        {kTabs.map((name) => (
          <a key={name} href={`#/reports?tab=${name}`} aria-current={name === tab ? 'page' : undefined}>{t(`reports.${name}`)}</a>
        ))}
      </nav>
      <Controls tab={tab} q={q} />
      {q.as_of ? <p class="sc-past" role="status">{t('record.past')} {formatDate(q.as_of)}</p> : null}
      <Problem error={report.error} />
      {report.loading && !shown ? <Loading /> : null}
      {shown ? <div class="sc-report" aria-busy={report.loading}><Body data={shown} workflow={workflow.data || {}} q={q} /></div> : null}
    </Page>
  );
}
