// The timeline of every event of an exemplar's stream: when, what, who
// (user, role, unit), from which address, the reason and the request, and
// what it carried. The event named in the route is marked and scrolled to.
import { useEffect } from 'preact/hooks';
import { formatDateTime, t } from '../../lib/i18n.js';
import { FieldValues, OwnWords, Who, hasDocuments, hasOtherFields, transferText } from './entries.jsx';
import { actionLabel, named } from './load.js';

// An event that no action of the definition made (a transfer by a
// reorganisation) by the console's own label for its type.
function eventLabel(type) {
  const key = `event.${type}`;
  return t(key) === key ? type : t(key);
}

// Where the document a subject-access step gave is read (the server's
// printable page; the session cookie signs the request).
function subjectAccessLink(workflow, event) {
  const spec = named(workflow && workflow.actions, event.data && event.data.action);
  if (!spec || !spec.effects || !spec.effects.gives_subject_access) return null;
  return `/v1/exemplars/${encodeURIComponent(exemplarOf(event))}/subject-access?position=${event.position}`;
}

// The exemplar an event of its stream is about.
function exemplarOf(event) {
  return event.stream_id.replace(/^exemplar-/, '');
}

// `transfers`: the view's transfers by log position, for their
// reorganisation's legal basis.
export function Timeline({ events, names, selected, transfers = {} }) {
  useEffect(() => {
    if (!selected) return;
    const row = document.getElementById(`event-${selected}`);
    if (row) {
      row.scrollIntoView({ block: 'center' });
      row.focus();
    }
  }, [selected, events.length]);
  return (
    <ol class="sc-timeline">
      {events.map((event) => {
        const action = event.data && event.data.action;
        const marked = String(event.position) === String(selected);
        const document = subjectAccessLink(names.workflow, event);
        return (
          <li key={event.position} id={`event-${event.position}`} tabIndex={-1}
            class={marked ? 'sc-event sc-event-selected' : 'sc-event'} aria-current={marked ? 'true' : undefined}>
            <div class="sc-event-head">
              <time dateTime={event.recorded_at}>{formatDateTime(event.recorded_at)}</time>
              <strong>{action ? actionLabel(names.workflow, action) : eventLabel(event.type)}</strong>
            </div>
            <p><Who actor={event.actor} names={names} /></p>
            {event.type === 'exemplar_transferred'
              ? <p class="sc-transfer">{transferText(event.data, (transfers[event.position] || {}).reorganisation, names)}</p> : null}
            {document ? <p><a href={document} target="_blank" rel="noopener">{t('record.subject_access')}</a></p> : null}
            <OwnWords onBehalfOf={event.on_behalf_of} actor={event.actor} names={names} />
            <dl class="sc-fields sc-event-meta">
              <div><dt>{t('record.from')}</dt><dd>{event.remote_address || t('record.no_address')}</dd></div>
              <div><dt>{t('record.request')}</dt><dd><code>{event.request_id}</code></dd></div>
              <div><dt>{t('record.position')}</dt><dd>{event.position}</dd></div>
              {event.reason ? <div><dt>{t('record.reason')}</dt><dd>{event.reason}</dd></div> : null}
            </dl>
            {event.data && hasDocuments(action, event.data.fields, names) ? (
              <FieldValues action={action} fields={event.data.fields} names={names} exemplar={exemplarOf(event)} documents="only" />
            ) : null}
            {event.data && event.data.fields && hasOtherFields(action, event.data.fields, names) ? (
              <details>
                <summary>{t('record.details')}</summary>
                <FieldValues action={action} fields={event.data.fields} names={names} exemplar={exemplarOf(event)} documents="skip" />
              </details>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
