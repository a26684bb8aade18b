// What the record screens' browser tests share (exemplars, exemplar,
// ledger, reports): a signed-in page per person, moving by the hash route,
// and CSV downloads read back as bytes.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { collectPageErrors, openBrowser, signIn, startDemoServer } from './support.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A page of its own (cookies apart) signed in as `user`; downloads go to
// `downloads`, a folder removed again by close(). Returns {page, errors,
// downloads, close()}.
export async function pageAs(browser, url, user, viewport = { width: 1366, height: 768 }) {
  const downloads = mkdtempSync(path.join(os.tmpdir(), 'exemplar-downloads-'));
  const context = await browser.createBrowserContext({ downloadBehavior: { policy: 'allow', downloadPath: downloads } });
  const page = await context.newPage();
  await page.setViewport(viewport);
  page.setDefaultTimeout(15000);
  const errors = collectPageErrors(page);
  await signIn(page, url, user);
  const close = async () => {
    await context.close();
    rmSync(downloads, { recursive: true, force: true });
  };
  return { page, errors, downloads, close };
}

// For the suite it is called in: a demo server and a browser started
// before the tests, with a page signed in as `user` (`suite.main`), and
// stopped after them. Returns the suite's {server, browser, main}, filled
// in once `before` has run.
export function demoSuite(user) {
  const suite = {};
  before(async () => {
    suite.server = await startDemoServer();
    ({ browser: suite.browser } = await openBrowser());
    suite.main = await pageAs(suite.browser, suite.server.url, user);
  });
  after(async () => {
    await suite.main?.close();
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}

// Moves to a console route ("/exemplars?q=x") and waits for `selector`.
export async function go(page, route, selector) {
  await page.evaluate((hash) => { location.hash = hash; }, `#${route}`);
  if (selector) await page.waitForSelector(selector);
}

// Clicks `selector` and resolves with the file it downloads: {name, bytes}.
export async function download(page, folder, selector) {
  const before = new Set(readdirSync(folder));
  await page.click(selector);
  for (let i = 0; i < 150; i += 1) {
    const done = readdirSync(folder).filter((f) => !before.has(f) && !f.endsWith('.crdownload'));
    if (done.length) return { name: done[0], bytes: readFileSync(path.join(folder, done[0])) };
    await sleep(100);
  }
  throw new Error(`no download from ${selector} in 15 s`);
}

// The text of a UTF-8 CSV with its byte order mark (what Excel needs to
// read Vietnamese); throws on bytes that are not UTF-8.
export function csvText(bytes) {
  if (!(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) throw new Error('no UTF-8 byte order mark');
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
}

// A JSON answer of the API, fetched in the page with its session (to
// compare what a screen shows with what the server says).
export function apiGet(page, pathAndQuery) {
  return page.evaluate(async (target) => {
    const response = await fetch(target, { headers: { 'Accept-Language': 'vi' } });
    return response.json();
  }, pathAndQuery);
}

// The Vietnamese label the definition gives a state or an action.
export async function workflowLabel(page, kind, name) {
  const workflow = await apiGet(page, '/v1/workflow');
  return workflow[kind].find((item) => item.name === name).vi;
}
