// The reports in a real browser: quotas, deadlines and follow-up, each as
// of an earlier day, with bars and a UTF-8 CSV; axe and screenshots.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectNoA11yViolations, screenshot, skipReason } from './support.mjs';
import { apiGet, csvText, demoSuite, download, go } from './records-support.mjs';

describe('the reports', { skip: skipReason || false }, () => {
  const suite = demoSuite('auditor-kh');

  test('quotas now and as of an earlier day, as bars and a table', async () => {
    const { page, errors } = suite.main;
    // Xã Cam Lâm, which the 2025 reform made of four communes: its row
    // holds the year's total, theirs their part before 1 July.
    await go(page, '/reports?tab=quotas&year=2025&unit=camlam-1', '.sc-bars li');
    const now = await apiGet(page, '/v1/reports/quotas?year=2025&unit=camlam-1');
    assert.equal(await page.$$eval('.sc-bars li', (list) => list.length), now.rows.length);
    assert.ok(now.rows.length > 1, JSON.stringify(now.rows));
    const commune = now.rows.find((r) => r.unit_id === 'camlam-1');
    const cells = await page.$$eval('.table-wrap tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
    assert.ok(cells[0].startsWith(commune.unit_name), cells[0]);
    assert.equal(cells[3], String(commune.approved));
    await expectNoA11yViolations(page, 'reports: quotas');
    await screenshot(page, 'reports-quotas-1366x768');

    // As of an earlier day: what the server answers for that day, shown.
    await go(page, '/reports?tab=quotas&year=2025&unit=camlam-1&as_of=2025-09-30', '.sc-past');
    const then = await apiGet(page, '/v1/reports/quotas?year=2025&unit=camlam-1&as_of_day=2025-09-30');
    await page.waitForFunction((n) => document.querySelectorAll('.sc-bars li').length === n, {}, then.rows.length);
    const past = then.rows.find((r) => r.unit_id === 'camlam-1');
    if (past) {
      await page.waitForFunction((n) => document.querySelector('.table-wrap tbody tr:first-child td:nth-child(4)')?.textContent === n, {}, String(past.approved));
    }
    assert.ok(await page.$eval('.sc-past', (e) => e.textContent.includes('30/09/2025')));
    assert.deepEqual(errors, []);
  });

  test('deadlines and follow-up pass axe', async () => {
    const { page, errors } = suite.main;
    await go(page, '/reports?tab=deadlines&year=2026&quarter=2', '.sc-status');
    await expectNoA11yViolations(page, 'reports: deadlines');
    await screenshot(page, 'reports-deadlines-1366x768');
    await go(page, '/reports?tab=follow_up', '.sc-bars li');
    const report = await apiGet(page, '/v1/reports/follow-up?no_mentor_days=30');
    // A page of at most 100 items, and the count of them all.
    assert.equal(await page.$$eval('.table-wrap tbody tr', (rows) => rows.length), Math.min(100, report.items.length));
    assert.ok(await page.$eval('.pager', (p, n) => p.textContent.includes(`${n}`), report.items.length));
    await expectNoA11yViolations(page, 'reports: follow-up');
    await screenshot(page, 'reports-follow-up-1366x768');
    assert.deepEqual(errors, []);
  });

  test('the CSV is UTF-8 with the Vietnamese intact', async () => {
    const { page, downloads } = suite.main;
    await go(page, '/reports?tab=quotas&year=2025&unit=camlam-1', '.sc-bars li');
    const text = csvText((await download(page, downloads, '.sc-csv button')).bytes);
    assert.ok(text.includes('Xã Cam Lâm'), text.slice(0, 400));
    assert.ok(text.includes('Xã Cam Thành Nam'), text.slice(0, 400));
  });
});
