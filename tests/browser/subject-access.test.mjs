// A data subject's request in a real browser: the data-protection officer
// records it, the exemplar's timeline links the step to the document, and
// the document opens as a printable Vietnamese page, at 1366 px and on a
// phone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { screenshot, skipReason } from './support.mjs';
import { apiGet, demoSuite, go } from './records-support.mjs';

const kExemplar = 'dh-0002';

describe('a data subject\'s request', { skip: skipReason || false }, () => {
  const suite = demoSuite('dpo-kh');

  test('the timeline links the recorded step to its document', async () => {
    const { page, errors } = suite.main;
    // Recorded with the officer's token, as an integration would.
    const response = await fetch(`${suite.server.url}/v1/exemplars/${kExemplar}/give_subject_access`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${suite.server.tokens['dpo-kh']}`,
        'Content-Type': 'application/json',
        'X-Acting-Role': 'data_protection_officer',
      },
      body: JSON.stringify({ legal_reference: '07/2026/YC', legal_date: '2026-12-04' }),
    });
    const given = { status: response.status, body: await response.json() };
    assert.equal(given.status, 200, JSON.stringify(given.body));
    const position = given.body.position;
    await go(page, `/exemplars/${kExemplar}?min_position=${position}`, 'a[href*="subject-access"]');
    const href = await page.$eval('a[href*="subject-access"]', (a) => a.getAttribute('href'));
    assert.equal(href, `/v1/exemplars/${kExemplar}/subject-access?position=${position}`);
    const view = await apiGet(page, `/v1/exemplars/${kExemplar}`);
    await screenshot(page, 'subject-access-timeline-1366x768');
    await page.setViewport({ width: 390, height: 844 });
    // The long action names wrap: nothing runs off a phone's screen.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390));
    await screenshot(page, 'subject-access-timeline-390');
    await page.setViewport({ width: 1366, height: 768 });

    await page.goto(`${suite.server.url}${href}`);
    const text = await page.$eval('body', (body) => body.textContent);
    assert.ok(text.includes('Dữ liệu cá nhân đang được lưu giữ'), text);
    assert.ok(text.includes(view.name), text);
    assert.ok(text.includes('Số đơn yêu cầu của chủ thể dữ liệu: 07/2026/YC'), text);
    await screenshot(page, 'subject-access-1366x768');
    await page.setViewport({ width: 390, height: 844 });
    await screenshot(page, 'subject-access-390');
    await page.setViewport({ width: 1366, height: 768 });
    assert.deepEqual(errors, []);
  });
});
