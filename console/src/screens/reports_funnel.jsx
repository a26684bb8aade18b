// Báo cáo, the annual registration funnel and propagation: who listed how
// many of their exemplars against the step's minimum and maximum, on time
// or not, and which the level above selected; and each unit's propagation
// work in a period, with its score and the paragraph a review report takes.
import { useState } from 'preact/hooks';
import { formatDate, formatDateTime, lang, t } from '../lib/i18n.js';
import { levelLabel } from '../lib/reform.js';
import { Table } from '../lib/ui.jsx';
import { Bars } from './records/bars.jsx';
import { useUnitsById, useUserNames } from './records/controls.jsx';
import { choicesOf } from './records/load.js';

const kTones = { on_time: 'good', late: 'warn', missing: 'bad', pending: undefined };

// `words`: the texts' prefix (a quarter's introductions, or a list).
export function StatusChip({ status, words = 'reports.status' }) {
  return <span class={`sc-status sc-status-${status}`}>{t(`${words}.${status}`)}</span>;
}

export function ExemplarLink({ id, name }) {
  return <a href={`#/exemplars/${encodeURIComponent(id)}`}>{name} ({id})</a>;
}

// A report row's unit name, with the units a reorganisation merged into it
// (its row holds their parts too) or those it went to (its row keeps its
// part); `lineage` is the row when the report says so, else the tree's.
export function UnitWithLineage({ row, units, lineage = units[row.unit_id] || {} }) {
  const names = (ids) => ids.map((id) => (units[id] || {}).name || id).join(', ');
  const predecessors = lineage.predecessors || [];
  const successors = lineage.successors || [];
  return (
    <>
      {row.unit_name}
      {predecessors.length ? <small class="sc-lineage">{t('reports.includes')} {names(predecessors)}</small> : null}
      {successors.length ? <small class="sc-lineage">→ {t('reports.merged_into')} {names(successors)}</small> : null}
    </>
  );
}

function ListedExemplars({ row, units }) {
  const list = row.exemplars || [];
  if (!list.length) return null;
  return (
    <details class="sc-listed">
      <summary>{list.length} {t('reports.listed_exemplars').toLowerCase()}</summary>
      <ul>
        {list.map((e) => (
          <li key={e.exemplar_id}>
            <ExemplarLink id={e.exemplar_id} name={e.name} />
            {e.registered_by && e.registered_by !== row.unit_id
              ? <span class="sc-muted"> · {t('reports.from_unit', { unit: units[e.registered_by] || e.registered_by })}</span> : null}
            {e.selected_above ? <span class="sc-yes"> · {t('reports.chosen_above')}</span> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function Registrations({ data }) {
  const rows = data.rows || [];
  const byId = useUnitsById();
  const units = Object.fromEntries(Object.values(byId).map((u) => [u.id, u.name]));
  const users = useUserNames();
  const statuses = ['on_time', 'late', 'missing', 'pending'].filter((s) => rows.some((r) => r.status === s));
  const columns = [
    { key: 'unit_name', title: t('reports.unit_col'), render: (r) => (
      <><UnitWithLineage row={r} units={byId} /><small class="sc-lineage">{levelLabel(r.level)} · {t(`reports.step.${r.step}`)}</small></>) },
    { key: 'listed', title: t('reports.listed'), render: (r) => (
      <>{r.listed} / {r.min}–{r.max}{r.short ? <span class="sc-no"> ({t('reports.short')})</span> : null}</>) },
    { key: 'status', title: t('reports.status'), render: (r) => (
      <><StatusChip status={r.status} words="reports.list_status" /><br /><small class="sc-muted">{t('reports.due')} {formatDate(r.due)}</small></>) },
    { key: 'registered_by_user', title: t('reports.registered_by'), class: 'wide-only', render: (r) => (r.registered_at
      ? <>{users[r.registered_by_user] || r.registered_by_user}<br /><small class="sc-muted">{formatDateTime(r.registered_at)}</small></> : '') },
    { key: 'selected_above', title: t('reports.selected_count'), class: 'wide-only', render: (r) => (r.step === 'register' ? r.selected_above : '') },
    { key: 'submitted_to', title: t('reports.submitted_to'), render: (r) => {
      if (r.step !== 'select') return '';
      if (!r.submitted_to) return <span class="sc-muted">{t('reports.not_submitted')}</span>;
      return (
        <>{units[r.submitted_to] || r.submitted_to}<br />
          <small class={r.submission_late ? 'sc-no' : 'sc-muted'}>
            {formatDate(r.submitted_at)}{r.submission_late ? ` · ${t('reports.late_submission')}` : ''}</small></>);
    } },
    { key: 'exemplars', title: t('reports.listed_exemplars'), render: (r) => <ListedExemplars row={r} units={units} /> },
  ];
  return (
    <>
      <div class="sc-charts">
        <Bars title={t('reports.registration_chart')} rows={rows.map((r) => ({
          key: r.unit_id, label: r.unit_name, value: r.listed, marker: r.min,
          text: `${r.listed} / ${r.min}–${r.max}`, tone: r.short ? 'warn' : kTones[r.status] }))} />
        <Bars title={t('reports.status_chart')} rows={statuses.map((s) => ({
          key: s, label: t(`reports.list_status.${s}`), value: rows.filter((r) => r.status === s).length, tone: kTones[s] }))} />
      </div>
      <p class="sc-muted sc-legend"><span class="sc-swatch sc-bar-good" /> {t('reports.list_status.on_time')}
        {' '}<span class="sc-swatch sc-bar-warn" /> {t('reports.late_or_short')}
        {' '}<span class="sc-swatch sc-swatch-marker" /> {t('reports.minimum')}</p>
      <Table caption={t('reports.registrations')} columns={columns} rows={rows} rowKey={(r) => r.unit_id} />
    </>
  );
}

// A channel's label: the definition's choice of that value, in whichever
// action field offers it.
function channelLabel(workflow, value) {
  for (const action of workflow.actions || []) {
    for (const field of action.fields || []) {
      const choice = choicesOf(field).find((c) => c.value === value);
      if (choice && (choice.vi || choice.en)) return lang() === 'en' ? choice.en || choice.vi : choice.vi;
    }
  }
  return value;
}

function CopyButton({ text, id }) {
  const [said, setSaid] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setSaid(t('reports.copied'));
    } catch {
      const paragraph = document.getElementById(id);
      if (paragraph) window.getSelection().selectAllChildren(paragraph);
      setSaid(t('reports.copy_failed'));
    }
  };
  return (
    <span class="sc-copy">
      <button type="button" class="sc-button-secondary" onClick={copy} aria-describedby={id}>{t('reports.copy')}</button>
      <span role="status" class="sc-muted">{said}</span>
    </span>
  );
}

function Summaries({ rows, open }) {
  return (
    <section class="sc-section" aria-labelledby="summaries-title">
      <h2 id="summaries-title">{t('reports.summary')}</h2>
      {rows.map((r) => {
        const text = lang() === 'en' ? r.summary_en : r.summary_vi;
        const id = `summary-${r.unit_id}`;
        return (
          <details key={r.unit_id} class="sc-summary-text" open={open === r.unit_id}>
            <summary>{r.unit_name}</summary>
            <p id={id}>{text}</p>
            <CopyButton text={text} id={id} />
          </details>
        );
      })}
    </section>
  );
}

export function Propagation({ data, workflow, q }) {
  const rows = data.rows || [];
  const units = useUnitsById();
  const users = useUserNames();
  const top = rows.find((r) => r.unit_id === q.unit) || rows.reduce((a, r) => (!a || r.items > a.items ? r : a), null);
  const channels = Object.entries((top && top.by_channel) || {}).sort((a, b) => b[1] - a[1]);
  const columns = [
    { key: 'unit_name', title: t('reports.unit_col'), render: (r) => <UnitWithLineage row={r} units={units} /> },
    { key: 'items', title: t('reports.items') },
    { key: 'by_channel', title: t('reports.by_channel'), class: 'wide-only', render: (r) => Object.entries(r.by_channel || {})
      .map(([c, n]) => `${channelLabel(workflow, c)}: ${n}`).join('; ') },
    { key: 'reach', title: t('reports.reach'), class: 'wide-only', render: (r) => r.reach.toLocaleString('vi-VN') },
    { key: 'exemplars_covered', title: t('reports.covered'), class: 'wide-only' },
    { key: 'replications', title: t('reports.replications'), render: (r) => `${r.replications_started} / ${r.replications_evaluated} / ${r.replications_adopted}` },
    { key: 'score', title: t('reports.score'), render: (r) => (r.score === null || r.score === undefined
      ? <span class="sc-muted">{t('reports.not_scored')}</span>
      : <><strong>{r.score}</strong><br /><small class="sc-muted">{users[r.scored_by] || r.scored_by} · {formatDate(r.scored_at)}</small></>) },
  ];
  const scored = rows.filter((r) => r.score !== null && r.score !== undefined);
  return (
    <>
      <div class="sc-charts">
        <Bars title={t('reports.score_chart')} max={100} rows={scored.map((r) => ({
          key: r.unit_id, label: r.unit_name, value: r.score }))} />
        {top ? (
          <Bars title={`${t('reports.by_channel')}: ${top.unit_name}`} rows={channels.map(([c, n]) => ({
            key: c, label: channelLabel(workflow, c), value: n }))} />
        ) : null}
      </div>
      <Table caption={t('reports.propagation')} columns={columns} rows={rows} rowKey={(r) => r.unit_id} />
      {rows.length ? <Summaries rows={rows} open={q.unit || (rows.length === 1 ? rows[0].unit_id : '')} /> : null}
    </>
  );
}
