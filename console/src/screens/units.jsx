// Đơn vị: the unit tree of today or of any day, ended units marked with
// what ended them, search by any name a unit bore (diacritics optional),
// and a unit's lineage: the units it was formed from and went to, and each
// reorganisation with its legal basis. Read-only, for everyone signed in.
import { useEffect } from 'preact/hooks';
import { api } from '../lib/api.js';
import { formatDate, t } from '../lib/i18n.js';
import { documentText, kindLabel, levelLabel } from '../lib/reform.js';
import { flattenUnits } from '../lib/units.js';
import { Field, Loading, Page, Problem } from '../lib/ui.jsx';
import { DateFilter, loadReorganisations, useUnitNames } from './records/controls.jsx';
import { navigate, useLoad } from './records/load.js';

function Ended({ unit, reorganisations }) {
  if (unit.open !== false) return null;
  const by = reorganisations[unit.ended_by];
  return (
    <span class="chip" title={by ? documentText(by.legal_basis) : undefined}>
      {t('units.ended')}{by ? ` · ${kindLabel(by.kind)} ${by.legal_basis.document_number}` : ''}
    </span>
  );
}

function UnitList({ units, selected, onSelect, reorganisations, label }) {
  const names = useUnitNames();
  // The unit picked (from a link, say) is brought into the list's view.
  useEffect(() => {
    const picked = document.querySelector('.units-list .link.selected');
    if (picked) picked.scrollIntoView({ block: 'nearest' });
  }, [selected, units.length]);
  if (!units.length) return <p class="empty">{t('common.none')}</p>;
  return (
    <ul class="units-list" aria-label={label}>
      {units.map((unit) => (
        <li key={unit.id} style={{ paddingInlineStart: `${(unit.depth || 0) * 1.1}rem` }} class={unit.open === false ? 'unit-ended' : ''}>
          <button type="button" class={unit.id === selected ? 'link selected' : 'link'} aria-pressed={unit.id === selected}
            onClick={() => onSelect(unit.id)}>{unit.name}</button>
          {' '}<span class="sc-muted">{levelLabel(unit.level)}</span>
          {' '}<Ended unit={unit} reorganisations={reorganisations} />
          {unit.matched_name && unit.matched_name !== unit.name ? <small class="sc-lineage">{t('units.matched', { name: unit.matched_name })}</small> : null}
          {unit.through ? <small class="sc-lineage">{t('units.through', { name: names[unit.through] || unit.through })}</small> : null}
        </li>
      ))}
    </ul>
  );
}

function UnitButtons({ units, onSelect }) {
  return units.map((unit, i) => (
    <span key={unit.id}>{i ? ', ' : ''}
      <button type="button" class="link" onClick={() => onSelect(unit.id)}>{unit.name}</button>
    </span>
  ));
}

function Reorganisations({ list, names }) {
  return list.map((r) => (
    <article key={r.id} class="card">
      <h3>{kindLabel(r.kind)} · {formatDate(r.effective_at)}</h3>
      <dl>
        <dt>{t('units.basis')}</dt><dd>{documentText(r.legal_basis)}</dd>
        <dt>{t('units.ended_list')}</dt><dd>{(r.ended || []).map((id) => names[id] || id).join(', ')}</dd>
        <dt>{t('reports.successors')}</dt>
        <dd>{(r.successions || []).map((s) => `${names[s.from] || s.from} → ${s.to.map((id) => names[id] || id).join(', ')}`).join('; ')}</dd>
      </dl>
    </article>
  ));
}

function Lineage({ id, onSelect }) {
  const names = useUnitNames();
  const lineage = useLoad(() => api.get(`/v1/units/${encodeURIComponent(id)}/lineage`), [id]);
  const data = lineage.data;
  if (!data) return lineage.error ? <Problem error={lineage.error} /> : <Loading />;
  const unit = data.unit;
  return (
    <section class="lineage" aria-labelledby="lineage-title">
      <h2 id="lineage-title">{t('units.lineage')}: {unit.name}</h2>
      <dl>
        <dt>{t('reports.level')}</dt><dd>{levelLabel(unit.level)} · <code>{unit.id}</code>{unit.open === false ? ` · ${t('units.ended')}` : ''}</dd>
        {(unit.former_names || []).length ? <><dt>{t('units.former_names')}</dt><dd>{unit.former_names.join(', ')}</dd></> : null}
        {data.predecessors.length ? <><dt>{t('units.predecessors')}</dt><dd><UnitButtons units={data.predecessors} onSelect={onSelect} /></dd></> : null}
        {data.successors.length ? <><dt>{t('units.successors')}</dt><dd><UnitButtons units={data.successors} onSelect={onSelect} /></dd></> : null}
      </dl>
      <p><a href={`#/exemplars?unit=${encodeURIComponent(unit.id)}`}>{t('units.exemplars')}</a></p>
      {data.reorganisations.length ? <h3>{t('units.reorganisations')}</h3> : null}
      <Reorganisations list={data.reorganisations} names={names} />
    </section>
  );
}

export default function Units({ query }) {
  const q = query || {};
  const set = (changes) => navigate('/units', { ...q, ...changes });
  const reorganisations = useLoad(loadReorganisations, []).data || {};
  const tree = useLoad(() => api.get('/v1/units', q.q ? { q: q.q } : { as_of_day: q.as_of }), [q.q, q.as_of]);
  const all = tree.data ? (q.q ? tree.data.units || [] : flattenUnits(tree.data)) : [];
  const units = q.open_only ? all.filter((u) => u.open !== false) : all;
  return (
    <Page title={t('units.title')}>
      <form class="sc-filters" aria-label={t('list.filters')} onSubmit={(e) => e.preventDefault()}>
        <Field id="u-q" label={t('units.search')} hint={t('units.search_hint')}>
          <input id="u-q" type="search" value={q.q || ''} aria-describedby="u-q-hint" onChange={(e) => set({ q: e.currentTarget.value.trim() })} />
        </Field>
        <DateFilter id="u-as-of" label={t('units.tree_as_of')} value={q.as_of} onChange={(v) => set({ as_of: v })} />
        <div class="field sc-check">
          <label><input type="checkbox" checked={!!q.open_only} onChange={(e) => set({ open_only: e.currentTarget.checked ? '1' : '' })} /> {t('units.open_only')}</label>
        </div>
      </form>
      {q.as_of && !q.q ? <p class="sc-past" role="status">{t('record.past')} {formatDate(q.as_of)}</p> : null}
      <Problem error={tree.error} />
      {tree.loading && !tree.data ? <Loading /> : null}
      <div class="units-layout">
        <UnitList units={units} selected={q.unit} onSelect={(id) => set({ unit: id })} reorganisations={reorganisations}
          label={q.q ? t('units.search') : t('units.tree')} />
        <div>{q.unit ? <Lineage id={q.unit} onSelect={(id) => set({ unit: id })} /> : <p class="sc-muted">{t('units.pick')}</p>}</div>
      </div>
    </Page>
  );
}
