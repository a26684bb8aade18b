// Kiểm chứng: the browser recomputes an event's hash and checks its proof
// and the signed head itself: ✓ on the real server's answers, ✗ naming what
// failed when a test double alters them, and a loud warning when the head
// does not extend the one this browser verified before.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { expectNoA11yViolations, screenshot } from './support.mjs';
import { adminCommand, openSignedIn, scriptErrors, skip } from './session.mjs';

let server;
let page;
let errors;
let tamper = null; // (path, body) => body, applied to /v1/audit answers
let session;

before(async () => {
  if (skip) return;
  session = await openSignedIn('auditor-kh');
  ({ server, page, errors } = session);
  await page.setRequestInterception(true);
  page.on('request', async (request) => {
    const url = new URL(request.url());
    if (!tamper || !url.pathname.startsWith('/v1/audit/')) return request.continue();
    const real = await get(url.pathname + url.search);
    return request.respond({ status: 200, contentType: 'application/json', body: JSON.stringify(tamper(url.pathname, real)) });
  });
});

after(() => session?.close());

async function get(path, user = 'auditor-kh') {
  const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${server.tokens[user]}` } });
  assert.equal(response.status, 200, path);
  return response.json();
}

const flip = (hex) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);

async function verifyExemplar(id) {
  await page.goto(`${server.url}/?v=${Date.now()}#/verify?exemplar=${id}`, { waitUntil: 'load' });
  await page.waitForSelector('.verify-head .facts');
  await page.waitForSelector('.verdict');
  return page.$eval('.verdict', (el) => ({ ok: el.classList.contains('verdict-ok'), text: el.textContent,
    failed: [...el.querySelectorAll('.check-bad')].map((li) => li.textContent) }));
}

test('an event verifies in the browser: ✓ with the tree size and head time', { skip }, async () => {
  const { items } = await get('/v1/exemplars?limit=1');
  const head = await get('/v1/audit/head');
  const verdict = await verifyExemplar(items[0].id);
  assert.equal(verdict.ok, true, verdict.text);
  assert.match(verdict.text, /✓/);
  assert.ok(verdict.text.includes(head.tree_size.toLocaleString('vi-VN')), verdict.text);
  assert.deepEqual(verdict.failed, []);
  const key = await get('/v1/audit/public-key');
  const fingerprint = createHash('sha256').update(Buffer.from(key.hex, 'hex')).digest('hex').match(/.{4}/g).join(' ');
  assert.equal(await page.$eval('.fingerprint', (el) => el.textContent), fingerprint);
  await screenshot(page, 'verify');
  await expectNoA11yViolations(page, 'verify');
});

test('any event of the exemplar can be picked and verified', { skip }, async () => {
  const first = await page.$eval('#verify-pick option', (option) => option.value);
  await page.select('#verify-pick', first);
  await page.waitForFunction((position) => document.querySelector('.verdict-ok')?.textContent.includes(`#${position} `),
    {}, first);
});

test('a tampered inclusion proof shows ✗ and says the proof failed', { skip }, async () => {
  tamper = (path, body) => (path.endsWith('/inclusion') ? { ...body, path: [flip(body.path[0]), ...body.path.slice(1)] } : body);
  try {
    const { items } = await get('/v1/exemplars?limit=1');
    const verdict = await verifyExemplar(items[0].id);
    assert.equal(verdict.ok, false);
    assert.match(verdict.text, /✗/);
    assert.equal(verdict.failed.length, 1, verdict.failed.join(' | '));
    assert.match(verdict.failed[0], /Merkle/);
    await screenshot(page, 'verify-tampered-proof');
  } finally {
    tamper = null;
  }
});

test('a tampered head fails its signature, and the log shows as rewritten', { skip }, async () => {
  tamper = (path, body) => (path === '/v1/audit/head' ? { ...body, root_hash: flip(body.root_hash) } : body);
  try {
    const { items } = await get('/v1/exemplars?limit=1');
    const verdict = await verifyExemplar(items[0].id);
    assert.equal(verdict.ok, false);
    assert.ok(verdict.failed.some((text) => /Ed25519/.test(text)), verdict.failed.join(' | '));
    assert.ok(verdict.failed.some((text) => /Merkle/.test(text)), verdict.failed.join(' | '));
    const alarm = await page.$eval('.alarm[role="alert"]', (el) => el.textContent);
    assert.match(alarm, /VIẾT LẠI/);
    await screenshot(page, 'verify-tampered-head');
    await expectNoA11yViolations(page, 'verify with a warning');
  } finally {
    tamper = null;
  }
});

test('the remembered head is checked against the new one on every visit', { skip }, async () => {
  // The real head again: same size and root as remembered, so no warning.
  await page.goto(`${server.url}/?v=${Date.now()}#/verify`, { waitUntil: 'load' });
  await page.waitForSelector('.verify-head .facts');
  assert.equal(await page.$('.alarm'), null);
  // The log grows and a new head is signed: consistent with the old one.
  await adminCommand(server, '/v1/units', { unit_id: `verify-${Date.now()}`, name: 'Xã Kiểm Chứng', level: 'commune', parent_id: 'kh' });
  const before = await page.evaluate(() => JSON.parse(localStorage.getItem(`exemplar.verified-head:${location.origin}`)).tree_size);
  const grown = await get('/v1/audit/head?fresh=1', 'admin');
  assert.ok(grown.tree_size > before);
  await page.goto(`${server.url}/?v=${Date.now()}#/verify`, { waitUntil: 'load' });
  await page.waitForSelector('.verify-head .facts');
  assert.match(await page.$eval('.verify-head', (el) => el.textContent), /Nhất quán/);
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem(`exemplar.verified-head:${location.origin}`)).tree_size), grown.tree_size);
  // A browser that once saw another root at that size: the log was rewritten.
  await page.evaluate(() => {
    const key = `exemplar.verified-head:${location.origin}`;
    const head = JSON.parse(localStorage.getItem(key));
    head.tree_size -= 1;
    head.root_hash = 'ab'.repeat(32);
    localStorage.setItem(key, JSON.stringify(head));
  });
  await page.goto(`${server.url}/?v=${Date.now()}#/verify`, { waitUntil: 'load' });
  await page.waitForSelector('.alarm[role="alert"]');
  assert.match(await page.$eval('.alarm', (el) => el.textContent), /VIẾT LẠI/);
  assert.deepEqual(scriptErrors(errors), []);
});
