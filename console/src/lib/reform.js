// Words for reorganisations: a legal basis as one phrase ("01/2025/NQ-MAU
// ngày 16/06/2025 của Ủy ban Thường vụ Quốc hội"), a reorganisation's kind,
// and a unit's level.
import { formatDate, t } from './i18n.js';

export function documentText(basis) {
  if (!basis || !basis.document_number) return '';
  return t('units.document', { number: basis.document_number, date: formatDate(basis.document_date), issuer: basis.issuer });
}

export function kindLabel(kind) {
  const key = `units.kind.${kind}`;
  return t(key) === key ? kind || '' : t(key);
}

export function levelLabel(level) {
  const key = `admin.level.${level}`;
  return t(key) === key ? level || '' : t(key);
}
