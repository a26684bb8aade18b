// Dòng sự kiện: the events of the person's scope as they are committed,
// from the browser's one shared stream (lib/stream.js), filtered here by
// type and by unit (a unit and those below it, by the server's rule of an
// event's unit), with the relay's lag when the server runs one.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { formatDateTime, label, t } from '../lib/i18n.js';
import { subscribeEvents } from '../lib/stream.js';
import { flattenUnits, isWithin } from '../lib/units.js';
import { Field, Page, Problem } from '../lib/ui.jsx';

const kShown = 200;
// The event handed to the verification screen: its fields are all it needs
// (it trusts none of them), and a reader below the root may not read the
// whole log to fetch an event that is not an exemplar's.
export const kHandedKey = 'exemplar.verify-event';
const kReadyEveryMs = 5000;

// The unit an event belongs to: the exemplar's for an exemplar's stream
// (looked up once per exemplar), the unit's own for a unit's stream, else
// the unit its actor acted for.
function useEventUnits() {
  const cache = useRef(new Map());
  const [, setVersion] = useState(0);
  const unitOf = (event) => {
    const stream = event.stream_id || '';
    if (stream.startsWith('unit-')) return stream.slice(5);
    if (!stream.startsWith('exemplar-')) return event.actor ? event.actor.unit_id : '';
    const id = stream.slice(9);
    const fields = event.data && event.data.fields;
    if (!cache.current.has(id) && fields && fields.unit_id) cache.current.set(id, fields.unit_id);
    if (!cache.current.has(id)) {
      cache.current.set(id, '');
      api.get(`/v1/exemplars/${encodeURIComponent(id)}`).then((view) => {
        cache.current.set(id, view.unit_id || (view.unit && view.unit.unit_id) || '');
        setVersion((v) => v + 1);
      }, () => {});
    }
    return cache.current.get(id);
  };
  return unitOf;
}

// The relay's state from /readyz, polled while the screen is open; null
// when the server runs no relay.
function useRelay() {
  const [relay, setRelay] = useState(null);
  useEffect(() => {
    let stopped = false;
    const poll = () => fetch('/readyz', { headers: { Accept: 'application/json' } })
      .then((r) => r.json())
      .then((body) => { if (!stopped) setRelay(body.relay || null); }, () => {});
    poll();
    const timer = setInterval(poll, kReadyEveryMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  return relay;
}

function Relay({ relay }) {
  if (!relay) return null;
  const lagEvents = relay.lag_events || 0;
  const lagMs = relay.lag_ms || 0;
  return (
    <p class="relay" aria-live="polite">
      <strong>{t('feed.relay')}:</strong>{' '}
      {relay.connected ? t('feed.relay_connected') : t('feed.relay_disconnected')} ·{' '}
      {t('feed.relay_lag')} {lagEvents} {t('feed.events')}, {(lagMs / 1000).toFixed(1)} s
    </p>
  );
}

// What happened, in words: the action's label from the definition, the
// console's text for an organisation event, else the type as recorded.
function typeName(type, actions) {
  const action = [...actions.values()].find((a) => a.event === type);
  if (action) return label(action);
  const text = t(`event.${type}`);
  return text === `event.${type}` ? type : text;
}

function describe(event, actions) {
  const data = event.data;
  if (data && data.action && actions.has(data.action)) return label(actions.get(data.action));
  return typeName(event.type, actions);
}

// The name an organisation event gives its unit, user or campaign.
function subjectName(event) {
  const data = event.data || {};
  return data.name || data.full_name || '';
}

function EventRow({ event, actions, roles, unitName }) {
  const stream = event.stream_id || '';
  const exemplar = stream.startsWith('exemplar-') ? stream.slice(9) : '';
  const actor = event.actor || {};
  return (
    <li class="feed-item">
      <div class="feed-when">
        <time dateTime={event.recorded_at}>{formatDateTime(event.recorded_at_us)}</time>
        <span class="feed-position">#{event.position}</span>
      </div>
      <div class="feed-what">
        <strong>{describe(event, actions)}</strong>{' '}
        {exemplar ? <a href={`#/exemplars/${encodeURIComponent(exemplar)}`}>{exemplar}</a> : <span>{subjectName(event)} <code>{stream}</code></span>}
        <div class="feed-who">
          {actor.user_id || t('feed.system')}
          {actor.role ? ` · ${roles.get(actor.role) || actor.role}` : ''}
          {actor.unit_id ? ` · ${unitName(actor.unit_id)}` : ''}
          {event.reason ? ` · “${event.reason}”` : ''}
        </div>
      </div>
      <a class="feed-verify" href={`#/verify?position=${event.position}${exemplar ? `&exemplar=${encodeURIComponent(exemplar)}` : ''}`}
        onClick={() => sessionStorage.setItem(kHandedKey, JSON.stringify(event))}
        aria-label={`${t('feed.verify')} #${event.position}`}>{t('feed.verify')}</a>
    </li>
  );
}

export default function Feed() {
  const [events, setEvents] = useState([]);
  const [status, setStatus] = useState({ status: 'connecting', leading: false });
  const [type, setType] = useState('');
  const [unit, setUnit] = useState('');
  const [units, setUnits] = useState([]);
  const [workflow, setWorkflow] = useState(null);
  const [error, setError] = useState(null);
  const unitOf = useEventUnits();
  const relay = useRelay();

  useEffect(() => {
    api.get('/v1/units').then((body) => setUnits(flattenUnits(body)), setError);
    api.get('/v1/workflow').then(setWorkflow, setError);
    return subscribeEvents((message) => {
      if (message.kind === 'status') setStatus(message);
      else setEvents((list) => [message.event, ...list].slice(0, kShown));
    });
  }, []);

  const actions = useMemo(() => new Map((workflow ? workflow.actions : []).map((a) => [a.name, a])), [workflow]);
  const roles = useMemo(() => new Map((workflow ? workflow.roles : []).map((r) => [r.name, label(r)])), [workflow]);
  // Units created or moved since the tree was read, from their events.
  const tree = useMemo(() => {
    const known = new Map(units.map((u) => [u.id, u]));
    for (const event of [...events].reverse()) {
      const data = event.data || {};
      if ((event.type === 'unit_created' || event.type === 'unit_moved') && data.unit_id && data.parent_id) {
        known.set(data.unit_id, { ...known.get(data.unit_id), id: data.unit_id, name: data.name || data.unit_id, parent_id: data.parent_id });
      }
    }
    return [...known.values()];
  }, [units, events]);
  const names = useMemo(() => new Map(tree.map((u) => [u.id, u.name])), [tree]);
  const unitName = (id) => names.get(id) || id;
  const types = useMemo(() => [...new Set(events.map((e) => e.type))].sort(), [events]);
  const shown = events.filter((e) => (!type || e.type === type) && (!unit || isWithin(tree, unitOf(e), unit)));

  return (
    <Page title={t('feed.title')}>
      <p class="lead">{t('feed.intro')}</p>
      <p class={`stream-status stream-${status.status}`} role="status">
        <span class="dot" aria-hidden="true" /> {t(`feed.status.${status.status}`)} ·{' '}
        {status.leading ? t('feed.leading') : t('feed.following')}
      </p>
      <Relay relay={relay} />
      <Problem error={error} />
      <div class="filters">
        <Field id="feed-type" label={t('feed.type')}>
          <select id="feed-type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
            <option value="">{t('feed.all_types')}</option>
            {types.map((name) => <option key={name} value={name}>{typeName(name, actions)}</option>)}
          </select>
        </Field>
        <Field id="feed-unit" label={t('feed.unit')}>
          <select id="feed-unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value)}>
            <option value="">{t('feed.all_units')}</option>
            {units.map((u) => <option key={u.id} value={u.id}>{'\u00a0\u00a0'.repeat(u.depth)}{u.name}</option>)}
          </select>
        </Field>
      </div>
      {shown.length === 0
        ? <p class="empty">{t('feed.waiting')}</p>
        : (
          <ol class="feed" aria-label={t('feed.title')} aria-live="polite" aria-relevant="additions">
            {shown.map((event) => (
              <EventRow key={event.position} event={event} actions={actions} roles={roles} unitName={unitName} />
            ))}
          </ol>
        )}
    </Page>
  );
}
