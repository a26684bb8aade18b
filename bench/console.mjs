// How fast the console answers a person on a large province: Debian's
// headless Chromium against a running server, signed in as a reader of the
// whole province. For each step it prints the time from the person's act
// (a navigation, a click) until the screen shows its data, measured in the
// page with performance.now(), over several rounds: median and worst.
// Usage (bench/console builds the data and starts the server):
//   node bench/console.mjs URL USER PASSWORD [ROUNDS]
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const puppeteer = require('puppeteer-core');

const [url, user, password, roundsText = '5'] = process.argv.slice(2);
const rounds = Number(roundsText);
const kChromium = process.env.CHROMIUM || '/usr/bin/chromium';

// Runs `act` in the page and resolves with the ms until the answer to the
// request whose URL holds `awaited` arrived and then `ready()` held there
// (polled on every animation frame).
async function timed(page, act, awaited, ready) {
  await page.evaluate(() => { window.__benchStart = performance.now(); });
  await Promise.all([page.waitForResponse((r) => r.url().includes(awaited), { timeout: 60000 }), act()]);
  await page.waitForFunction(ready, { polling: 'raf', timeout: 60000 });
  return page.evaluate(() => performance.now() - window.__benchStart);
}

const notBusy = () => !document.querySelector('[aria-busy="true"]') && !document.querySelector('.loading');
const go = (page, hash) => () => page.evaluate((h) => { window.location.hash = h; }, hash);

const steps = {
  // From the navigation's start (the page's time origin).
  'sign-in screen, nothing cached': async (page) => {
    await page.setCacheEnabled(false);
    await page.goto('about:blank');
    await page.goto(`${url}/`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#signin-user');
    return page.evaluate(() => performance.now());
  },
  'overview (four reports)': async (page) => {
    await go(page, '#/process')();
    return timed(page, go(page, '#/'), '/v1/reports/follow-up', notBusy);
  },
  'exemplar list, first page': (page) => timed(page, go(page, '#/exemplars?sort=name'), '/v1/exemplars?', notBusy),
  'exemplar list, next page': (page) => timed(page, () => page.click('.pager button:last-child'), '/v1/exemplars?', notBusy),
  'search "nguyen thi"': (page) => timed(page, go(page, '#/exemplars?q=nguyen%20thi'), '/v1/exemplars?', notBusy),
  'filter by stage (honoured)': (page) => timed(page, go(page, '#/exemplars?state=honoured'), '/v1/exemplars?', notBusy),
  'one exemplar\'s record': async (page) => {
    const id = await page.evaluate(() => document.querySelector('.sc-list tbody tr a')?.textContent);
    return timed(page, go(page, `#/exemplars/${id}`), `/v1/exemplars/${id}/history`,
      () => document.querySelectorAll('.sc-timeline li').length > 0 && !document.querySelector('.loading'));
  },
  'approvals ledger': (page) => timed(page, go(page, '#/ledger'), '/v1/ledger', notBusy),
  'quota report': (page) => timed(page, go(page, '#/reports'), '/v1/reports/quotas', notBusy),
};

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], worst: sorted[sorted.length - 1] };
}

const browser = await puppeteer.launch({
  executablePath: kChromium,
  headless: true,
  args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--lang=vi-VN'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 768 });
  await page.goto(`${url}/`, { waitUntil: 'load' });
  await page.waitForSelector('#signin-user');
  await page.type('#signin-user', user);
  await page.type('#signin-password', password);
  await Promise.all([page.waitForSelector('#page-title'), page.click('form button[type="submit"]')]);
  const times = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, step] of Object.entries(steps)) {
      if (name.startsWith('sign-in')) continue;
      (times[name] ||= []).push(await step(page).catch((error) => {
        throw new Error(`${name}: ${error.message}`);
      }));
    }
  }
  const signedOut = await browser.createBrowserContext();
  const fresh = await signedOut.newPage();
  await fresh.setViewport({ width: 1366, height: 768 });
  for (let round = 0; round < rounds; round++) {
    (times['sign-in screen, nothing cached'] ||= []).push(await steps['sign-in screen, nothing cached'](fresh));
  }
  const heap = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize : 0));
  console.log(`${'step'.padEnd(34)} ${'median ms'.padStart(10)} ${'worst ms'.padStart(10)}   (${rounds} rounds)`);
  for (const [name, values] of Object.entries(times)) {
    const { median, worst } = summary(values);
    console.log(`${name.padEnd(34)} ${median.toFixed(0).padStart(10)} ${worst.toFixed(0).padStart(10)}`);
  }
  console.log(`JS heap in use after the rounds: ${(heap / 1048576).toFixed(1)} MiB`);
} finally {
  await browser.close();
}
