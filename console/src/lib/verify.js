// Checking the log in the browser, with no trust in the server: an event's
// hash recomputed from its fields, its inclusion in the tree a signed head
// commits to (RFC 6962 / RFC 9162), the head's Ed25519 signature, and the
// consistency of two heads. Pure functions; SHA-256 and Ed25519 come from
// @noble (audited, pure JavaScript), so this works over plain http where
// WebCrypto is not available. The bytes are those of docs/verification.md.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';

export { bytesToHex, hexToBytes };

const kHeadFormat = 'exemplar-sth-v1';
const utf8 = new TextEncoder();

export function base64ToBytes(text) {
  const binary = atob(text || '');
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// 32 bytes from 64 hex characters, or an Error naming `what`.
function hash32(hex, what) {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new Error(`${what}: not 64 hex characters`);
  }
  return hexToBytes(hex.toLowerCase());
}

// Writes cereal's binary form: integers little-endian, a string as its
// UTF-8 length (8 bytes) then its bytes.
class BodyWriter {
  constructor() {
    this.parts = [];
  }

  u64(value) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(value), true);
    this.parts.push(bytes);
  }

  i64(value) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigInt64(0, BigInt(value), true);
    this.parts.push(bytes);
  }

  u32(value) {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, true);
    this.parts.push(bytes);
  }

  bytes(value) {
    this.u64(value.length);
    this.parts.push(value);
  }

  text(value) {
    this.bytes(utf8.encode(value ?? ''));
  }

  raw(value) {
    this.parts.push(value);
  }

  done() {
    return concatBytes(...this.parts);
  }
}

// The canonical body of an event as the API shows it (the JSON of
// /v1/events, an exemplar's history or the event stream): every stored
// field in the store's order, prev_hash last.
export function eventBodyBytes(event) {
  const w = new BodyWriter();
  const actor = event.actor || {};
  w.u64(event.position);
  w.text(event.stream_id);
  w.u64(event.stream_version);
  w.text(event.type);
  w.u32(event.schema_version);
  w.i64(event.recorded_at_us);
  w.text(actor.user_id);
  w.text(actor.role);
  w.text(actor.unit_id);
  for (const name of ['on_behalf_of', 'reason', 'request_id', 'remote_address',
    'correlation_id', 'causation_id', 'idempotency_key']) {
    // A sealed member's stored bytes, which the hash covers, sit beside the
    // value a reader sees.
    const sealed = event[`${name}_sealed_base64`];
    if (sealed !== undefined) w.bytes(base64ToBytes(sealed));
    else w.text(event[name]);
  }
  w.bytes(base64ToBytes(event.payload_base64));
  w.raw(hash32(event.prev_hash, 'prev_hash'));
  return w.done();
}

// SHA-256(prev_hash || body), hex: what the event's `hash` must be.
export function eventHash(event) {
  return bytesToHex(sha256(concatBytes(hash32(event.prev_hash, 'prev_hash'), eventBodyBytes(event))));
}

export function leafHash(eventHashBytes) {
  return sha256(concatBytes(Uint8Array.of(0), eventHashBytes));
}

function nodeHash(left, right) {
  return sha256(concatBytes(Uint8Array.of(1), left, right));
}

function equalBytes(a, b) {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function halve(at) {
  at.fn = Math.floor(at.fn / 2);
  at.sn = Math.floor(at.sn / 2);
}

// One step up of RFC 9162's proof loops over `at` = {fn, sn}: whether the
// step's proof hash goes on the left; fn and sn move to the level above.
function climb(at) {
  const left = at.fn % 2 === 1 || at.fn === at.sn;
  if (left) {
    while (at.fn % 2 === 0 && at.fn !== 0) halve(at);
  }
  halve(at);
  return left;
}

// RFC 9162 2.1.3.2: true when `path` (hex) proves that the leaf with hash
// `leaf` (bytes) is leaf `index` of the tree of `size` leaves with root
// `root` (bytes).
export function verifyInclusion(leaf, index, size, path, root) {
  if (index >= size) return false;
  const at = { fn: index, sn: size - 1 };
  let r = leaf;
  for (const hex of path) {
    const p = hash32(hex, 'path');
    if (at.sn === 0) return false;
    r = climb(at) ? nodeHash(p, r) : nodeHash(r, p);
  }
  return at.sn === 0 && equalBytes(r, root);
}

function isPowerOfTwo(n) {
  let m = n;
  while (m > 1 && m % 2 === 0) m /= 2;
  return m === 1;
}

// RFC 9162 2.1.4.2: true when `path` (hex) proves that the tree of
// `first` leaves with root `firstRoot` is a prefix of the tree of `second`
// leaves with root `secondRoot` (roots as bytes).
export function verifyConsistency(first, second, firstRoot, secondRoot, path) {
  if (first === 0 || first > second) return false;
  if (first === second) return path.length === 0 && equalBytes(firstRoot, secondRoot);
  let proof = path.map((hex) => hash32(hex, 'path'));
  if (proof.length === 0) return false;
  if (isPowerOfTwo(first)) proof = [firstRoot, ...proof];
  const at = { fn: first - 1, sn: second - 1 };
  while (at.fn % 2 === 1) halve(at);
  let fr = proof[0];
  let sr = proof[0];
  for (const c of proof.slice(1)) {
    if (at.sn === 0) return false;
    if (climb(at)) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
    } else {
      sr = nodeHash(sr, c);
    }
  }
  return at.sn === 0 && equalBytes(fr, firstRoot) && equalBytes(sr, secondRoot);
}

// The 63 signed bytes of a head: "exemplar-sth-v1", tree_size and
// timestamp_us as 8 bytes big-endian each, the root hash.
export function signedHeadBytes(head) {
  const numbers = new Uint8Array(16);
  const view = new DataView(numbers.buffer);
  view.setBigUint64(0, BigInt(head.tree_size), false);
  view.setBigInt64(8, BigInt(head.timestamp_us), false);
  return concatBytes(utf8.encode(kHeadFormat), numbers, hash32(head.root_hash, 'root_hash'));
}

// True when the head carries a valid Ed25519 signature (RFC 8032, strict)
// by the key given as 64 hex characters.
export function verifyHeadSignature(head, publicKeyHex) {
  try {
    const signature = hexToBytes(head.signature);
    const key = hash32(publicKeyHex, 'public key');
    return ed25519.verify(signature, signedHeadBytes(head), key, { zip215: false });
  } catch {
    return false;
  }
}

// What a person compares with the fingerprint published out of band:
// SHA-256 of the 32 raw key bytes, in groups of four hex digits.
export function keyFingerprint(publicKeyHex) {
  const hex = bytesToHex(sha256(hash32(publicKeyHex, 'public key')));
  return hex.match(/.{4}/g).join(' ');
}

// Every check of one event against a signed head, in order; `ok` when all
// pass. Each check: {name, ok, detail?}. Names: "hash" (recomputed from the
// fields), "proof_event" (the proof is about this event), "proof_head" (the
// proof is for the head's tree size), "inclusion", "signature".
export function verifyEvent({ event, proof, head, publicKeyHex }) {
  const checks = [];
  const check = (name, run) => {
    try {
      const result = run();
      checks.push(typeof result === 'object' ? { name, ...result } : { name, ok: Boolean(result) });
    } catch (error) {
      checks.push({ name, ok: false, detail: error.message });
    }
  };
  let recomputed = '';
  check('hash', () => {
    recomputed = eventHash(event);
    return { ok: recomputed === String(event.hash).toLowerCase(), detail: recomputed };
  });
  check('proof_event', () => proof.leaf_index === event.position - 1 &&
    String(proof.event_hash).toLowerCase() === recomputed);
  check('proof_head', () => proof.tree_size === head.tree_size);
  check('inclusion', () => verifyInclusion(leafHash(hash32(recomputed, 'hash')), proof.leaf_index,
    head.tree_size, proof.path, hash32(head.root_hash, 'root_hash')));
  check('signature', () => verifyHeadSignature(head, publicKeyHex));
  return { ok: checks.every((c) => c.ok), checks };
}

// Whether `next` (signed) extends `previous` (a head verified before):
// {ok, checks} with "signature" and "consistency". Equal sizes must have
// equal roots; a smaller new head is a rewrite.
export function verifyHeadExtends({ previous, next, proof, publicKeyHex }) {
  const checks = [{ name: 'signature', ok: verifyHeadSignature(next, publicKeyHex) }];
  let ok = false;
  try {
    const path = proof ? proof.path : [];
    const matches = !proof || (proof.first_size === previous.tree_size && proof.second_size === next.tree_size);
    ok = matches && verifyConsistency(previous.tree_size, next.tree_size,
      hash32(previous.root_hash, 'root_hash'), hash32(next.root_hash, 'root_hash'), path);
  } catch {
    ok = false;
  }
  checks.push({ name: 'consistency', ok });
  return { ok: checks.every((c) => c.ok), checks };
}
