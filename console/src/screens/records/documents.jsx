// Evidence documents (hồ sơ) of a step: in an action's form, a file
// picker that uploads each file at once (POST /v1/documents) and keeps the
// hashes the command names; in the record, each document a step carried as
// a link to read it (GET /v1/exemplars/{id}/documents/{hash}).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { formatSize, t } from '../../lib/i18n.js';

// The media types the server accepts, by the file name's extension (a
// browser may not know a type, e.g. HEIC or OpenDocument).
const kTypes = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  heic: 'image/heic',
  txt: 'text/plain',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};
const kAccepted = [...new Set(Object.values(kTypes))];
const kAccept = [...kAccepted, ...Object.keys(kTypes).map((ext) => `.${ext}`)].join(',');

// A short word for a media type, shown beside a document's name.
const kKinds = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/heic': 'HEIC',
  'text/plain': 'TXT',
  'application/msword': 'DOC',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.ms-excel': 'XLS',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
};

// The media type to send `file` as: the browser's when the server takes
// it, else the one its extension names; '' when neither is accepted.
function mediaTypeOf(file) {
  const own = (file.type || '').toLowerCase();
  if (kAccepted.includes(own)) return own;
  const ext = (file.name.split('.').pop() || '').toLowerCase();
  return kTypes[ext] || '';
}

// Why an upload failed, in the console's language.
function uploadError(error) {
  const code = (error && (error.code || (error.problem && error.problem.type))) || '';
  if (code === 'body_too_large' || code === 'document_too_large' || error.status === 413) {
    return t('documents.error.document_too_large');
  }
  const key = `documents.error.${code}`;
  if (code && t(key) !== key) return t(key);
  return (error && error.detail) || t('documents.error.failed');
}

// The documents field's value while the form is open: one item per file
// picked, {key, name, size, state: 'uploading'|'done'|'error', progress,
// hash, error}. The command names the hashes of those done.
export function documentHashes(items) {
  return (items || []).filter((item) => item.state === 'done').map((item) => item.hash);
}

export function uploadsUnderWay(items) {
  return (items || []).some((item) => item.state === 'uploading');
}

let nextKey = 1;

// The file picker of documents field `field`. `onChange` takes a function
// of the old items (uploads finish in any order).
export function DocumentsInput({ id, field, value, onChange, describedBy }) {
  const items = value || [];
  const max = field.max_items || 10;
  const counted = items.filter((item) => item.state !== 'error').length;
  const full = counted >= max;
  const [dropped, setDropped] = useState('');
  const uploads = useRef(new Map());
  // Leaving the form stops the uploads still going.
  useEffect(() => () => { for (const control of uploads.current.values()) control.abort(); }, []);
  const update = (key, change) => onChange((old) => (old || []).map((item) => (item.key === key ? { ...item, ...change } : item)));
  const start = (file) => {
    const key = nextKey++;
    const item = { key, name: file.name, size: file.size, state: 'uploading', progress: 0 };
    const mediaType = mediaTypeOf(file);
    if (!mediaType) return { ...item, state: 'error', error: t('documents.error.unsupported_media_type') };
    if (!file.size) return { ...item, state: 'error', error: t('documents.error.empty_document') };
    const control = new AbortController();
    uploads.current.set(key, control);
    // The name percent-encoded (a space as %20, not a form's +).
    api.upload(`/v1/documents?name=${encodeURIComponent(file.name)}`, undefined, file, {
      mediaType,
      signal: control.signal,
      onProgress: (fraction) => update(key, { progress: fraction }),
    }).then(
      (answer) => update(key, { state: 'done', hash: answer.hash, size: answer.size, name: answer.name }),
      (error) => { if (error.code !== 'aborted') update(key, { state: 'error', error: uploadError(error) }); },
    ).finally(() => uploads.current.delete(key));
    return item;
  };
  const add = (files) => {
    const room = Math.max(0, max - counted);
    const taken = files.slice(0, room);
    const left = files.slice(room);
    setDropped(left.length ? t('documents.dropped', { n: max, names: left.map((f) => f.name).join(', ') }) : '');
    if (!taken.length) return;
    const added = taken.map(start);
    onChange((old) => [...(old || []), ...added]);
  };
  const onPick = (event) => {
    const input = event.currentTarget;
    const files = [...(input.files || [])];
    input.value = '';  // the same file may be picked again after removing it
    add(files);
  };
  // Files dropped on the picker are taken as if picked.
  const [over, setOver] = useState(false);
  const onDragOver = (event) => {
    if (full || ![...(event.dataTransfer.types || [])].includes('Files')) return;
    event.preventDefault();
    setOver(true);
  };
  const onDrop = (event) => {
    setOver(false);
    if (full) return;
    event.preventDefault();
    add([...(event.dataTransfer.files || [])]);
  };
  const remove = (item) => {
    const control = uploads.current.get(item.key);
    if (control) control.abort();
    setDropped('');
    onChange((old) => (old || []).filter((other) => other.key !== item.key));
  };
  return (
    <div class="sc-documents">
      <div class={over ? 'sc-documents-pick sc-documents-over' : 'sc-documents-pick'}
        onDragOver={onDragOver} onDragLeave={() => setOver(false)} onDrop={onDrop}>
        {/* The browser's own button speaks the browser's language: the
            input is hidden and a label in the console's language opens it. */}
        <input id={id} class="sc-file-input" type="file" multiple accept={kAccept} disabled={full}
          aria-describedby={describedBy} onChange={onPick} />
        <label for={id} class="sc-file-button">{t('documents.pick')}</label>
        <span class="sc-documents-drop">{t('documents.drop')}</span>
        <span class="sc-documents-count" aria-live="polite">{t('documents.count', { n: counted, max })}</span>
      </div>
      {full ? <p class="sc-documents-note">{t('documents.full', { n: max })}</p> : null}
      {dropped ? <p class="sc-documents-note sc-documents-dropped" role="alert">{dropped}</p> : null}
      {items.length ? (
        <ul class="sc-uploads" aria-label={t('documents.list')} aria-live="polite">
          {items.map((item) => (
            <li key={item.key} class={`sc-upload sc-upload-${item.state}`}>
              <span class="sc-upload-name">{item.name}</span>
              <span class="sc-upload-state">
                {item.state === 'uploading' ? (
                  <>
                    {t('documents.uploading')}
                    {item.progress ? ` ${Math.floor(item.progress * 100)}%` : ''}
                    <progress max="1" value={item.progress || 0} aria-hidden="true" />
                  </>
                ) : null}
                {item.state === 'done' ? <><span class="sc-upload-ok" aria-hidden="true">✓</span> {formatSize(item.size)}</> : null}
                {item.state === 'error' ? <span class="sc-upload-error">{item.error}</span> : null}
              </span>
              <button type="button" class="sc-upload-remove" onClick={() => remove(item)}
                aria-label={t('documents.remove_named', { name: item.name })}>{t('documents.remove')}</button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

// Whether `value` is a documents field's value as the server records it:
// [{hash, size, media_type, name}].
export function isDocumentList(value) {
  return Array.isArray(value) && value.length > 0
    && value.every((v) => v && typeof v === 'object' && typeof v.hash === 'string' && 'media_type' in v);
}

function erased(name) {
  return name === '[erased]' || name === t('app.erased');
}

// The documents a step carried, each a link that opens it in a new tab
// (the session cookie signs the request), or [đã xóa] once erased.
export function DocumentList({ exemplar, documents }) {
  return (
    <ul class="sc-document-list">
      {documents.map((doc) => {
        const kind = kKinds[doc.media_type] || '';
        const href = `/v1/exemplars/${encodeURIComponent(exemplar)}/documents/${encodeURIComponent(doc.hash)}`;
        return (
          <li key={doc.hash} class={erased(doc.name) ? 'sc-document sc-document-erased' : 'sc-document'}>
            {kind ? <span class="sc-document-kind" aria-hidden="true">{kind}</span> : null}
            {erased(doc.name) ? <span class="sc-document-name sc-muted">{t('app.erased')}</span> : (
              <span class="sc-document-name">
                <a href={href} target="_blank" rel="noopener" title={t('documents.open', { name: doc.name })}>{doc.name}</a>
                {' '}<span class="sc-document-size">({formatSize(doc.size)})</span>
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
