// Language and dates. Vietnamese first; the choice is kept in local storage.
// Dates are shown as dd/mm/yyyy in Vietnam's time (UTC+7, no daylight time).
import { texts } from './texts.js';

const kLangKey = 'exemplar.lang';
const kOffsetMs = 7 * 3600 * 1000;
let current = (typeof localStorage !== 'undefined' && localStorage.getItem(kLangKey)) || 'vi';

export function lang() {
  return current;
}

export function setLang(value) {
  current = value === 'en' ? 'en' : 'vi';
  localStorage.setItem(kLangKey, current);
  document.documentElement.lang = current;
}

// The console's own text for `key`, in the current language (the key when
// missing, so a gap shows instead of hiding); `{name}` takes values[name].
export function t(key, values) {
  const entry = texts[key];
  const text = entry ? entry[current] || entry.vi : key;
  return values ? text.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all)) : text;
}

// The label of anything the server describes with `vi` and `en` members.
export function label(obj) {
  if (!obj) return '';
  return obj[current] || obj.vi || obj.en || obj.name || obj.value || '';
}

function toDate(value) {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number') return new Date(value > 1e14 ? value / 1000 : value);
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function parts(value) {
  const date = toDate(value);
  if (!date) return null;
  const local = new Date(date.getTime() + kOffsetMs);
  const pad = (n) => String(n).padStart(2, '0');
  return {
    day: pad(local.getUTCDate()),
    month: pad(local.getUTCMonth() + 1),
    year: String(local.getUTCFullYear()),
    hour: pad(local.getUTCHours()),
    minute: pad(local.getUTCMinutes()),
  };
}

// dd/mm/yyyy in UTC+7, from an ISO time, a civil date (yyyy-mm-dd) or
// microseconds/milliseconds since the epoch.
export function formatDate(value) {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}/${m}/${y}`;
  }
  const p = parts(value);
  return p ? `${p.day}/${p.month}/${p.year}` : '';
}

// dd/mm/yyyy HH:mm in UTC+7.
export function formatDateTime(value) {
  const p = parts(value);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : '';
}

// The value of an <input type="date"> (yyyy-mm-dd) for an instant, in UTC+7.
export function dayInput(value) {
  const p = parts(value);
  return p ? `${p.year}-${p.month}-${p.day}` : '';
}

// The instant that ends a civil day (yyyy-mm-dd) in UTC+7, as ISO 8601
// UTC: "as it was on that day" means at the day's end.
export function parseDay(day) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day || '')) return '';
  const end = Date.parse(`${day}T23:59:59.999Z`) - kOffsetMs;
  return new Date(end).toISOString();
}

// A file's size for people: "15 B", "820 KB", "1,2 MB" (Vietnamese decimal
// comma; 1 KB = 1024 bytes, from 1000 bytes on).
export function formatSize(bytes) {
  const n = Number(bytes) || 0;
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const number = new Intl.NumberFormat(current === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: digits }).format(value);
  return `${number} ${units[unit]}`;
}
