// One event stream per browser, shared by its tabs. A person may hold 16
// streams and a browser opens about six connections per origin, so tabs
// must not each open their own: the tab that leads holds the one
// connection to /v1/events/stream and re-broadcasts every event to the
// others over a BroadcastChannel. The leader is the holder of a Web Lock;
// where Web Locks are missing (they need a secure context, and an intranet
// console may be plain http) a lease renewed in local storage elects it.
// When the leader goes, the next tab takes over from the last position any
// tab saw, so nothing is missed or repeated.
//
// The stream is read with fetch rather than EventSource: EventSource only
// reports events by the names one listens for, and the server names each
// event by its type.

const kChannel = 'exemplar.events';
const kLock = 'exemplar.events.leader';
const kLeaseKey = 'exemplar.events.lease';
const kLeaseMs = 3000;
const kRecent = 200;
const kMaxRetryMs = 10000;
// A first connection starts this many log positions back, so that a feed
// opens on the latest events of its scope rather than on nothing.
const kHistory = 200;

// Parses Server-Sent Events from text chunks; calls onMessage({id, event,
// data}) for each complete message.
export class SseParser {
  constructor(onMessage) {
    this.onMessage = onMessage;
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.id = undefined;
    this.event = '';
    this.data = [];
  }

  push(chunk) {
    this.buffer += chunk;
    let end;
    while ((end = this.buffer.search(/\r\n|\n|\r/)) >= 0) {
      // A CR that ends the chunk may be the first half of a CRLF.
      if (end === this.buffer.length - 1 && this.buffer[end] === '\r') break;
      const line = this.buffer.slice(0, end);
      const newline = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      this.buffer = this.buffer.slice(end + newline);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0) {
        this.onMessage({ id: this.id, event: this.event || 'message', data: this.data.join('\n') });
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
  }
}

// The connection the leading tab holds: reads the stream from after
// `last`, reconnects with Last-Event-ID after a failure (backing off up to
// 10 s), and ends when stopped or when the server revokes it.
class Connection {
  constructor({ after, onEvent, onStatus }) {
    this.last = after;
    this.onEvent = onEvent;
    this.onStatus = onStatus;
    this.controller = null;
    this.stopped = false;
    this.retryMs = 500;
    this.run();
  }

  stop() {
    this.stopped = true;
    if (this.controller) this.controller.abort();
  }

  async run() {
    if (this.last === 0) {
      const start = await recentStart();
      this.fromLog = start !== null;
      this.last = start || 0;
    }
    while (!this.stopped) {
      const outcome = await this.readOnce();
      if (this.stopped || outcome === 'revoked') return;
      this.onStatus(outcome === 'refused' ? 'refused' : 'reconnecting');
      await new Promise((resolve) => setTimeout(resolve, this.retryMs));
      this.retryMs = Math.min(this.retryMs * 2, kMaxRetryMs);
    }
  }

  async readOnce() {
    this.controller = new AbortController();
    const headers = { Accept: 'text/event-stream' };
    if (this.last > 0) headers['Last-Event-ID'] = String(this.last);
    let ending = null;
    try {
      const from = this.last === 0 && this.fromLog ? '?from=1' : '';
      const response = await fetch(`/v1/events/stream${from}`, {
        headers, credentials: 'same-origin', signal: this.controller.signal,
      });
      if (!response.ok) return 'refused';
      this.onStatus('open');
      this.retryMs = 500;
      const parser = new SseParser((message) => { ending = this.message(message) || ending; });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done || ending === 'revoked') break;
        parser.push(value);
      }
    } catch {
      // A network failure or an abort: the loop decides what comes next.
    }
    return ending || 'ended';
  }

  // One message: an event, or the stream's final word (where to resume).
  message({ id, event, data }) {
    let body;
    try {
      body = JSON.parse(data);
    } catch {
      return null;
    }
    if (event === 'dropped' || event === 'shutdown' || event === 'revoked') {
      if (Number(body.resume_from) > 0) this.last = Number(body.resume_from) - 1;
      if (event === 'revoked') this.onStatus('revoked');
      return event === 'revoked' ? 'revoked' : 'ended';
    }
    const position = Number(id || body.position);
    if (position > this.last) {
      this.last = position;
      this.onEvent(body);
    }
    return null;
  }
}

// The position a first connection starts after: kHistory positions before
// the log's head (from /readyz); null (live only) when that is unknown.
async function recentStart() {
  try {
    const ready = await (await fetch('/readyz', { headers: { Accept: 'application/json' } })).json();
    return Number.isFinite(ready.head_position) ? Math.max(0, ready.head_position - kHistory) : null;
  } catch {
    return null;
  }
}

// Elects a leader with a Web Lock, held until `release()` is called.
function lockElection(onLead) {
  const controller = new AbortController();
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  navigator.locks.request(kLock, { signal: controller.signal }, () => {
    onLead();
    return held;
  }).catch(() => {});
  return () => {
    controller.abort();
    release();
  };
}

// Elects a leader with a lease in local storage: the leader renews it every
// second; a tab that finds it expired writes its own, and leads when the
// lease still names it a moment later. A leader whose timers were throttled
// (a hidden tab) past its lease finds another's name in it and steps down.
function leaseElection(id, onLead, onLose) {
  let leading = false;
  const read = () => {
    try {
      return JSON.parse(localStorage.getItem(kLeaseKey)) || {};
    } catch {
      return {};
    }
  };
  const write = () => localStorage.setItem(kLeaseKey, JSON.stringify({ id, until: Date.now() + kLeaseMs }));
  const tick = () => {
    const lease = read();
    if (leading && lease.id && lease.id !== id) {
      leading = false;
      onLose();
    } else if (leading) {
      write();
    } else if (!lease.until || lease.until < Date.now()) {
      write();
      setTimeout(() => {
        if (!leading && read().id === id) {
          leading = true;
          onLead();
        }
      }, 150);
    }
  };
  const timer = setInterval(tick, 1000);
  const resign = () => {
    if (read().id === id) localStorage.removeItem(kLeaseKey);
  };
  addEventListener('pagehide', resign);
  tick();
  return () => {
    clearInterval(timer);
    removeEventListener('pagehide', resign);
    if (leading) resign();
  };
}

// This tab's view of the shared stream.
class SharedStream {
  constructor() {
    this.id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    this.listeners = new Set();
    this.recent = [];
    this.last = 0;
    this.status = 'connecting';
    this.leading = false;
    this.channel = null;
    this.connection = null;
    this.resign = null;
  }

  subscribe(listener) {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    listener({ kind: 'status', status: this.status, leading: this.leading });
    for (const event of this.recent) listener({ kind: 'event', event });
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  emit(message) {
    for (const listener of this.listeners) listener(message);
  }

  start() {
    this.channel = new BroadcastChannel(kChannel);
    this.channel.onmessage = ({ data }) => this.receive(data);
    const lead = () => this.lead();
    this.resign = typeof navigator !== 'undefined' && navigator.locks
      ? lockElection(lead)
      : leaseElection(this.id, lead, () => this.stepDown());
    this.channel.postMessage({ kind: 'hello', from: this.id });
  }

  stop() {
    if (this.connection) this.connection.stop();
    this.connection = null;
    if (this.resign) this.resign();
    this.resign = null;
    if (this.channel) this.channel.close();
    this.channel = null;
    this.leading = false;
  }

  stepDown() {
    if (this.connection) this.connection.stop();
    this.connection = null;
    this.leading = false;
    this.emit({ kind: 'status', status: this.status, leading: false });
  }

  lead() {
    this.leading = true;
    this.setStatus('connecting');
    this.connection = new Connection({
      after: this.last,
      onEvent: (event) => {
        this.take(event);
        this.channel?.postMessage({ kind: 'event', event });
      },
      onStatus: (status) => this.setStatus(status),
    });
  }

  setStatus(status) {
    this.status = status;
    this.emit({ kind: 'status', status, leading: this.leading });
    if (this.leading) this.channel?.postMessage({ kind: 'status', status });
  }

  take(event) {
    if (event.position <= this.last) return;
    this.last = event.position;
    this.recent.push(event);
    if (this.recent.length > kRecent) this.recent.shift();
    this.emit({ kind: 'event', event });
  }

  receive(message) {
    if (message.kind === 'event') {
      this.take(message.event);
    } else if (message.kind === 'status' && !this.leading) {
      this.status = message.status;
      this.emit({ kind: 'status', status: message.status, leading: false });
    } else if (message.kind === 'hello' && this.leading) {
      this.channel.postMessage({ kind: 'recent', to: message.from, events: this.recent, status: this.status });
    } else if (message.kind === 'recent' && message.to === this.id) {
      for (const event of message.events) this.take(event);
      this.status = message.status;
      this.emit({ kind: 'status', status: message.status, leading: this.leading });
    }
  }
}

let shared = null;

// Subscribes `listener` to the browser's one event stream. It receives
// {kind: 'event', event} for each event in the person's scope (the recent
// ones first) and {kind: 'status', status, leading} when the connection
// changes (status: connecting, open, reconnecting, refused, revoked;
// leading: this tab holds the connection). Returns the unsubscribe.
export function subscribeEvents(listener) {
  if (!shared) shared = new SharedStream();
  return shared.subscribe(listener);
}
