// The exemplar list in a real browser: detecting through the form the
// definition generates (a refusal shown at its field first), a search
// without diacritics finding the new "Nguyễn Thị", the CSV in UTF-8, and
// axe and screenshots at a desktop's and a phone's width.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectNoA11yViolations, screenshot, skipReason } from './support.mjs';
import { csvText, demoSuite, download, go, pageAs, workflowLabel } from './records-support.mjs';

const kName = 'Hộ bà Nguyễn Thị Lan';

describe('the exemplar list', { skip: skipReason || false }, () => {
  const suite = demoSuite('reporter-camlam-1');

  test('shows the exemplars in scope, passes axe, at 1366×768', async () => {
    const { page, errors } = suite.main;
    await go(page, '/exemplars', '.table-wrap tbody tr');
    const units = await page.$$eval('.table-wrap tbody tr td:nth-child(6)', (cells) => cells.map((c) => c.textContent));
    assert.ok(units.length > 0);
    await expectNoA11yViolations(page, 'exemplar list');
    await screenshot(page, 'exemplars-1366x768');
    assert.deepEqual(errors, []);
  });

  test('a refusal shows at its field; then detect opens the new record', async () => {
    const { page, errors } = suite.main;
    await go(page, '/exemplars', '.page-actions .sc-button-primary');
    await page.click('.page-actions .sc-button-primary');
    await page.waitForSelector('#form-detect-subject_kind');
    // Choices are selects of the definition's labels, not codes.
    const options = await page.$$eval('#form-detect-subject_kind option', (list) => list.map((o) => o.value).filter(Boolean));
    assert.ok(options.length >= 2);
    await page.select('#form-detect-subject_kind', options[0]);
    await page.select('#form-detect-unit_id', 'camlam-1');
    const fields = await page.$$eval('#form-detect-field option', (list) => list.map((o) => o.value).filter(Boolean));
    await page.select('#form-detect-field', fields[0]);
    const sources = await page.$$eval('#form-detect-source option', (list) => list.map((o) => o.value).filter(Boolean));
    await page.select('#form-detect-source', sources[0]);
    await page.type('#form-detect-summary', 'Sản xuất kinh doanh giỏi, giúp 5 hộ thoát nghèo');
    // The name left empty: the server refuses it, and says so at the field.
    await page.click('.sc-action-form button[type=submit]');
    await page.waitForSelector('.field-error #form-detect-name');
    const message = await page.$eval('#form-detect-name-error', (e) => e.textContent);
    assert.ok(message.length > 0);
    await screenshot(page, 'exemplars-detect-refused');
    await page.type('#form-detect-name', kName);
    await page.click('.sc-action-form button[type=submit]');
    await page.waitForFunction((name) => document.querySelector('#page-title').textContent.startsWith(name), {}, kName);
    const detected = await workflowLabel(page, 'states', 'detected');
    assert.equal(await page.$eval('.sc-summary .sc-state', (e) => e.textContent), detected);
    assert.deepEqual(errors, []);
  });

  test('searching "nguyen thi" finds "Nguyễn Thị"', async () => {
    const { page, errors } = suite.main;
    await go(page, '/exemplars', '#f-q');
    await page.type('#f-q', 'nguyen thi');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.includes('q=nguyen'));
    // The list before the search holds the name too: wait for the rows
    // of the search, every one of them a "nguyen thi" without its marks.
    await page.waitForFunction((name) => {
      const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase();
      const names = [...document.querySelectorAll('.table-wrap tbody tr td:nth-child(2)')].map((td) => td.textContent);
      return names.includes(name) && names.every((n) => fold(n).includes('nguyen thi'));
    }, {}, kName);
    assert.deepEqual(errors, []);
  });

  test('the CSV download is UTF-8 with the Vietnamese intact', async () => {
    const { page, downloads } = suite.main;
    await go(page, '/exemplars?q=nguyen%20thi', '.table-wrap tbody tr');
    const file = await download(page, downloads, '.sc-csv button');
    assert.match(file.name, /\.csv$/);
    const text = csvText(file.bytes);
    assert.ok(text.includes(kName), text.slice(0, 400));
    assert.ok(text.includes(await workflowLabel(page, 'states', 'detected')));
  });

  test('pages forward and back with the cursor', async () => {
    const auditor = await pageAs(suite.browser, suite.server.url, 'auditor-kh');
    const { page, errors } = auditor;
    await go(page, '/exemplars?sort=id', '.table-wrap tbody tr');
    const first = await page.$eval('.table-wrap tbody tr td', (td) => td.textContent);
    await page.click('.pager button:last-child');
    await page.waitForFunction((id) => document.querySelector('.table-wrap tbody tr td').textContent !== id, {}, first);
    const second = await page.$eval('.table-wrap tbody tr td', (td) => td.textContent);
    assert.ok(second > first);
    await page.click('.pager button:first-child');
    await page.waitForFunction((id) => document.querySelector('.table-wrap tbody tr td').textContent === id, {}, first);
    assert.deepEqual(errors, []);
    await auditor.close();
  });

  test('at a phone\'s width', async () => {
    const phone = await pageAs(suite.browser, suite.server.url, 'auditor-kh', { width: 390, height: 844 });
    await go(phone.page, '/exemplars', '.table-wrap tbody tr');
    await expectNoA11yViolations(phone.page, 'exemplar list (phone)');
    await screenshot(phone.page, 'exemplars-390x844');
    assert.deepEqual(phone.errors, []);
    await phone.close();
  });
});
