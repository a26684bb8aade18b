// Tổng quan: the signed-in person's scope at a glance. This year's
// exemplars by stage, this quarter's introductions against the deadline
// unit by unit with the lead blocs, this year's quota progress against the
// minimums, and the follow-up alerts. The server scopes every report to
// what the person may read.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { formatDate, label, t } from '../lib/i18n.js';
import { Loading, Page, Problem } from '../lib/ui.jsx';
import { QuotaBars } from './overview_quotas.jsx';

const kOffsetMs = 7 * 3600 * 1000;
const kStages = ['detected', 'nominated', 'approved', 'honoured', 'propagated', 'replicated'];
const kCategories = ['no_mentor', 'approved_not_propagated', 'honoured_not_replicated',
  'replication_without_evaluation', 'no_evaluation_this_year'];
const kStatusOrder = { missing: 0, late: 1, on_time: 2 };
const kStatusTone = { missing: 'bad', late: 'warn', on_time: 'ok' };
const kAlertsShown = 8;

// Today in Vietnam (UTC+7): {year, quarter, day: "yyyy-mm-dd"}.
function today() {
  const local = new Date(Date.now() + kOffsetMs);
  return {
    year: local.getUTCFullYear(),
    quarter: Math.floor(local.getUTCMonth() / 3) + 1,
    day: local.toISOString().slice(0, 10),
  };
}

function daysBetween(fromDay, toDay) {
  return Math.round((Date.parse(toDay) - Date.parse(fromDay)) / 86400000);
}

// Every unit of the tree by id, with its parent.
function flattenUnits(units, into = new Map()) {
  for (const unit of units || []) {
    into.set(unit.id, unit);
    flattenUnits(unit.children, into);
  }
  return into;
}

// The rows none of whose ancestors is also a row: together they count the
// scope once (a unit's row counts its subtree).
function topRows(rows, units) {
  const ids = new Set(rows.map((row) => row.unit_id));
  const hasRowAbove = (id) => {
    for (let unit = units.get(id); unit && unit.parent_id; unit = units.get(unit.parent_id)) {
      if (ids.has(unit.parent_id)) return true;
    }
    return false;
  };
  return rows.filter((row) => !hasRowAbove(row.unit_id));
}

function Stages({ quotas, units, year }) {
  const top = topRows(quotas.rows, units);
  const total = (key) => top.reduce((sum, row) => sum + (row[key] || 0), 0);
  return (
    <section class="panel" aria-labelledby="stages-title">
      <div class="panel-head">
        <h2 id="stages-title">{t('overview.stages', { year })}</h2>
        <p class="panel-note">{t('overview.stages_note')}</p>
      </div>
      <dl class="figures">
        {kStages.map((stage) => (
          <div class="figure" key={stage}>
            <dt>{t(`overview.stage.${stage}`)}</dt>
            <dd>{total(stage).toLocaleString('vi-VN')}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function statusTag(status) {
  return <span class={`tag ${kStatusTone[status] || 'neutral'}`}>{t(`overview.status.${status}`)}</span>;
}

function Deadlines({ report, now }) {
  const rows = [...report.rows].sort((a, b) => (kStatusOrder[a.status] - kStatusOrder[b.status])
    || a.unit_name.localeCompare(b.unit_name, 'vi'));
  const count = (status) => report.rows.filter((row) => row.status === status).length;
  const left = daysBetween(now.day, report.due_before);
  const blocs = (report.lead_bloc_choices || []).map(label).join(', ');
  return (
    <section class="panel" aria-labelledby="deadlines-title">
      <div class="panel-head">
        <h2 id="deadlines-title">{t('overview.deadlines', { quarter: report.quarter, year: now.year })}</h2>
        <p class="panel-note">
          {t('overview.due_before', { date: formatDate(report.due_before) })}
          {' · '}
          {left > 0 ? t('overview.days_left', { n: left }) : t('overview.deadline_passed')}
        </p>
      </div>
      <p>
        <strong>{t('overview.lead_blocs')}:</strong> {blocs || '—'}
      </p>
      <dl class="figures stack">
        {['on_time', 'late', 'missing'].map((status) => (
          <div class="figure" key={status}>
            <dt>{t(`overview.status.${status}`)}</dt>
            <dd>{count(status)}</dd>
          </div>
        ))}
      </dl>
      {rows.length === 0 ? <p class="empty">{t('common.none')}</p> : (
        <div class="table-wrap scroll" tabIndex={0} role="region" aria-label={t('overview.deadlines_table')}>
          <table>
            <caption class="visually-hidden">{t('overview.deadlines_table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('overview.unit')}</th>
                <th scope="col" class="num">{t('overview.introduced')}</th>
                <th scope="col" class="wide-only">{t('overview.first_introduced')}</th>
                <th scope="col">{t('overview.status')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.unit_id}>
                  <td>{row.unit_name}</td>
                  <td class="num">{row.introduced}</td>
                  <td class="wide-only">{row.first_introduced_at ? formatDate(row.first_introduced_at) : '—'}</td>
                  <td>{statusTag(row.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function FollowUp({ report, units }) {
  const counts = Object.fromEntries(kCategories.map((c) => [c, 0]));
  for (const item of report.items) counts[item.category] = (counts[item.category] || 0) + 1;
  // The longest-waiting first: those with a date, oldest first.
  const waiting = report.items.filter((item) => item.since)
    .sort((a, b) => Date.parse(a.since) - Date.parse(b.since)).slice(0, kAlertsShown);
  const unitName = (id) => (units.get(id) || {}).name || id;
  return (
    <section class="panel" aria-labelledby="follow-up-title">
      <div class="panel-head">
        <h2 id="follow-up-title">{t('overview.follow_up')}</h2>
        <a href="#/reports">{t('overview.see_reports')}</a>
      </div>
      <ul class="alerts">
        {kCategories.map((category) => (
          <li key={category} class={counts[category] ? 'alert-on' : ''}>
            <span>{t(`overview.alert.${category}`, { n: report.no_mentor_days })}</span>
            <strong class={`tag ${counts[category] ? 'warn' : 'ok'}`}>{counts[category]}</strong>
          </li>
        ))}
      </ul>
      {waiting.length > 0 ? (
        <>
          <h3>{t('overview.longest_waiting')}</h3>
          <ul class="waiting">
            {waiting.map((item) => (
              <li key={`${item.exemplar_id}|${item.category}`}>
                <a href={`#/exemplars/${encodeURIComponent(item.exemplar_id)}`}>{item.name}</a>
                <span class="waiting-detail">
                  {unitName(item.unit_id)} · {t(`overview.alert_short.${item.category}`)}
                  {' · '}{t('overview.since', { date: formatDate(item.since) })}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

// One section's data, or its refusal in place.
function Section({ result, children }) {
  if (!result) return <Loading />;
  if (result.status === 'rejected') return <Problem error={result.reason} />;
  return children(result.value);
}

export default function Overview() {
  const [now] = useState(today);
  const [data, setData] = useState(null);

  useEffect(() => {
    let live = true;
    Promise.allSettled([
      api.get('/v1/units'),
      api.get('/v1/reports/quotas', { year: now.year }),
      api.get('/v1/reports/deadlines', { year: now.year, quarter: now.quarter }),
      api.get('/v1/reports/follow-up'),
    ]).then(([units, quotas, deadlines, followUp]) => {
      if (!live) return;
      const tree = flattenUnits(units.status === 'fulfilled' ? units.value.units : []);
      setData({ tree, quotas, deadlines, followUp });
      performance.mark('overview-ready');
    });
    return () => { live = false; };
  }, []);

  return (
    <Page title={t('overview.title')}>
      <p class="page-lead">{t('overview.lead', { date: formatDate(now.day) })}</p>
      {!data ? <Loading /> : (
        <>
          <Section result={data.quotas}>
            {(quotas) => <Stages quotas={quotas} units={data.tree} year={now.year} />}
          </Section>
          <div class="grid-2 stack">
            <Section result={data.deadlines}>
              {(report) => <Deadlines report={report} now={now} />}
            </Section>
            <Section result={data.followUp}>
              {(report) => <FollowUp report={report} units={data.tree} />}
            </Section>
          </div>
          <Section result={data.quotas}>
            {(quotas) => <QuotaBars quotas={quotas} units={data.tree} year={now.year} topRows={topRows} />}
          </Section>
        </>
      )}
    </Page>
  );
}
