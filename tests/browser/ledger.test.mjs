// The approvals ledger in a real browser: an approver approves through the
// generated form, the ledger shows the decision with ✓ (they held the
// role), the row opens the exemplar at its event, and the CSV is UTF-8.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectNoA11yViolations, screenshot, skipReason } from './support.mjs';
import { csvText, demoSuite, download, go, workflowLabel } from './records-support.mjs';

const kFourEyes = 'dh-four-eyes';
const kApprover = 'approver-camlam-1';

describe('the approvals ledger', { skip: skipReason || false }, () => {
  const suite = demoSuite(kApprover);

  test('an approver approves; the ledger shows it with ✓ and opens its event', async () => {
    const { page, errors } = suite.main;
    await go(page, `/exemplars/${kFourEyes}`, '.sc-action-buttons button');
    const approveLabel = await workflowLabel(page, 'actions', 'approve');
    const [button] = await page.$$(`xpath/.//div[contains(@class,"sc-action-buttons")]/button[normalize-space(text())="${approveLabel}"]`);
    assert.ok(button, 'no approve button');
    await button.click();
    await page.waitForSelector('#form-approve-decision_note');
    await page.type('#form-approve-decision_note', 'Đồng ý công nhận điển hình');
    await page.click('.sc-action-form button[type=submit]');
    const approved = await workflowLabel(page, 'states', 'approved');
    await page.waitForFunction((text) => document.querySelector('.sc-summary .sc-state')?.textContent === text, {}, approved);

    await go(page, `/ledger?action=approve&actor=${kApprover}`, '.table-wrap tbody tr');
    // The newest decision comes first.
    const row = await page.$eval('.table-wrap tbody tr', (tr, id) => tr.textContent.includes(id)
      && { held: tr.querySelector('.sc-yes')?.textContent, text: tr.textContent }, kFourEyes);
    assert.ok(row, 'the approval is not in the ledger');
    assert.ok(row.held && row.held.includes('✓'), row.text);
    await expectNoA11yViolations(page, 'ledger');
    await screenshot(page, 'ledger-1366x768');

    const [link] = await page.$$(`xpath/.//tr[contains(., "${kFourEyes}")]//a[contains(@href, "event=")]`);
    await link.click();
    await page.waitForSelector('.sc-event-selected');
    assert.ok(await page.$eval('#page-title', (h, id) => h.textContent.includes(id), kFourEyes));
    assert.deepEqual(errors, []);
  });

  test('the ledger\'s CSV is UTF-8 with the Vietnamese intact', async () => {
    const { page, downloads } = suite.main;
    await go(page, '/ledger?action=approve', '.table-wrap tbody tr');
    const file = await download(page, downloads, '.sc-csv button');
    const text = csvText(file.bytes);
    // Vietnamese headers, and each coded column's Vietnamese label beside it.
    assert.ok(text.includes('người thực hiện'), text.slice(0, 400));
    assert.ok(text.includes(await workflowLabel(page, 'actions', 'approve')), text.slice(0, 600));
    assert.ok(text.includes(kFourEyes));
  });
});
