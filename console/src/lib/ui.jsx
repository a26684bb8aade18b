// Building blocks every screen shares, so that screens look and behave
// alike: a page with its heading, tables, a refusal in place, loading, a
// labelled field and a pager.
import { t } from './i18n.js';

// A screen's frame: its heading (the page's one h1) and content.
export function Page({ title, actions, children }) {
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title" tabIndex={-1}>{title}</h1>
        {actions ? <div class="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

// columns: [{key, title, render?(row), class?}]; rows: objects. `caption` names the
// table for screen readers.
export function Table({ caption, columns, rows, rowKey, onRow }) {
  if (!rows || rows.length === 0) return <p class="empty">{t('common.none')}</p>;
  return (
    // Focusable, so a keyboard can scroll a table wider than the screen.
    <div class="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column.key} class={column.class}>{column.title}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={rowKey ? rowKey(row) : index} class={onRow ? 'clickable' : ''}
              onClick={onRow ? () => onRow(row) : undefined}>
              {columns.map((column) => (
                <td key={column.key} class={column.class}>{column.render ? column.render(row) : row[column.key]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// A refusal or failure from the server (an ApiError), announced to screen
// readers.
export function Problem({ error }) {
  if (!error) return null;
  return (
    <div class="problem" role="alert">
      <strong>{t('common.error')}</strong> {error.detail || error.message}
      {error.code ? <code class="problem-code">{error.code}</code> : null}
    </div>
  );
}

export function Loading() {
  return <p class="loading" aria-live="polite">{t('common.loading')}</p>;
}

// A labelled input; `error` (text) is shown under it and tied to it.
export function Field({ id, label, error, hint, children }) {
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      {children}
      {hint ? <small id={`${id}-hint`} class="hint">{hint}</small> : null}
      {error ? <small id={`${id}-error`} class="error-text" role="alert">{error}</small> : null}
    </div>
  );
}

// Previous/next over a cursor-paged list.
export function Pager({ onPrevious, onNext, hasPrevious, hasNext, summary }) {
  return (
    <nav class="pager" aria-label={summary || 'pager'}>
      <button type="button" onClick={onPrevious} disabled={!hasPrevious}>{t('common.previous')}</button>
      {summary ? <span>{summary}</span> : null}
      <button type="button" onClick={onNext} disabled={!hasNext}>{t('common.next')}</button>
    </nav>
  );
}
