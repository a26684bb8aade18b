// The browser's verifier against what the server produced (vectors.json,
// written by make-vectors.mjs from a demo server): real events, inclusion
// proofs, signed heads, a consistency proof; and tampered copies of each.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  bytesToHex, eventHash, keyFingerprint, leafHash, verifyConsistency, verifyEvent, verifyHeadExtends,
  verifyHeadSignature, verifyInclusion,
} from '../src/lib/verify.js';

const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));
const { head, old_head: oldHead, consistency, public_key_hex: key } = vectors;
const copy = (value) => structuredClone(value);
const failed = (result) => result.checks.filter((c) => !c.ok).map((c) => c.name);
const flipHex = (hex, at = 0) => hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1);

test('the recomputed hash of every vector event is the server\'s', () => {
  for (const { event } of vectors.events) assert.equal(eventHash(event), event.hash, `position ${event.position}`);
});

test('the vectors cover Vietnamese text, a request\'s address and a workflow event', () => {
  const events = vectors.events.map((v) => v.event);
  const payloads = events.map((e) => Buffer.from(e.payload_base64, 'base64').toString('utf8')).join(' ');
  assert.match(payloads, /[ạ-ỹ]/u);
  assert.ok(events.some((e) => e.remote_address !== ''));
  assert.ok(events.some((e) => e.stream_id.startsWith('exemplar-')));
  assert.ok(events.some((e) => e.position === 1 && /^0{64}$/.test(e.prev_hash)));
});

test('every vector event verifies against the signed head', () => {
  for (const { event, proof } of vectors.events) {
    const result = verifyEvent({ event, proof, head, publicKeyHex: key });
    assert.deepEqual(failed(result), [], `position ${event.position}`);
    assert.equal(result.ok, true);
  }
});

test('a sealed member is hashed as its stored bytes, not as the value shown', () => {
  const { event } = vectors.events.at(-1);
  const shown = copy(event);
  shown.reason_sealed_base64 = Buffer.from(event.reason, 'utf8').toString('base64');
  shown.reason = '[đã xóa]';
  assert.equal(eventHash(shown), event.hash);
  shown.reason_sealed_base64 = Buffer.from(`${event.reason}x`, 'utf8').toString('base64');
  assert.notEqual(eventHash(shown), event.hash);
});

test('a changed field breaks the hash, and with it the proof', () => {
  const { event, proof } = vectors.events.at(-1);
  for (const change of [
    (e) => { e.reason = `${e.reason}x`; },
    (e) => { e.actor.user_id = 'someone-else'; },
    (e) => { e.recorded_at_us += 1; },
    (e) => { e.payload_base64 = Buffer.from('tampered').toString('base64'); },
    (e) => { e.prev_hash = flipHex(e.prev_hash); },
    (e) => { e.stream_version += 1; },
  ]) {
    const tampered = copy(event);
    change(tampered);
    const result = verifyEvent({ event: tampered, proof, head, publicKeyHex: key });
    assert.equal(result.ok, false);
    assert.ok(failed(result).includes('hash'));
  }
});

test('a tampered proof fails inclusion', () => {
  const { event, proof } = vectors.events[2];
  const tampered = copy(proof);
  tampered.path[0] = flipHex(tampered.path[0], 10);
  assert.deepEqual(failed(verifyEvent({ event, proof: tampered, head, publicKeyHex: key })), ['inclusion']);
  const shorter = copy(proof);
  shorter.path.pop();
  assert.deepEqual(failed(verifyEvent({ event, proof: shorter, head, publicKeyHex: key })), ['inclusion']);
});

test('a proof for another event or another tree is refused', () => {
  const [first, second] = vectors.events;
  const result = verifyEvent({ event: first.event, proof: second.proof, head, publicKeyHex: key });
  assert.ok(failed(result).includes('proof_event'));
  assert.ok(failed(result).includes('inclusion'));
  const smaller = copy(first.proof);
  smaller.tree_size -= 1;
  assert.ok(failed(verifyEvent({ event: first.event, proof: smaller, head, publicKeyHex: key })).includes('proof_head'));
});

test('a tampered head fails its signature, and its root the inclusion', () => {
  const { event, proof } = vectors.events[1];
  const otherRoot = copy(head);
  otherRoot.root_hash = flipHex(head.root_hash);
  assert.deepEqual(failed(verifyEvent({ event, proof, head: otherRoot, publicKeyHex: key })), ['inclusion', 'signature']);
  const otherTime = copy(head);
  otherTime.timestamp_us += 1;
  assert.deepEqual(failed(verifyEvent({ event, proof, head: otherTime, publicKeyHex: key })), ['signature']);
  const otherSignature = copy(head);
  otherSignature.signature = flipHex(head.signature, 5);
  assert.equal(verifyHeadSignature(otherSignature, key), false);
  assert.equal(verifyHeadSignature(head, flipHex(key, 3)), false);
});

test('the newer head extends the older one', () => {
  assert.ok(oldHead.tree_size < head.tree_size);
  assert.equal(verifyHeadSignature(oldHead, key), true);
  const result = verifyHeadExtends({ previous: oldHead, next: head, proof: consistency, publicKeyHex: key });
  assert.deepEqual(failed(result), []);
  assert.equal(verifyHeadExtends({ previous: head, next: head, proof: null, publicKeyHex: key }).ok, true);
});

test('a rewritten log fails the consistency check', () => {
  const rewritten = copy(oldHead);
  rewritten.root_hash = flipHex(oldHead.root_hash);
  assert.deepEqual(failed(verifyHeadExtends({ previous: rewritten, next: head, proof: consistency, publicKeyHex: key })), ['consistency']);
  const badPath = copy(consistency);
  badPath.path[0] = flipHex(badPath.path[0]);
  assert.deepEqual(failed(verifyHeadExtends({ previous: oldHead, next: head, proof: badPath, publicKeyHex: key })), ['consistency']);
  const sameSizeOtherRoot = copy(head);
  sameSizeOtherRoot.root_hash = flipHex(head.root_hash);
  assert.ok(failed(verifyHeadExtends({ previous: sameSizeOtherRoot, next: head, proof: null, publicKeyHex: key })).includes('consistency'));
  assert.equal(verifyHeadExtends({ previous: head, next: oldHead, proof: null, publicKeyHex: key }).ok, false);
});

test('the fingerprint is SHA-256 of the raw key in groups of four', () => {
  const fingerprint = keyFingerprint(key);
  assert.match(fingerprint, /^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
  assert.notEqual(keyFingerprint(flipHex(key)), fingerprint);
});

// RFC 6962 section 2.1 written out recursively, as a reference for every
// tree size up to 33: MTH, PATH and PROOF.
const leaves = Array.from({ length: 33 }, (_, i) => sha256(Uint8Array.of(i)));
const node = (l, r) => sha256(Uint8Array.of(1, ...l, ...r));
const split = (n) => 2 ** Math.floor(Math.log2(n - 1));
function mth(d) {
  if (d.length === 1) return leafHash(d[0]);
  const k = split(d.length);
  return node(mth(d.slice(0, k)), mth(d.slice(k)));
}
function auditPath(m, d) {
  if (d.length === 1) return [];
  const k = split(d.length);
  return m < k ? [...auditPath(m, d.slice(0, k)), mth(d.slice(k))] : [...auditPath(m - k, d.slice(k)), mth(d.slice(0, k))];
}
function subproof(m, d, whole) {
  if (m === d.length) return whole ? [] : [mth(d)];
  const k = split(d.length);
  return m <= k ? [...subproof(m, d.slice(0, k), whole), mth(d.slice(k))]
    : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}
const hex = (list) => list.map((h) => bytesToHex(h));

test('inclusion proofs of the RFC verify for every leaf of every tree up to 33, and no other leaf', () => {
  for (let n = 1; n <= 33; n++) {
    const d = leaves.slice(0, n);
    const root = mth(d);
    for (let m = 0; m < n; m++) {
      const path = hex(auditPath(m, d));
      assert.ok(verifyInclusion(leafHash(d[m]), m, n, path, root), `leaf ${m} of ${n}`);
      if (n > 1) assert.ok(!verifyInclusion(leafHash(d[(m + 1) % n]), m, n, path, root), `wrong leaf ${m} of ${n}`);
    }
  }
});

test('consistency proofs of the RFC verify between every pair of sizes up to 33, and not for another root', () => {
  for (let n = 1; n <= 33; n++) {
    const d = leaves.slice(0, n);
    for (let m = 1; m < n; m++) {
      const path = hex(subproof(m, d, true));
      const first = mth(d.slice(0, m));
      assert.ok(verifyConsistency(m, n, first, mth(d), path), `${m} → ${n}`);
      assert.ok(!verifyConsistency(m, n, leafHash(Uint8Array.of(99)), mth(d), path), `other first root ${m} → ${n}`);
      assert.ok(!verifyConsistency(m, n, first, leafHash(Uint8Array.of(99)), path), `other second root ${m} → ${n}`);
    }
  }
});
