// Every screen of the navigation works for every role of the demo: each
// demo person whose token the demo prints signs in, opens each screen the
// navigation offers them, and sees it load with no error shown and no
// script error. What each may read is the server's scope; here only that
// no screen breaks for anyone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectPageErrors, signIn, skipReason, useDemoBrowser } from './support.mjs';

// The navigation's screens, by their hash (the list of a signed-in frame).
async function navigationPaths(page) {
  return page.$$eval('#main-nav a', (links) => links.map((a) => a.getAttribute('href')));
}

// Opens `hash` and resolves once the page's title shows and nothing is
// still loading.
async function openScreen(page, hash) {
  await page.evaluate((h) => { window.location.hash = h; }, hash);
  await page.waitForFunction(() => document.querySelector('#page-title')
    && !document.querySelector('.loading') && !document.querySelector('[aria-busy="true"]'),
  { polling: 100, timeout: 15000 });
}

describe('every screen for every role', { skip: skipReason || false }, () => {
  const env = useDemoBrowser();

  test('each demo person opens each screen of their navigation without an error', async (t) => {
    if (env.noSessions) return t.skip(env.noSessions);
    const { server, browser } = env;
    const seen = [];
    for (const user of Object.keys(server.tokens)) {
      const context = await browser.createBrowserContext();
      try {
        const page = await context.newPage();
        await page.setViewport({ width: 1366, height: 768 });
        const errors = collectPageErrors(page);
        await signIn(page, server.url, user);
        const paths = await navigationPaths(page);
        assert.ok(paths.length >= 7, `${user}: ${paths.join(' ')}`);
        // And the record of the first exemplar they see, with its actions.
        const first = await page.evaluate(() => fetch('/v1/exemplars?limit=1').then((r) => r.json()));
        if (first.items.length) paths.push(`#/exemplars/${first.items[0].id}`);
        for (const path of paths) {
          await openScreen(page, path);
          const problems = await page.$$eval('.problem', (list) => list.map((p) => p.textContent));
          assert.deepEqual(problems, [], `${user} on ${path}`);
          seen.push(`${user} ${path}`);
        }
        assert.deepEqual(errors, [], user);
      } finally {
        await context.close();
      }
    }
    assert.ok(seen.some((entry) => entry.startsWith('admin #/admin')), 'the admin saw administration');
    assert.ok(seen.filter((entry) => entry.includes('#/exemplars/')).length >= 10, 'records were opened');
  });
});
