// Danh sách điển hình: filters (unit subtree, stage, subject kind, field,
// campaign, period, priority group), search ignoring diacritics, sort,
// cursor paging, CSV; detecting a new exemplar starts here. The filters
// live in the hash, so a filtered list can be bookmarked and shared.
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { formatDate, label, t } from '../lib/i18n.js';
import { Field, Loading, Page, Pager, Problem, Table } from '../lib/ui.jsx';
import { ActionForm } from './records/action-form.jsx';
import { ChoiceSelect, CsvButton, UnitFilter, loadCampaigns, useUnitNames } from './records/controls.jsx';
import { choiceLabel, choicesOf, navigate, stateLabel, subjectField, useLoad, useWorkflow } from './records/load.js';

const kPageSize = 50;
const kFilters = ['q', 'unit', 'state', 'subject_kind', 'field', 'campaign', 'period', 'priority', 'sort', 'order'];

function filtersOf(query) {
  const filters = {};
  for (const name of kFilters) if (query[name]) filters[name] = query[name];
  return filters;
}

function Filters({ filters, workflow }) {
  const [q, setQ] = useState(filters.q || '');
  const [period, setPeriod] = useState(filters.period || '');
  const campaigns = useLoad(loadCampaigns, []).data || [];
  const set = (name, value) => navigate('/exemplars', { ...filters, [name]: value });
  const states = (workflow.states || []).map((s) => ({ value: s.name, vi: s.vi, en: s.en }));
  const select = (name, text, choices) => (
    <Field id={`f-${name}`} label={text}>
      <ChoiceSelect id={`f-${name}`} value={filters[name]} choices={choices} onChange={(v) => set(name, v)} />
    </Field>
  );
  const kind = subjectField(workflow, 'kind_field');
  const domain = subjectField(workflow, 'domain_field');
  const priority = subjectField(workflow, 'priority_field');
  // Open on a wide screen; on a phone the list comes first.
  const wide = typeof matchMedia === 'undefined' || matchMedia('(min-width: 800px)').matches;
  return (
    <details class="sc-filters-box" open={wide || Object.keys(filters).length > 0}>
    <summary>{t('list.filters')}</summary>
    <form class="sc-filters" role="search" aria-label={t('list.filters')}
      onSubmit={(e) => { e.preventDefault(); navigate('/exemplars', { ...filters, q, period }); }}>
      <Field id="f-q" label={t('list.search')}>
        <input id="f-q" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      </Field>
      <UnitFilter id="f-unit" label={t('list.unit')} value={filters.unit} onChange={(v) => set('unit', v)} />
      {select('state', t('list.state'), states)}
      {kind ? select('subject_kind', label(kind), choicesOf(kind)) : null}
      {domain ? select('field', label(domain), choicesOf(domain)) : null}
      {select('campaign', t('list.campaign'), campaigns.map((c) => ({ value: c.campaign_id, text: c.name })))}
      <Field id="f-period" label={t('list.period')}>
        <input id="f-period" type="text" value={period} onInput={(e) => setPeriod(e.currentTarget.value)} size={8} />
      </Field>
      {priority ? select('priority', t('list.priority'), choicesOf(priority)) : null}
      {select('sort', t('list.sort'), ['id', 'name', 'detected'].map((v) => ({ value: v, text: t(`list.sort.${v}`) })))}
      {select('order', t('list.order'), ['asc', 'desc'].map((v) => ({ value: v, text: t(`list.order.${v}`) })))}
      <div class="sc-filter-buttons">
        <button type="submit" class="sc-button-primary">{t('common.apply')}</button>
        <button type="button" onClick={() => { setQ(''); setPeriod(''); navigate('/exemplars', {}); }}>{t('list.clear')}</button>
      </div>
    </form>
    </details>
  );
}

// The detect form, from GET /v1/actions; on success the new record opens.
function Detect({ workflow, onClose }) {
  const { data, error } = useLoad(() => api.get('/v1/actions'), []);
  if (error) return <Problem error={error} />;
  if (!data) return <Loading />;
  const actions = (data.actions || []).filter((a) => a.allowed);
  if (!actions.length) return <p>{label(data.actions[0] && data.actions[0].refusal) || t('acting.none')}</p>;
  const idField = { name: 'exemplar_id', type: 'string', required: false, vi: t('acting.exemplar_id'), en: t('acting.exemplar_id'), max_length: 64 };
  return actions.map((action) => (
    <ActionForm key={action.action} action={action} context={{ workflow }} extra={[idField]} onCancel={onClose}
      submit={async (body) => {
        const answer = await api.post('/v1/exemplars', body);
        const id = answer.exemplar_id || answer.id || body.exemplar_id;
        navigate(`/exemplars/${encodeURIComponent(id)}`, { min_position: answer.position });
      }} />
  ));
}

export default function Exemplars({ query }) {
  const filters = filtersOf(query || {});
  const cursor = (query && query.cursor) || '';
  // The cursors of the pages before this one ('_' is the first page).
  const back = (query && query.back) ? query.back.split(',').map((c) => (c === '_' ? '' : c)) : [];
  const backParam = (cursors) => cursors.map((c) => c || '_').join(',');
  const [detecting, setDetecting] = useState(false);
  const workflow = useWorkflow();
  const units = useUnitNames();
  const list = useLoad(() => api.get('/v1/exemplars', { ...filters, limit: kPageSize, cursor }), [JSON.stringify(filters), cursor]);
  const wf = workflow.data || {};
  const kind = subjectField(wf, 'kind_field');
  const domain = subjectField(wf, 'domain_field');
  const open = (row) => navigate(`/exemplars/${encodeURIComponent(row.id)}`, {});
  const columns = [
    { key: 'id', title: t('list.id'), render: (row) => <a href={`#/exemplars/${encodeURIComponent(row.id)}`}>{row.id}</a> },
    { key: 'name', title: t('list.name') },
    { key: 'state', title: t('list.state'), render: (row) => <span class={`sc-state sc-state-${row.state}`}>{stateLabel(wf, row.state)}</span> },
    { key: 'subject_kind', title: kind ? label(kind) : 'subject_kind', render: (row) => choiceLabel(kind, row.subject_kind) },
    { key: 'field', title: domain ? label(domain) : 'field', render: (row) => choiceLabel(domain, row.field) },
    { key: 'unit_id', title: t('list.unit_col'), render: (row) => units[row.unit_id] || row.unit_id },
    { key: 'detected_at', title: t('list.detected'), render: (row) => formatDate(row.detected_at) },
  ];
  const page = back.length + 1;
  const items = list.data ? list.data.items : [];
  return (
    <Page title={t('list.title')}
      actions={[
        <button key="detect" type="button" class="sc-button-primary" aria-expanded={detecting} onClick={() => setDetecting(!detecting)}>{t('list.detect')}</button>,
        <CsvButton key="csv" path="/v1/exemplars" query={filters} filename="dien-hinh.csv" />,
      ]}>
      {detecting ? <div class="sc-panel"><Detect workflow={wf} onClose={() => setDetecting(false)} /></div> : null}
      {workflow.data ? <Filters key={JSON.stringify(filters)} filters={filters} workflow={wf} /> : null}
      <Problem error={list.error || workflow.error} />
      {list.loading && !list.data ? <Loading /> : null}
      <div class="sc-list" aria-busy={list.loading} aria-live="polite">
        {list.data ? <Table caption={t('list.caption')} columns={columns} rows={items} rowKey={(row) => row.id} onRow={open} /> : null}
      </div>
      <Pager hasPrevious={back.length > 0} hasNext={!!(list.data && list.data.next_cursor && items.length === kPageSize)}
        summary={`${t('list.page')} ${page}`}
        onPrevious={() => navigate('/exemplars', { ...filters, cursor: back[back.length - 1] || '', back: backParam(back.slice(0, -1)) })}
        onNext={() => navigate('/exemplars', { ...filters, cursor: list.data.next_cursor, back: backParam([...back, cursor]) })} />
    </Page>
  );
}
