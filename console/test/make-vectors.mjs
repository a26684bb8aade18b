// Writes test/vectors.json from a running `exemplar serve` on the demo data:
// real events, their inclusion proofs, two signed heads and the consistency
// proof between them, so verify.test.mjs checks the browser's verifier
// against what the server itself produced.
//   node test/make-vectors.mjs --api http://127.0.0.1:8093 --token <admin token>
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { api: { type: 'string' }, token: { type: 'string' } } });
const headers = { Authorization: `Bearer ${values.token}`, 'Content-Type': 'application/json' };

async function call(path, init = {}) {
  const response = await fetch(values.api + path, { headers, ...init });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const key = await call('/v1/audit/public-key');
const oldHead = await call('/v1/audit/head?fresh=1');
// Grow the log, then wait out the one-second rate of fresh heads.
await call('/v1/units', {
  method: 'POST',
  body: JSON.stringify({ unit_id: `vectors-${Date.now()}`, name: 'Xã Thử Nghiệm Ưu Tú', level: 'commune', parent_id: 'camlam' }),
});
await new Promise((resolve) => setTimeout(resolve, 1100));
const head = await call('/v1/audit/head?fresh=1');
const picks = [1, 2, Math.floor(head.tree_size / 2), head.tree_size - 1, head.tree_size];
const events = [];
for (const position of picks) {
  const page = await call(`/v1/events?from=${position}&limit=1`);
  const event = page.events[0];
  delete event.data;
  const proof = await call(`/v1/audit/proof/inclusion?position=${position}&tree_size=${head.tree_size}`);
  events.push({ event, proof });
}
const consistency = await call(`/v1/audit/proof/consistency?from=${oldHead.tree_size}&to=${head.tree_size}`);
const vectors = { public_key_hex: key.hex, old_head: oldHead, head, consistency, events };
writeFileSync(new URL('./vectors.json', import.meta.url), `${JSON.stringify(vectors, null, 1)}\n`);
console.log(`vectors: ${events.length} events, heads ${oldHead.tree_size} → ${head.tree_size}`);
