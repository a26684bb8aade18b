// Báo cáo, the reports that are lists of things to settle: the items by
// category as bars, a category filter, and the table a page at a time (a
// province's follow-up runs to tens of thousands of items). The
// reorganisation report is one: what still points at a unit a
// reorganisation ended, with what ended it and where to carry it.
import { t } from '../lib/i18n.js';
import { documentText, kindLabel } from '../lib/reform.js';
import { Field, Pager, Table } from '../lib/ui.jsx';
import { Bars } from './records/bars.jsx';
import { ChoiceSelect, loadReorganisations, useUnitNames } from './records/controls.jsx';
import { navigate, useLoad } from './records/load.js';
import { ExemplarLink } from './reports_funnel.jsx';

const kPage = 100;

export function categoryLabel(category) {
  const key = `reports.cat.${category}`;
  return t(key) === key ? category : t(key);
}

// items: [{category, …}]; `charts` go beside the category bars.
export function CategorisedItems({ tab, q, items: all, columns, rowKey, charts }) {
  const categories = [...new Set(all.map((i) => i.category))];
  const items = q.category ? all.filter((i) => i.category === q.category) : all;
  const pages = Math.max(1, Math.ceil(items.length / kPage));
  const page = Math.min(Math.max(1, Number(q.page) || 1), pages);
  const toPage = (n) => navigate('/reports', { ...q, tab, page: n });
  const caption = t(`reports.${tab}`);
  return (
    <>
      <div class="sc-charts">
        <Bars title={caption} rows={categories.map((c) => ({
          key: c, label: categoryLabel(c), value: all.filter((i) => i.category === c).length, tone: 'warn' }))} />
        {charts}
      </div>
      <Field id="r-category" label={t('reports.category')}>
        <ChoiceSelect id="r-category" value={q.category} choices={categories.map((c) => ({ value: c, text: categoryLabel(c) }))}
          onChange={(v) => navigate('/reports', { ...q, tab, category: v, page: '' })} />
      </Field>
      <Table caption={caption} columns={columns} rowKey={rowKey} rows={items.slice((page - 1) * kPage, page * kPage)} />
      <Pager hasPrevious={page > 1} hasNext={page < pages} onPrevious={() => toPage(page - 1)} onNext={() => toPage(page + 1)}
        summary={`${t('list.page')} ${page}/${pages} · ${items.length} ${t('list.rows')}`} />
    </>
  );
}

function EndedBy({ id, reorganisations }) {
  if (!id) return '';
  const reorganisation = reorganisations[id];
  if (!reorganisation) return <code>{id}</code>;
  return <>{kindLabel(reorganisation.kind)}<br /><small class="sc-muted">{documentText(reorganisation.legal_basis)}</small></>;
}

export function Reorganisation({ data, q }) {
  const units = useUnitNames();
  const reorganisations = useLoad(loadReorganisations, []).data || {};
  const unitLink = (id) => <a href={`#/units?unit=${encodeURIComponent(id)}`}>{units[id] || id}</a>;
  const columns = [
    { key: 'category', title: t('reports.category'), render: (r) => categoryLabel(r.category) },
    { key: 'subject', title: t('reports.subject'), render: (r) => (r.exemplar_id
      ? <ExemplarLink id={r.exemplar_id} name={r.name} />
      : <>{r.name} <span class="sc-muted">({r.user_id})</span></>) },
    { key: 'unit_id', title: t('reports.ended_unit'), render: (r) => unitLink(r.unit_id) },
    { key: 'ended_by', title: t('reports.ended_by'), render: (r) => <EndedBy id={r.ended_by} reorganisations={reorganisations} /> },
    { key: 'successors', title: t('reports.successors'), render: (r) => (r.successors || []).map((s, i) => <>{i ? ', ' : ''}{unitLink(s)}</>) },
    { key: 'detail', title: t('reports.detail'), class: 'wide-only' },
  ];
  return (
    <CategorisedItems tab="reorganisation" q={q} items={data.items || []} columns={columns}
      rowKey={(r) => `${r.category}-${r.exemplar_id}-${r.user_id}-${r.unit_id}-${r.detail}`} />
  );
}
