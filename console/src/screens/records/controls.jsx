// Inputs the record screens share: a unit picker over the tree in scope,
// a select of labelled choices, a CSV button, and the units/users/campaigns
// those pickers offer (fetched once per page load).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { Field } from '../../lib/ui.jsx';
import { formatDate, label, t } from '../../lib/i18n.js';
import { useLoad } from './load.js';

const cache = {};
function once(path) {
  if (!cache[path]) {
    cache[path] = api.get(path).catch((error) => {
      delete cache[path];
      throw error;
    });
  }
  return cache[path];
}

// The unit tree flattened in display order: [{id, name, depth, in_scope,
// open, predecessors, successors}].
function loadUnits() {
  return once('/v1/units').then((body) => {
    const rows = [];
    const walk = (units, depth) => {
      for (const unit of units || []) {
        rows.push({
          id: unit.id, name: unit.name, depth, in_scope: unit.in_scope !== false, open: unit.open !== false,
          predecessors: unit.predecessors || [], successors: unit.successors || [],
        });
        walk(unit.children, depth + 1);
      }
    };
    walk(body.units, 0);
    return rows;
  });
}
export const loadUsers = () => once('/v1/users').then((body) => body.users || []);
export const loadCampaigns = () => once('/v1/campaigns').then((body) => body.campaigns || []);
// The reorganisations the person may read, by id ({} when refused).
export const loadReorganisations = () => once('/v1/reorganisations')
  .then((body) => Object.fromEntries((body.items || []).map((r) => [r.reorganisation_id, r])), () => ({}));

// A unit's name by id, once the tree is loaded ({} until then).
export function useUnitNames() {
  return Object.fromEntries(Object.values(useUnitsById()).map((unit) => [unit.id, unit.name]));
}

// A unit by id (as loadUnits gives it), once the tree is loaded.
export function useUnitsById() {
  const { data } = useLoad(loadUnits, []);
  return Object.fromEntries((data || []).map((unit) => [unit.id, unit]));
}

// A person's full name by user id ({} until loaded, or when refused).
export function useUserNames() {
  const { data } = useLoad(() => loadUsers().catch(() => []), []);
  return Object.fromEntries((data || []).map((user) => [user.id, user.full_name]));
}

export function UnitSelect({ id, value, onChange, allLabel, required }) {
  const { data } = useLoad(loadUnits, []);
  return (
    <select id={id} value={value || ''} required={required} onChange={(e) => onChange(e.currentTarget.value)}>
      <option value="">{allLabel || t('list.all')}</option>
      {(data || []).map((unit) => (
        <option key={unit.id} value={unit.id} disabled={!unit.in_scope}>
          {'\u00a0\u00a0'.repeat(unit.depth)}{unit.name}{unit.open ? '' : ` (${t('units.ended')})`}
        </option>
      ))}
    </select>
  );
}

// choices: [{value, vi, en}] (or {value, text}).
export function ChoiceSelect({ id, value, onChange, choices, allLabel, required }) {
  return (
    <select id={id} value={value || ''} required={required} onChange={(e) => onChange(e.currentTarget.value)}>
      <option value="">{allLabel || t('list.all')}</option>
      {(choices || []).map((choice) => (
        <option key={choice.value} value={choice.value}>{choice.text || label(choice)}</option>
      ))}
    </select>
  );
}

// Downloads `path` as CSV with the given query; a failure shows in place.
export function CsvButton({ path, query, filename }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const click = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.download(path, query, filename);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };
  return (
    <span class="sc-csv">
      <button type="button" class="sc-button-secondary" onClick={click} disabled={busy} aria-busy={busy}>
        {t('common.download_csv')}
      </button>
      {error ? <span class="error-text" role="alert">{error.detail}</span> : null}
    </span>
  );
}

const kIsoDay = /^\d{4}-\d{2}-\d{2}$/;

// "12/7/2026" → "2026-07-12"; '' for nothing typed; null for no real day.
function isoDay(text) {
  const typed = (text || '').trim();
  if (!typed) return '';
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(typed);
  if (!match) return null;
  const [, d, m, y] = match.map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

// A day typed as dd/mm/yyyy, Vietnam's way whatever the browser's language
// (a native date input shows the browser's format). `value` is yyyy-mm-dd;
// `onChange` gets yyyy-mm-dd, '' or, for text that is no day, the text.
export function DayInput({ id, value, onChange, required, describedBy }) {
  const shown = (v) => (kIsoDay.test(v || '') ? formatDate(v) : v || '');
  const [text, setText] = useState(shown(value));
  useEffect(() => setText(shown(value)), [value]);
  const commit = () => {
    const day = isoDay(text);
    if (day === null ? text !== value : day !== (value || '')) onChange(day === null ? text : day);
  };
  return (
    <input id={id} type="text" inputMode="numeric" placeholder="dd/mm/yyyy" autoComplete="off" size={11}
      required={required} aria-describedby={describedBy} value={text}
      onInput={(e) => setText(e.currentTarget.value)} onChange={commit}
      onKeyDown={(e) => { if (e.key === 'Enter') commit(); }} />
  );
}

// A labelled day filter (yyyy-mm-dd, or '' for none); text that is no day
// is pointed out and not applied.
export function DateFilter({ id, label: text, value, onChange }) {
  const [wrong, setWrong] = useState(false);
  return (
    <Field id={id} label={text} error={wrong ? t('common.bad_day') : ''}>
      <DayInput id={id} value={value} describedBy={wrong ? `${id}-error` : undefined}
        onChange={(day) => {
          const ok = day === '' || kIsoDay.test(day);
          setWrong(!ok);
          if (ok) onChange(day);
        }} />
    </Field>
  );
}

// A labelled unit picker ('' for all the units in scope).
export function UnitFilter({ id, label: text, value, onChange }) {
  return (
    <Field id={id} label={text}>
      <UnitSelect id={id} value={value} onChange={onChange} />
    </Field>
  );
}
