// The overview's quota bars: per unit, this year's exemplars both
// propagated and replicated (what the quota counts) against the unit's
// annual minimum, with those propagated and still to be replicated behind
// them in a lighter shade; the units under each top-level unit fold out.
import { t } from '../lib/i18n.js';

function Bar({ row }) {
  const value = row.propagated_and_replicated || 0;
  const propagated = Math.max(row.propagated || 0, value);
  const scale = Math.max(row.minimum, propagated, 1);
  const percent = (part) => `${Math.min(100, (100 * part) / scale).toFixed(1)}%`;
  const name = `${row.unit_name}: ${t('overview.quota_value', { value, minimum: row.minimum, propagated })}`;
  return (
    <li>
      <span class="bar-name" title={row.unit_name}>{row.unit_name}</span>
      <span class="bar-track" role="img" aria-label={name}>
        <span class="bar-fill pending" style={{ width: percent(propagated) }} />
        <span class={`bar-fill ${row.met ? 'met' : 'short'}`} style={{ width: percent(value) }} />
        <span class="bar-mark" style={{ left: `calc(${percent(row.minimum)} - 1px)` }} />
      </span>
      <span class="bar-value">
        {value}/{row.minimum}
        {row.met ? <span class="visually-hidden"> {t('overview.met')}</span> : null}
      </span>
    </li>
  );
}

// The rows whose nearest ancestor among the rows is `parent`.
function childRows(rows, parentId, units) {
  return rows.filter((row) => {
    for (let unit = units.get(row.unit_id); unit && unit.parent_id; unit = units.get(unit.parent_id)) {
      if (unit.parent_id === parentId) return true;
      if (rows.some((other) => other.unit_id === unit.parent_id)) return false;
    }
    return false;
  });
}

export function QuotaBars({ quotas, units, year, topRows }) {
  const rows = quotas.rows.filter((row) => row.minimum > 0);
  const top = topRows(rows, units).sort((a, b) => a.unit_name.localeCompare(b.unit_name, 'vi'));
  const met = rows.filter((row) => row.met).length;
  return (
    <section class="panel" aria-labelledby="quotas-title">
      <div class="panel-head">
        <h2 id="quotas-title">{t('overview.quotas', { year })}</h2>
        <p class="panel-note">{t('overview.quotas_met', { met, total: rows.length })}</p>
      </div>
      <p class="panel-note stack">{t('overview.quotas_note')}</p>
      {top.length === 0 ? <p class="empty">{t('common.none')}</p> : top.map((row) => {
        const children = childRows(rows, row.unit_id, units)
          .sort((a, b) => a.unit_name.localeCompare(b.unit_name, 'vi'));
        return (
          <div class="quota-group" key={row.unit_id}>
            <ul class="bars"><Bar row={row} /></ul>
            {children.length > 0 ? (
              <details open={top.length === 1}>
                <summary>{t('overview.units_under', { n: children.length, name: row.unit_name })}</summary>
                <ul class="bars nested">{children.map((child) => <Bar key={child.unit_id} row={child} />)}</ul>
              </details>
            ) : null}
          </div>
        );
      })}
      <p class="legend">
        <span class="met">{t('overview.legend_met')}</span>
        <span class="short">{t('overview.legend_short')}</span>
        <span class="pending">{t('overview.legend_pending')}</span>
        <span class="mark">{t('overview.legend_minimum')}</span>
      </p>
    </section>
  );
}
