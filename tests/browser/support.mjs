// What every browser test shares: the real binary serving a fresh demo
// province, Debian's headless Chromium driven by puppeteer-core, sign-in,
// axe-core's accessibility check, screenshots and page errors.
// Environment (set by the ctest entry, tests/CMakeLists.txt):
//   EXEMPLAR_BINARY      the built `exemplar`
//   EXEMPLAR_SCREENSHOTS where screenshots go (build/screenshots)
//   CHROMIUM             the browser (default: chromium on the PATH)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import puppeteer from 'puppeteer-core';

const here = path.dirname(new URL(import.meta.url).pathname);
const require = createRequire(import.meta.url);

export const kDemoPassword = 'demo-matkhau-2026';
export const kBinary = process.env.EXEMPLAR_BINARY || path.resolve(here, '../../build/tools/exemplar');
export const kScreenshots = process.env.EXEMPLAR_SCREENSHOTS || path.resolve(here, '../../build/screenshots');

function findChromium() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  return '';
}

export const kChromium = findChromium();

// Why the browser tests cannot run here, or '' when they can: pass it to
// node:test's `skip` option.
export const skipReason = !kChromium
  ? 'chromium not found (scripts/deps installs it): browser tests skipped'
  : '';

// A TCP port free on 127.0.0.1 now.
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

// Resolves when `child`'s output shows `pattern`; rejects when it exits first.
function waitForOutput(child, pattern, what) {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${what}: no "${pattern}" in 60 s:\n${output}`)), 60000);
    const look = (chunk) => {
      output += chunk;
      if (output.includes(pattern)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${output}`));
    });
  });
}

// Builds the demo province in a fresh folder and serves it on a free port.
// Returns {url, dataDir, tokens, stop()}; `tokens` are the demo's bearer
// tokens by user.
export async function startDemoServer({ args = [] } = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'exemplar-browser-'));
  const demo = spawnSync(kBinary, ['demo', '--data', dataDir], { encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(`exemplar demo failed:\n${demo.stdout}${demo.stderr}`);
  const port = await freePort();
  const server = spawn(kBinary, ['serve', '--data', dataDir, '--port', String(port), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForOutput(server, 'exemplar serving', 'exemplar serve');
  const tokens = JSON.parse(readFileSync(path.join(dataDir, 'demo-tokens.json'), 'utf8'));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    tokens,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Why a test that signs in cannot run against `url`, or '': a server
// without the sign-in routes (GET /v1/session unrouted) cannot sign anyone
// in. Call from a test as `if (why) return t.skip(why)`.
export async function sessionsMissing(url) {
  const answer = await fetch(`${url}/v1/session`);
  if (answer.status !== 404) return '';
  return 'this server has no /v1/session (sign-in not built in): test skipped';
}

// Debian's Chromium, headless; a page at 1366×768 (a phone: pass
// {width: 390, height: 844}). Chromium runs as root in containers, hence
// --no-sandbox.
export async function openBrowser({ width = 1366, height = 768 } = {}) {
  const browser = await puppeteer.launch({
    executablePath: kChromium,
    headless: true,
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage',
      '--no-first-run', '--lang=vi-VN'],
  });
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  page.setDefaultTimeout(15000);
  return { browser, page };
}

// Opens the console at `url` and signs in as `user`; resolves once the
// overview's heading shows.
export async function signIn(page, url, user, password = kDemoPassword) {
  if (!page.url().startsWith(url)) await page.goto(`${url}/`, { waitUntil: 'load' });
  await page.waitForSelector('#signin-user');
  await page.$eval('#signin-user', (input) => { input.value = ''; });
  await page.type('#signin-user', user);
  await page.type('#signin-password', password);
  await Promise.all([
    page.waitForSelector('.topbar', { timeout: 15000 }),
    page.click('form button[type="submit"]'),
  ]);
  await page.waitForSelector('#page-title');
}

// Runs axe-core in the page; fails on any serious or critical violation,
// naming each with its elements.
export async function expectNoA11yViolations(page, context = 'page') {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Through CDP, not a <script> tag: the console's CSP allows no inline script.
  await page.evaluate(source);
  const result = await page.evaluate(() => window.axe.run(document, {
    resultTypes: ['violations'],
  }));
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length) {
    const lines = serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ` +
      v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    '));
    throw new Error(`accessibility violations on ${context}:\n${lines.join('\n')}`);
  }
  return result.violations;
}

// A full-page PNG in build/screenshots/<name>.png; returns its path.
export async function screenshot(page, name) {
  mkdirSync(kScreenshots, { recursive: true });
  const file = path.join(kScreenshots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Collects, from now on, the page's uncaught exceptions, its console
// errors and any console file (/ or /assets/) that failed to load; the
// returned array fills as they happen. The browser's own log of a refused
// API request ("Failed to load resource": a 401 before signing in) is the
// network's, not the page's, and is left out.
export function collectPageErrors(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if ((pathname === '/' || pathname.startsWith('/assets/')) && response.status() >= 400) {
      errors.push(`${response.status()} ${response.url()}`);
    }
  });
  return errors;
}

// For a describe block: a fresh demo server and a browser on it, started
// before its tests and stopped after them. Returns an object whose
// `server`, `browser`, `page`, `errors` (collectPageErrors) and
// `noSessions` (sessionsMissing) are set once the block's tests run.
export function useDemoBrowser(viewport) {
  const env = {};
  before(async () => {
    env.server = await startDemoServer();
    env.noSessions = await sessionsMissing(env.server.url);
    Object.assign(env, await openBrowser(viewport));
    env.errors = collectPageErrors(env.page);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
