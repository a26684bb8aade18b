// Dòng sự kiện with a NATS relay: the feed shows the relay's state and lag
// from /readyz, against the real binary relaying to a local nats-server
// (JetStream). Skipped, saying so, where nats-server is missing
// (scripts/deps installs it).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, openBrowser, signIn, skipReason, startDemoServer } from './support.mjs';

const hasNats = spawnSync('sh', ['-c', 'command -v nats-server']).status === 0;
const skip = skipReason || (hasNats ? false : 'nats-server not found: relay feed test skipped');

let nats;
let natsDir;
let server;
let browser;
let page;

before(async () => {
  if (skip) return;
  natsDir = mkdtempSync(path.join(os.tmpdir(), 'exemplar-nats-'));
  const port = await freePort();
  nats = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', natsDir],
    { stdio: 'ignore' });
  server = await startDemoServer({ args: ['--relay-url', `nats://127.0.0.1:${port}`] });
  ({ browser, page } = await openBrowser());
  await signIn(page, server.url, 'auditor-kh');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  // nats-server writes its store until it has exited: remove it after.
  if (nats && nats.exitCode === null && nats.signalCode === null) {
    const exited = new Promise((resolve) => nats.once('exit', resolve));
    nats.kill('SIGTERM');
    await exited;
  }
  if (natsDir) rmSync(natsDir, { recursive: true, force: true });
});

test('the feed shows the relay connected and its lag', { skip }, async () => {
  await page.goto(`${server.url}/#/feed`, { waitUntil: 'load' });
  const text = await page.waitForFunction(() => {
    const relay = document.querySelector('.relay');
    return relay && /đã kết nối/.test(relay.textContent) && relay.textContent;
  }, { timeout: 20000 }).then((handle) => handle.jsonValue());
  assert.match(text, /Bộ chuyển tiếp NATS/);
  assert.match(text, /độ trễ \d+ sự kiện, \d+\.\d s/);
});
