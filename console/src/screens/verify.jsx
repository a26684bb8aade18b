// Kiểm chứng: the browser checks the log itself. The latest signed head
// and the key's fingerprint; the head checked against the last one this
// browser verified (a consistency proof, a loud warning on a rewrite); and
// any event recomputed from its fields and proved into the signed tree.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { formatDateTime, label, t } from '../lib/i18n.js';
import { Field, Loading, Page, Problem } from '../lib/ui.jsx';
import { kHandedKey } from './feed.jsx';
import { keyFingerprint, verifyEvent, verifyHeadExtends, verifyHeadSignature } from '../lib/verify.js';

const kRememberedKey = `exemplar.verified-head:${typeof location === 'undefined' ? '' : location.origin}`;

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(kRememberedKey));
  } catch {
    return null;
  }
}

function remember(head, publicKeyHex) {
  localStorage.setItem(kRememberedKey, JSON.stringify({ ...head, public_key_hex: publicKeyHex }));
}

// The latest head and key, the head's signature, and how it relates to the
// head this browser verified last: {head, key, signed, continuity}, where
// continuity is 'first' (nothing remembered), 'same', 'extends',
// 'rewritten' or 'key_changed'. A head that checks out becomes the one
// remembered; one that does not leaves the old one, so the warning stays.
export async function checkLatestHead() {
  const [head, key] = await Promise.all([api.get('/v1/audit/head'), api.get('/v1/audit/public-key')]);
  const signed = verifyHeadSignature(head, key.hex);
  const previous = remembered();
  let continuity = 'first';
  if (previous && previous.public_key_hex !== key.hex) {
    continuity = 'key_changed';
  } else if (previous) {
    let proof = null;
    if (previous.tree_size < head.tree_size) {
      proof = await api.get('/v1/audit/proof/consistency', { from: previous.tree_size, to: head.tree_size });
    }
    const result = verifyHeadExtends({ previous, next: head, proof, publicKeyHex: key.hex });
    const grew = previous.tree_size < head.tree_size;
    continuity = result.ok ? (grew ? 'extends' : 'same') : 'rewritten';
  }
  if (signed && (continuity === 'first' || continuity === 'extends' || continuity === 'same')) {
    remember(head, key.hex);
  }
  return { head, key, signed, continuity, previous };
}

// For the app's frame: checks the signed head once per visit of the
// console, whatever the screen, and shows nothing unless the log was
// rewritten or the key changed, then a loud banner leading here.
export function HeadWatch() {
  const [state, setState] = useState(null);
  useEffect(() => {
    checkLatestHead().then(setState, () => {});
  }, []);
  if (!state || (state.continuity !== 'rewritten' && state.continuity !== 'key_changed')) return null;
  return (
    <div class="alarm" role="alert">
      <strong>{t(`verify.${state.continuity}`)}</strong> <a href="#/verify">{t('verify.title')}</a>
    </div>
  );
}

function Mark({ ok }) {
  return ok
    ? <span class="mark mark-ok" aria-label={t('verify.ok')}>✓</span>
    : <span class="mark mark-bad" aria-label={t('verify.failed')}>✗</span>;
}

function Hex({ value }) {
  return <code class="hex" title={value}>{value}</code>;
}

function HeadCard({ state }) {
  const { head, key, signed, continuity, previous } = state;
  const warn = continuity === 'rewritten' || continuity === 'key_changed';
  return (
    <section class="card verify-head" aria-labelledby="verify-head-title">
      <h2 id="verify-head-title">{t('verify.head')}</h2>
      {warn ? (
        <div class="alarm" role="alert">
          <strong>{t(`verify.${continuity}`)}</strong>
          <p>{t(`verify.${continuity}_detail`)} {previous ? `${t('verify.size')}: ${previous.tree_size}, ${formatDateTime(previous.timestamp_us)}` : ''}</p>
        </div>
      ) : null}
      <dl class="facts">
        <dt>{t('verify.size')}</dt><dd>{head.tree_size.toLocaleString('vi-VN')}</dd>
        <dt>{t('verify.time')}</dt><dd>{formatDateTime(head.timestamp_us)}</dd>
        <dt>{t('verify.root')}</dt><dd><Hex value={head.root_hash} /></dd>
        <dt>{t('verify.signature')}</dt><dd><Mark ok={signed} /> {signed ? t('verify.signature_ok') : t('verify.signature_bad')}</dd>
        <dt>{t('verify.fingerprint')}</dt><dd><code class="fingerprint">{keyFingerprint(key.hex)}</code></dd>
        <dt>{t('verify.continuity')}</dt>
        <dd>{warn ? <Mark ok={false} /> : <Mark ok />} {t(`verify.${continuity}`)}
          {previous && !warn ? ` (${t('verify.size')} ${previous.tree_size})` : ''}</dd>
      </dl>
      <p class="hint">{t('verify.fingerprint_hint')}</p>
    </section>
  );
}

// The event the live feed handed over for `position`, if any.
function handedEvent(position) {
  try {
    const event = JSON.parse(sessionStorage.getItem(kHandedKey));
    return event && event.position === position ? event : null;
  } catch {
    return null;
  }
}

// Fetches what checking one event needs: the event (from an exemplar's
// history, or from the log by position), the head to prove it against and
// the inclusion proof for that head.
async function loadEvidence({ exemplarId, position }) {
  let event;
  let history = null;
  if (exemplarId) {
    const body = await api.get(`/v1/exemplars/${encodeURIComponent(exemplarId)}/history`);
    history = body.events || body;
    event = position ? history.find((e) => e.position === position) : history[history.length - 1];
  } else {
    event = handedEvent(position) || (await api.get('/v1/events', { from: position, limit: 1 }))
      .events.find((e) => e.position === position);
  }
  if (!event) return { missing: true, history };
  const [head, key] = await Promise.all([api.get('/v1/audit/head'), api.get('/v1/audit/public-key')]);
  if (event.position > head.tree_size) return { event, head, history, notYet: true };
  const proof = await api.get('/v1/audit/proof/inclusion', { position: event.position, tree_size: head.tree_size });
  return { event, head, key, proof, history };
}

// The event's action as the definition names it, else its type.
function eventName(event, workflow) {
  const action = workflow && event.data && workflow.actions.find((a) => a.name === event.data.action);
  return action ? label(action) : event.type;
}

function EventResult({ evidence, workflow }) {
  if (evidence.missing) return <p class="result-bad" role="status">{t('verify.no_event')}</p>;
  const { event, head } = evidence;
  if (evidence.notYet) {
    return <p class="result-wait" role="status">{t('verify.not_yet')} ({t('verify.size')} {head.tree_size})</p>;
  }
  const result = verifyEvent({ event, proof: evidence.proof, head, publicKeyHex: evidence.key.hex });
  return (
    <section class={result.ok ? 'verdict verdict-ok' : 'verdict verdict-bad'} aria-labelledby="verdict-title" role="status">
      <h2 id="verdict-title">
        <Mark ok={result.ok} /> {result.ok ? t('verify.event_ok') : t('verify.event_bad')}
      </h2>
      <p>
        {t('verify.event')} #{event.position} · <strong>{eventName(event, workflow)}</strong> · {event.stream_id} ·{' '}
        {formatDateTime(event.recorded_at_us)} · {event.actor.user_id}
      </p>
      <p>{t('verify.size')}: <strong>{head.tree_size.toLocaleString('vi-VN')}</strong> · {t('verify.time')}: <strong>{formatDateTime(head.timestamp_us)}</strong></p>
      <ul class="checks">
        {result.checks.map((check) => (
          <li key={check.name} class={check.ok ? 'check-ok' : 'check-bad'}>
            <Mark ok={check.ok} /> {t(`verify.check.${check.name}`)}
            {check.name === 'hash' ? <div><Hex value={check.detail || ''} /></div> : null}
            {!check.ok ? <div class="check-why">{t(`verify.why.${check.name}`)}</div> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function Verify({ query }) {
  const [head, setHead] = useState(null);
  const [headError, setHeadError] = useState(null);
  const [exemplarId, setExemplarId] = useState(query.exemplar || '');
  const [position, setPosition] = useState(query.position || '');
  const [evidence, setEvidence] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [workflow, setWorkflow] = useState(null);
  const [history, setHistory] = useState(null);

  useEffect(() => {
    checkLatestHead().then(setHead, setHeadError);
    api.get('/v1/workflow').then(setWorkflow, () => {});
  }, []);

  const check = async (event, at = position ? Number(position) : 0) => {
    if (event) event.preventDefault();
    setBusy(true);
    setError(null);
    setEvidence(null);
    try {
      if (!exemplarId && !at) throw new Error(t('verify.need_target'));
      const found = await loadEvidence({ exemplarId: exemplarId.trim(), position: at });
      setHistory(found.history);
      setEvidence(found);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (query.exemplar || query.position) check();
  }, []);

  return (
    <Page title={t('verify.title')}>
      <p class="lead">{t('verify.intro')}</p>
      <Problem error={headError} />
      {head ? <HeadCard state={head} /> : headError ? null : <Loading />}
      <section class="card" aria-labelledby="verify-event-title">
        <h2 id="verify-event-title">{t('verify.event_title')}</h2>
        <form class="verify-form" onSubmit={check}>
          <Field id="verify-exemplar" label={t('verify.exemplar')} hint={t('verify.exemplar_hint')}>
            <input id="verify-exemplar" aria-describedby="verify-exemplar-hint" value={exemplarId}
              onInput={(e) => setExemplarId(e.currentTarget.value)} />
          </Field>
          <Field id="verify-position" label={t('verify.position')} hint={t('verify.position_hint')}>
            <input id="verify-position" type="number" min="1" inputMode="numeric" aria-describedby="verify-position-hint"
              value={position} onInput={(e) => setPosition(e.currentTarget.value)} />
          </Field>
          <button type="submit" class="primary" disabled={busy}>{t('verify.check')}</button>
        </form>
        {busy ? <Loading /> : null}
        <Problem error={error} />
        {history && history.length > 1 ? (
          <div class="verify-pick">
          <Field id="verify-pick" label={t('verify.pick')}>
            <select id="verify-pick" value={evidence && evidence.event ? evidence.event.position : position}
              onChange={(e) => { setPosition(e.currentTarget.value); check(null, Number(e.currentTarget.value)); }}>
              {history.map((e) => (
                <option key={e.position} value={e.position}>
                  #{e.position} · {eventName(e, workflow)} · {formatDateTime(e.recorded_at_us)}
                </option>
              ))}
            </select>
          </Field>
          </div>
        ) : null}
        {evidence ? <EventResult evidence={evidence} workflow={workflow} /> : null}
      </section>
    </Page>
  );
}
