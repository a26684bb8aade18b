// Báo cáo: yearly quotas, quarterly deadlines and follow-up, each as of
// any day (the API's as_of_day), as bars where looking beats reading, as
// tables, and as CSV.
import { api } from '../lib/api.js';
import { formatDate, label, t } from '../lib/i18n.js';
import { Field, Loading, Page, Pager, Problem, Table } from '../lib/ui.jsx';
import { Bars } from './records/bars.jsx';
import { ChoiceSelect, CsvButton, DateFilter, UnitFilter } from './records/controls.jsx';
import { choiceLabel, navigate, stateLabel, subjectField, useLoad, useWorkflow } from './records/load.js';

const kTabs = ['quotas', 'deadlines', 'follow_up'];
const kFollowUpPage = 100;
const kPaths = { quotas: '/v1/reports/quotas', deadlines: '/v1/reports/deadlines', follow_up: '/v1/reports/follow-up' };

// Today in UTC+7: {year, quarter}.
function today() {
  const local = new Date(Date.now() + 7 * 3600 * 1000);
  return { year: local.getUTCFullYear(), quarter: Math.floor(local.getUTCMonth() / 3) + 1 };
}

// The report's query from the route's: defaults filled in.
function reportQuery(tab, q) {
  const now = today();
  const base = { unit: q.unit, as_of_day: q.as_of };
  if (tab === 'quotas') return { ...base, year: q.year || now.year };
  if (tab === 'deadlines') return { ...base, year: q.year || now.year, quarter: q.quarter || now.quarter };
  return { ...base, no_mentor_days: q.no_mentor_days || 30 };
}

function Controls({ tab, q }) {
  const set = (name, value) => navigate('/reports', { ...q, tab, [name]: value });
  const query = reportQuery(tab, q);
  return (
    <form class="sc-filters" aria-label={t('list.filters')} onSubmit={(e) => e.preventDefault()}>
      {tab !== 'follow_up' ? (
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
  const count = (key) => ({ key, title: t(`reports.${key}`) });
  const columns = [
    { key: 'unit_name', title: t('reports.unit_col') },
    count('detected'), count('nominated'), count('approved'), count('honoured'), count('propagated'), count('replicated'),
    { key: 'propagated_and_replicated', title: t('reports.counted') },
    { key: 'minimum', title: t('reports.minimum') },
    { key: 'met', title: t('reports.met'), render: (r) => <span class={r.met ? 'sc-yes' : 'sc-no'}>{r.met ? `✓ ${t('reports.met')}` : `✗ ${t('reports.not_met')}`}</span> },
    { key: 'registration', title: t('reports.registration'), render: (r) => (r.registration
      ? `${r.registration.on_time + r.registration.late}/${r.registration.min}–${r.registration.max} (${t('reports.due')} ${formatDate(r.registration.due)})` : '') },
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
    { key: 'status', title: t('reports.status'), render: (r) => <span class={`sc-status sc-status-${r.status}`}>{t(`reports.status.${r.status}`)}</span> },
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
  const all = data.items || [];
  const categories = [...new Set(all.map((i) => i.category))];
  const items = q.category ? all.filter((i) => i.category === q.category) : all;
  // A province's follow-up runs to tens of thousands of items: the table
  // shows them a page at a time.
  const pages = Math.max(1, Math.ceil(items.length / kFollowUpPage));
  const page = Math.min(Math.max(1, Number(q.page) || 1), pages);
  const toPage = (n) => navigate('/reports', { ...q, tab: 'follow_up', page: n });
  const priority = subjectField(workflow, 'priority_field');
  const catLabel = (c) => (t(`reports.cat.${c}`) === `reports.cat.${c}` ? c : t(`reports.cat.${c}`));
  const columns = [
    { key: 'category', title: t('reports.category'), render: (r) => catLabel(r.category) },
    { key: 'exemplar_id', title: t('ledger.exemplar'), render: (r) => <a href={`#/exemplars/${encodeURIComponent(r.exemplar_id)}`}>{r.name} ({r.exemplar_id})</a> },
    { key: 'state', title: t('list.state'), render: (r) => stateLabel(workflow, r.state) },
    { key: 'since', title: t('reports.since'), render: (r) => formatDate(r.since) },
    { key: 'detail', title: t('reports.detail') },
  ];
  return (
    <>
      <p><strong>{t('reports.total')}:</strong> {data.total}</p>
      <div class="sc-charts">
        <Bars title={t('reports.follow_up')} rows={categories.map((c) => ({
          key: c, label: catLabel(c), value: all.filter((i) => i.category === c).length, tone: 'warn' }))} />
        <Bars title={t('reports.priority_shares')} max={1} rows={(data.priority || []).map((p) => ({
          key: p.flag, label: p.flag === 'any' ? t('reports.any_priority') : choiceLabel(priority, p.flag), value: p.share,
          text: `${p.count} (${Math.round(p.share * 100)}%)` }))} />
      </div>
      <Field id="r-category" label={t('reports.category')}>
        <ChoiceSelect id="r-category" value={q.category} choices={categories.map((c) => ({ value: c, text: catLabel(c) }))}
          onChange={(v) => navigate('/reports', { ...q, tab: 'follow_up', category: v, page: '' })} />
      </Field>
      <Table caption={t('reports.follow_up')} columns={columns} rowKey={(r) => `${r.category}-${r.exemplar_id}`}
        rows={items.slice((page - 1) * kFollowUpPage, page * kFollowUpPage)} />
      <Pager hasPrevious={page > 1} hasNext={page < pages} onPrevious={() => toPage(page - 1)} onNext={() => toPage(page + 1)}
        summary={`${t('list.page')} ${page}/${pages} · ${items.length} ${t('list.rows')}`} />
    </>
  );
}

export default function Reports({ query }) {
  const q = query || {};
  const tab = kTabs.includes(q.tab) ? q.tab : 'quotas';
  const workflow = useWorkflow();
  const report = useLoad(() => api.get(kPaths[tab], reportQuery(tab, q)), [tab, JSON.stringify(reportQuery(tab, q))]);
  const Body = { quotas: Quotas, deadlines: Deadlines, follow_up: FollowUp }[tab];
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
      {report.loading && !report.data ? <Loading /> : null}
      {report.data ? <div class="sc-report" aria-busy={report.loading}><Body data={report.data} workflow={workflow.data || {}} q={q} /></div> : null}
    </Page>
  );
}
