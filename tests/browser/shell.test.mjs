// The console's frame in a real browser: it loads with no error and fast,
// a person signs in and out, wrong passwords are refused and then slowed,
// another origin cannot act with the session's cookie, and the sign-in and
// overview screens pass axe at a desktop's and a phone's width.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { describe, test } from 'node:test';
import {
  expectNoA11yViolations, kDemoPassword, screenshot, signIn, skipReason, useDemoBrowser,
} from './support.mjs';

const kOfficer = 'approver-camlam-1';
const kPhone = { width: 390, height: 844 };

// The Vietnamese names the definition gives this quarter's lead blocs
// (the quarter in Vietnam's time, UTC+7).
function leadBlocNames() {
  const definition = JSON.parse(readFileSync(new URL('../../workflows/exemplar.json', import.meta.url), 'utf8'));
  const quarter = Math.floor(new Date(Date.now() + 7 * 3600 * 1000).getUTCMonth() / 3) + 1;
  const rotation = definition.deadlines.lead_bloc_rotation.find((r) => r.quarter === quarter);
  return rotation ? rotation.blocs.map((bloc) => bloc.vi) : [];
}

// The navigation timing of the page's last load, in ms from its start.
function navigationTiming(page) {
  return page.evaluate(() => {
    const [entry] = performance.getEntriesByType('navigation');
    const resources = performance.getEntriesByType('resource')
      .filter((r) => new URL(r.name).pathname.startsWith('/assets/'));
    return {
      responseEnd: entry.responseEnd,
      domContentLoaded: entry.domContentLoadedEventEnd,
      load: entry.loadEventEnd,
      transferred: entry.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
    };
  });
}

// When the page marked `name` (performance.mark in the console), in ms
// from the navigation's start.
async function markedAt(page, name) {
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, {}, name);
  return page.evaluate((mark) => performance.getEntriesByName(mark)[0].startTime, name);
}

describe('the console shell', { skip: skipReason || false }, () => {
  const env = useDemoBrowser();

  test('the page and its files load under the CSP with no error', async () => {
    const { server, page, errors } = env;
    const files = [];
    const onResponse = (r) => {
      if (new URL(r.url()).pathname.startsWith('/assets/')) files.push(r);
    };
    page.on('response', onResponse);
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('app').childElementCount > 0);
    page.off('response', onResponse);
    assert.equal(files.length, 2, files.map((r) => r.url()).join(', '));
    for (const file of files) {
      assert.equal(file.status(), 200);
      assert.equal(file.headers()['content-encoding'], 'br');
      assert.match(file.headers()['cache-control'], /immutable/);
    }
    // A script or style the CSP refused would show as a console error.
    assert.deepEqual(errors, []);
  });

  test('loads on loopback in under a second with no error', async (t) => {
    if (env.noSessions) return t.skip(env.noSessions);
    const { server, page, errors } = env;
    await page.goto(`${server.url}/`, { waitUntil: 'load' });  // the browser warms up
    await page.setCacheEnabled(false);
    await page.reload({ waitUntil: 'load' });
    const ready = await markedAt(page, 'console-ready');
    const timing = await navigationTiming(page);
    await page.setCacheEnabled(true);
    console.log(`console load on loopback, nothing cached: index.html ${timing.responseEnd.toFixed(0)} ms, ` +
      `DOMContentLoaded ${timing.domContentLoaded.toFixed(0)} ms, load ${timing.load.toFixed(0)} ms, ` +
      `sign-in screen shown ${ready.toFixed(0)} ms, ${(timing.transferred / 1024).toFixed(1)} KiB transferred`);
    assert.ok(ready < 1000, `the sign-in screen took ${ready} ms`);
    assert.ok(await page.$('#signin-user'));
    assert.equal(await page.$eval('html', (html) => html.lang), 'vi');
    assert.deepEqual(errors, []);
  });

  test('the sign-in screen passes axe, in both widths', async (t) => {
    if (env.noSessions) return t.skip(env.noSessions);
    const { server, page } = env;
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.waitForSelector('#signin-user');
    await expectNoA11yViolations(page, 'sign-in');
    await screenshot(page, 'signin-1366x768');
    await page.setViewport(kPhone);
    await expectNoA11yViolations(page, 'sign-in (phone)');
    await screenshot(page, 'signin-390x844');
    await page.setViewport({ width: 1366, height: 768 });
  });

  test('the demo password signs in, to the overview of the person\'s scope', async (t) => {
    if (env.noSessions) return t.skip(env.noSessions);
    const { server, page, errors } = env;
    await signIn(page, server.url, kOfficer);
    assert.equal(await page.$eval('#page-title', (h) => h.textContent), 'Tổng quan');
    await page.waitForSelector('#quotas-title');
    await page.waitForSelector('#deadlines-title');
    await page.waitForSelector('#follow-up-title');
    const units = await page.$$eval('.bar-name', (names) => names.map((n) => n.textContent));
    assert.ok(units.includes('Xã Cam Lâm'), units.join(', '));
    assert.ok(!units.includes('Xã Suối Dầu'), 'a commune officer sees only their commune');
    assert.match(await page.$eval('.who', (who) => who.textContent), /Xã Cam Lâm|camlam-1/);
    const deadlines = await page.$eval('#deadlines-title', (h) => h.closest('section').textContent);
    for (const bloc of leadBlocNames()) assert.ok(deadlines.includes(bloc), `${bloc} in ${deadlines}`);
    assert.deepEqual(errors, []);
  });

  test('the overview passes axe and is measured with data, in both widths', async (t) => {
    if (env.noSessions) return t.skip(env.noSessions);
    const { page, errors } = env;
    await page.reload({ waitUntil: 'load' });
    const shown = await markedAt(page, 'overview-ready');
    await page.waitForSelector('#quotas-title');
    console.log(`overview with its four reports on loopback (files cached): ${shown.toFixed(0)} ms`);
    assert.ok(shown < 1000, `the overview took ${shown} ms`);
    await expectNoA11yViolations(page, 'overview');
    await screenshot(page, 'overview-1366x768');
    await page.setViewport(kPhone);
    await expectNoA11yViolations(page, 'overview (phone)');
    await screenshot(page, 'overview-390x844');
    // On a phone the navigation folds behind the menu button.
    assert.equal(await page.$eval('#main-nav', (nav) => getComputedStyle(nav).display), 'none');
    await page.click('.menu-toggle');
    assert.equal(await page.$eval('.menu-toggle', (b) => b.getAttribute('aria-expanded')), 'true');
    assert.notEqual(await page.$eval('#main-nav', (nav) => getComputedStyle(nav).display), 'none');
    await page.setViewport({ width: 1366, height: 768 });
    assert.deepEqual(errors, []);
  });

  test('English is a switch away, and <html lang> follows', async (t) => {
    if (env.noSessions) return t.skip(env.noSessions);
    const { page } = env;
    await page.click('button.language');
    await page.waitForFunction(() => document.getElementById('page-title')?.textContent === 'Overview');
    assert.equal(await page.$eval('html', (html) => html.lang), 'en');
    await page.click('button.language');
    await page.waitForFunction(() => document.getElementById('page-title')?.textContent === 'Tổng quan');
    assert.equal(await page.$eval('html', (html) => html.lang), 'vi');
  });

  test('navigating moves the focus to the new page\'s heading', async (t) => {
    if (env.noSessions) return t.skip(env.noSessions);
    const { page } = env;
    await page.click('#main-nav a[href="#/ledger"]');
    await page.waitForFunction(() => location.hash === '#/ledger');
    await page.waitForFunction(() => document.activeElement?.id === 'page-title'
      || document.activeElement?.id === 'main');
    await page.click('#main-nav a[href="#/"]');
    await page.waitForFunction(() => document.activeElement?.id === 'page-title');
  });

  test('another origin cannot act with the session\'s cookie', async (t) => {
    if (env.noSessions) return t.skip(env.noSessions);
    const { server, page } = env;
    // A page on a second local origin (same site: cookies go along) posts
    // to the API as a form would, with the signed-in person's cookie.
    const attacker = http.createServer((request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><title>other</title><script>
        fetch(${JSON.stringify(`${server.url}/v1/exemplars`)}, {
          method: 'POST', mode: 'no-cors', credentials: 'include',
          headers: {'Content-Type': 'text/plain'},
          body: JSON.stringify({exemplar_id: '00000000-0000-4000-8000-00000000c5f0', subject_kind: 'household',
            name: 'CSRF', unit_id: 'camlam-1', field: 'production_business',
            source: 'branch_report', summary: 'x'})
        }).finally(() => { document.title = 'sent'; });
      </script>`);
    });
    await new Promise((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      const answer = page.waitForResponse((r) => r.url().endsWith('/v1/exemplars')
        && r.request().method() === 'POST');
      await page.goto(`http://127.0.0.1:${attacker.address().port}/`);
      const response = await answer;
      assert.equal(response.status(), 403);
      // The body of an opaque answer may be out of the browser's reach.
      const body = await response.text().catch(() => '');
      if (body) assert.match(body, /csrf_rejected/);
      await page.waitForFunction(() => document.title === 'sent');
    } finally {
      attacker.close();
    }
    const probe = await fetch(`${server.url}/v1/exemplars/00000000-0000-4000-8000-00000000c5f0`,
      { headers: { Authorization: `Bearer ${server.tokens.admin}` } });
    assert.equal(probe.status, 404, 'nothing was created');
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.waitForSelector('#page-title');
  });

  test('sign-out ends the session', async (t) => {
    if (env.noSessions) return t.skip(env.noSessions);
    const { server, page, errors } = env;
    await page.waitForSelector('button.sign-out');
    const [cookie] = (await page.cookies(server.url)).filter((c) => c.name === 'exemplar_session');
    assert.ok(cookie, 'a session cookie');
    assert.ok(cookie.httpOnly);
    assert.equal(cookie.sameSite, 'Strict');
    await page.click('button.sign-out');
    await page.waitForSelector('#signin-user');
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('#signin-user');
    // The old cookie opens nothing any more.
    const replay = await fetch(`${server.url}/v1/session`,
      { headers: { Cookie: `exemplar_session=${cookie.value}` } });
    assert.equal(replay.status, 401);
    assert.deepEqual(errors, []);
  });
});

describe('signing in with a wrong password', { skip: skipReason || false }, () => {
  // A server of its own: the throttle it provokes must not slow the others.
  const env = useDemoBrowser();

  test('is refused in place, then slowed with the wait told', async (t) => {
    if (env.noSessions) return t.skip(env.noSessions);
    const { server, page, errors } = env;
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.waitForSelector('#signin-user');
    await page.type('#signin-user', 'auditor-kh');
    // The wait is short at first (a second), so what the page shows and
    // the server's own answer are read together, at once.
    let seen = { refusal: '' };
    let attempts = 0;
    while (attempts < 20) {
      attempts += 1;
      await page.type('#signin-password', `sai-mat-khau-${attempts}`);
      const answered = page.waitForResponse((r) => r.url().endsWith('/v1/session')
        && r.request().method() === 'POST');
      await page.click('form button[type="submit"]');
      await answered;
      await page.waitForFunction(() => {
        const button = document.querySelector('form button[type="submit"]');
        return !button.textContent.includes('…')
          && document.getElementById('signin-refusal').textContent;
      });
      seen = await page.evaluate(async (password) => {
        const refusal = document.getElementById('signin-refusal').textContent;
        const disabled = document.querySelector('form button[type="submit"]').disabled;
        if (!/quá nhiều lần/.test(refusal)) return { refusal };
        // The right password during the wait is refused too: the throttle
        // is the server's, not the form's.
        const response = await fetch('/v1/session', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ user_id: 'auditor-kh', password }),
        });
        return { refusal, disabled, status: response.status, retryAfter: response.headers.get('Retry-After') };
      }, kDemoPassword);
      if (attempts === 1) {
        assert.equal(seen.refusal, 'Tên đăng nhập hoặc mật khẩu không đúng.');
        assert.ok(await page.$('#signin-user'), 'still on the sign-in screen');
        await expectNoA11yViolations(page, 'sign-in with a refusal');
        await screenshot(page, 'signin-refused-1366x768');
      }
      if (seen.status) break;
    }
    assert.match(seen.refusal, /Đăng nhập sai quá nhiều lần\. Vui lòng thử lại sau \d+ giây\./,
      `after ${attempts} attempts: ${seen.refusal}`);
    assert.ok(seen.disabled, 'the form waits while the server does');
    assert.equal(seen.status, 429);
    assert.ok(Number(seen.retryAfter) > 0);
    console.log(`slowed after ${attempts} wrong passwords (Retry-After ${seen.retryAfter} s)`);
    assert.deepEqual(errors, []);
  });
});
