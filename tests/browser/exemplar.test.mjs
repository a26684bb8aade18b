// One exemplar's record in a real browser: travelling back to an earlier
// day, the timeline, and acting: the demo's nominator who also holds the
// approver role sees approve refused with the four-eyes reason, in place.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectNoA11yViolations, screenshot, skipReason } from './support.mjs';
import { apiGet, demoSuite, go, pageAs, workflowLabel } from './records-support.mjs';

const kHonoured = 'dh-0103';  // honoured in the demo; carried over on 1 July 2025, appraised on 1 August
const kPastDay = '2025-08-01';
const kFourEyes = 'dh-four-eyes';       // nominated by kDualRole, voted on
const kDualRole = 'nominator-approver-camlam-1';

describe('an exemplar\'s record', { skip: skipReason || false }, () => {
  const suite = demoSuite('auditor-kh');

  test('shows the record and every event of its timeline; passes axe', async () => {
    const { page, errors } = suite.main;
    await go(page, `/exemplars/${kHonoured}`, '.sc-timeline li');
    const history = await apiGet(page, `/v1/exemplars/${kHonoured}/history`);
    assert.equal(await page.$$eval('.sc-timeline > li', (items) => items.length), history.events.length);
    const view = await apiGet(page, `/v1/exemplars/${kHonoured}`);
    assert.equal(await page.$eval('.sc-summary .sc-state', (e) => e.textContent), await workflowLabel(page, 'states', view.state));
    // Who acted, in which role, from where, on which request.
    const first = await page.$eval('.sc-timeline > li', (li) => li.textContent);
    assert.ok(first.includes(history.events[0].actor.user_id));
    assert.ok(first.includes(history.events[0].request_id));
    await expectNoA11yViolations(page, 'exemplar record');
    await screenshot(page, 'exemplar-1366x768');
    assert.deepEqual(errors, []);
  });

  test('travels to an earlier day and back', async () => {
    const { page, errors } = suite.main;
    await go(page, `/exemplars/${kHonoured}`, '#record-as-of');
    // Typed the Vietnamese way, dd/mm/yyyy.
    await page.type('#record-as-of', kPastDay.split('-').reverse().join('/'));
    await page.keyboard.press('Enter');
    await page.waitForSelector('.sc-past');
    const then = await apiGet(page, `/v1/exemplars/${kHonoured}?as_of_day=${kPastDay}`);
    const now = await apiGet(page, `/v1/exemplars/${kHonoured}`);
    assert.notEqual(then.state, now.state);
    const label = await workflowLabel(page, 'states', then.state);
    await page.waitForFunction((text) => document.querySelector('.sc-summary .sc-state')?.textContent === text, {}, label);
    const history = await apiGet(page, `/v1/exemplars/${kHonoured}/history?as_of_day=${kPastDay}`);
    await page.waitForFunction((n) => document.querySelectorAll('.sc-timeline > li').length === n, {}, history.events.length);
    assert.ok(await page.$eval('.sc-past', (e) => e.textContent.includes('01/08/2025')));
    // No acting on the past.
    assert.equal(await page.$('.sc-acting'), null);
    await screenshot(page, 'exemplar-as-of-1366x768');
    await page.click('.sc-asof button');
    await page.waitForFunction(() => !document.querySelector('.sc-past'));
    assert.deepEqual(errors, []);
  });

  test('the nominator who is also an approver sees approve refused (four eyes)', async () => {
    const dual = await pageAs(suite.browser, suite.server.url, kDualRole);
    const { page, errors } = dual;
    await go(page, `/exemplars/${kFourEyes}`, '.sc-acting .sc-refusals');
    const answer = await apiGet(page, `/v1/exemplars/${kFourEyes}/actions`);
    const approve = answer.actions.find((a) => a.action === 'approve');
    assert.equal(approve.allowed, false);
    assert.equal(approve.refusal.code, 'four_eyes_violation');
    const buttons = await page.$$eval('.sc-action-buttons button', (list) => list.map((b) => b.textContent));
    assert.ok(!buttons.includes(approve.vi));
    const refusals = await page.$$eval('.sc-acting > .sc-refusals .sc-refused', (list) => list.map((li) => li.textContent));
    assert.ok(refusals.some((text) => text.includes(approve.vi) && text.includes(approve.refusal.vi)), refusals.join('\n'));
    // What the server calls ambiguous for a person of two roles, the
    // console asks per role: each such action is offered under the role
    // that may take it, or refused for a reason other than the ambiguity.
    const ambiguous = answer.actions.filter((a) => a.refusal && a.refusal.code === 'ambiguous_role');
    assert.ok(ambiguous.length > 0, 'the demo has actions both roles could take');
    const everything = await page.$$eval('.sc-acting .sc-refused, .sc-action-buttons button', (list) => list.map((e) => e.textContent));
    assert.ok(!everything.some((text) => text.includes(ambiguous[0].refusal.vi)), everything.join('\n'));
    for (const action of ambiguous) {
      assert.ok(everything.some((text) => text.startsWith(action.vi)), `${action.vi} in ${everything.join('\n')}`);
    }
    await expectNoA11yViolations(page, 'acting, four eyes');
    await screenshot(page, 'exemplar-four-eyes-1366x768');
    assert.deepEqual(errors, []);
    await dual.close();
  });

  test('at a phone\'s width', async () => {
    const phone = await pageAs(suite.browser, suite.server.url, 'approver-camlam-1', { width: 390, height: 844 });
    await go(phone.page, `/exemplars/${kFourEyes}`, '.sc-action-buttons button');
    await expectNoA11yViolations(phone.page, 'exemplar record (phone)');
    await screenshot(phone.page, 'exemplar-390x844');
    assert.deepEqual(phone.errors, []);
    await phone.close();
  });
});
