// Quy trình: the diagram is drawn from GET /v1/workflow: a box per state,
// an arrow per move, a row per action with the roles that may take it;
// readable at 1366×768 and at a phone's width.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectNoA11yViolations, screenshot } from './support.mjs';
import { openSignedIn, scriptErrors, skip } from './session.mjs';

let server;
let page;
let errors;
let workflow;
let session;

before(async () => {
  if (skip) return;
  session = await openSignedIn('nominator-camlam-1');
  ({ server, page, errors } = session);
  const response = await fetch(`${server.url}/v1/workflow`, {
    headers: { Authorization: `Bearer ${server.tokens.admin}` },
  });
  workflow = await response.json();
});

after(() => session?.close());

test('every state, action and role of the definition is shown', { skip }, async () => {
  await page.goto(`${server.url}/#/process`, { waitUntil: 'load' });
  await page.waitForSelector('svg.diagram .node');
  const boxes = await page.$$eval('svg.diagram .node title', (texts) => texts.map((t) => t.textContent));
  assert.equal(boxes.length, workflow.states.length);
  for (const state of workflow.states) assert.ok(boxes.includes(state.vi), `state ${state.vi}`);
  const rows = await page.$$eval('table.legend tbody tr', (trs) => trs.map((tr) => tr.textContent));
  assert.equal(rows.length, workflow.actions.length);
  const approve = workflow.actions.find((a) => a.name === 'approve');
  const approveRow = rows.find((row) => row.includes(approve.vi));
  for (const role of approve.roles) {
    assert.ok(approveRow.includes(workflow.roles.find((r) => r.name === role).vi), role);
  }
  const moves = workflow.actions.filter((a) => a.to && !a.creates && a.from.length <= workflow.states.length / 2)
    .reduce((n, a) => n + a.from.length, 0);
  assert.equal(await page.$$eval('svg.diagram .edge', (edges) => edges.length), moves);
  await screenshot(page, 'process');
  await expectNoA11yViolations(page, 'process');
});

test('picking a role keeps its actions and dims the others', { skip }, async () => {
  await page.select('#process-role', 'appraiser');
  const rows = await page.$$eval('table.legend tbody tr', (trs) => trs.length);
  assert.equal(rows, workflow.actions.filter((a) => a.roles.includes('appraiser')).length);
  const lit = await page.$$eval('svg.diagram .edge:not(.edge-dim)', (edges) => edges.length);
  assert.ok(lit > 0);
  assert.ok(lit < await page.$$eval('svg.diagram .edge', (edges) => edges.length));
  await page.select('#process-role', '');
});

test('at a phone\'s width the page does not scroll sideways, only the drawing does', { skip }, async () => {
  await page.setViewport({ width: 390, height: 844 });
  await page.goto(`${server.url}/?phone=1#/process`, { waitUntil: 'load' });
  await page.waitForSelector('svg.diagram .node');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than the screen`);
  await screenshot(page, 'process-phone');
  await page.setViewport({ width: 1366, height: 768 });
  assert.deepEqual(scriptErrors(errors), []);
});
