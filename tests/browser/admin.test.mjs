// Quản trị: an admin registers a user, grants a role and issues a setup
// code in the console; the user sets a password, signs in and sees the
// grant's scope; revoked in the console, the scope is gone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectNoA11yViolations, screenshot, signIn } from './support.mjs';
import { openSignedIn, scriptErrors, skip } from './session.mjs';

const kUnit = 'camlam-8';
let server;
let browser;
let page;
let errors;
let session;

before(async () => {
  if (skip) return;
  session = await openSignedIn('admin');
  ({ server, browser, page, errors } = session);
});

after(() => session?.close());

async function submit(form) {
  await page.click(`form[aria-labelledby="${form}"] button[type="submit"]`);
}

// What `user` reads of the exemplars, signed in in a browser of their own.
async function exemplarsSeenBy(user, password) {
  const context = await browser.createBrowserContext();
  try {
    const other = await context.newPage();
    await signIn(other, server.url, user, password);
    return await other.evaluate(async () => {
      const response = await fetch('/v1/exemplars?limit=500', { headers: { Accept: 'application/json' } });
      return { status: response.status, body: await response.json() };
    });
  } finally {
    await context.close();
  }
}

// Opens `user`'s panel from the user list.
async function pickUser(user) {
  await page.goto(`${server.url}/#/admin`, { waitUntil: 'load' });
  await page.waitForSelector('.user-list');
  await page.evaluate((id) => [...document.querySelectorAll('.user-list button')]
    .find((b) => b.querySelector('code')?.textContent === id).click(), user);
  await page.waitForFunction((id) => document.querySelector('#user-panel-title code')?.textContent === id, {}, user);
}

// The person sets their password on the sign-in screen with the setup
// code, first mistyping the code (refused at its field), and is signed in.
async function setPasswordInConsole(user, code, password) {
  const context = await browser.createBrowserContext();
  try {
    const person = await context.newPage();
    await person.goto(`${server.url}/`, { waitUntil: 'load' });
    await person.waitForSelector('#signin-user');
    await person.click('.signin-card button.link');
    await person.waitForSelector('#setpw-user_id');
    await person.type('#setpw-user_id', user);
    await person.type('#setpw-setup_code', 'AAAA-BBBB-CCCC');
    await person.type('#setpw-password', password);
    await person.type('#setpw-repeat', password);
    await person.click('form[aria-labelledby="setpw-title"] button[type="submit"]');
    await person.waitForSelector('#setpw-setup_code-error');
    // A refused code is no ended session: the form stays, saying nothing of one.
    assert.ok(!(await person.$eval('.signin-intro', (p) => p.textContent)).includes('kết thúc'));
    await expectNoA11yViolations(person, 'setting a password');
    await screenshot(person, 'set-password-refused');
    await person.$eval('#setpw-setup_code', (input) => { input.value = ''; });
    await person.type('#setpw-setup_code', code);
    await Promise.all([
      person.waitForSelector('.topbar'),
      person.click('form[aria-labelledby="setpw-title"] button[type="submit"]'),
    ]);
    assert.match(await person.$eval('.who', (who) => who.textContent), /Nguyễn Thị Lan/);
  } finally {
    await context.close();
  }
}

test('an admin grants a role and the new user sees the new scope', { skip }, async () => {
  const user = `lan-${Date.now()}`;
  const password = 'mat-khau-moi-2026';
  await page.goto(`${server.url}/#/admin`, { waitUntil: 'load' });
  await page.waitForSelector('#user-id');
  await page.type('#user-id', user);
  await page.type('#user-name', 'Nguyễn Thị Lan');
  await page.select('#user-home', kUnit);
  await submit('new-user-title');
  await page.waitForFunction((id) => document.querySelector('#user-panel-title')?.textContent.includes(id), {}, user);

  await page.select('#grant-role', 'reporter');
  await page.select('#grant-unit', kUnit);
  await submit('grant-title');
  await page.waitForFunction(() => [...document.querySelectorAll('.user-panel tbody tr')]
    .some((row) => row.textContent.includes('✓')));

  await submit('setup-title');
  const code = await page.waitForSelector('.secret-value').then((el) => el.evaluate((e) => e.textContent));
  assert.ok(code.length > 0);
  await setPasswordInConsole(user, code, password);
  await screenshot(page, 'admin');
  await expectNoA11yViolations(page, 'admin');

  const seen = await exemplarsSeenBy(user, password);
  assert.equal(seen.status, 200);
  assert.ok(seen.body.items.length > 0, 'the grant shows the unit\'s exemplars');
  assert.ok(seen.body.items.every((item) => item.unit_id === kUnit), JSON.stringify(seen.body.items.map((i) => i.unit_id)));

  // Revoked in the console: the same person sees nothing of the unit.
  await page.click('.user-panel tbody button.danger');
  await page.waitForFunction(() => ![...document.querySelectorAll('.user-panel tbody tr')]
    .some((row) => row.textContent.includes('✓')));
  const after = await exemplarsSeenBy(user, password);
  assert.ok(after.status !== 200 || after.body.items.length === 0, JSON.stringify(after));
  assert.deepEqual(scriptErrors(errors), []);
});

test('a grant for days to come shows its dates and is not valid yet', { skip }, async () => {
  const user = 'mentor-camlam-8';
  await pickUser(user);
  const rows = () => page.$$eval('.user-panel table:not(.token-list) tbody tr', (list) => list.map((r) => r.textContent));
  const before = (await rows()).length;
  await page.select('#grant-role', 'reporter');
  await page.select('#grant-unit', kUnit);
  await page.type('#grant-from', '01/01/2099');
  await page.type('#grant-to', '31/12/2099');
  await page.keyboard.press('Tab');
  await submit('grant-title');
  await page.waitForFunction((n) => document.querySelectorAll('.user-panel table:not(.token-list) tbody tr').length > n, {}, before);
  const added = (await rows()).find((text) => text.includes('01/01/2099'));
  assert.ok(added, (await rows()).join('\n'));
  assert.match(added, /01\/01\/2099 00:00/);
  assert.match(added, /01\/01\/2100 00:00/);  // valid until the end of 31/12/2099
  assert.ok(!added.includes('✓'), 'not valid yet');
  assert.deepEqual(scriptErrors(errors), []);
});

test('a token issued in the console is listed, and revoked from the list', { skip }, async () => {
  const user = 'reporter-camlam-1';
  await pickUser(user);
  await page.waitForSelector('.token-list');
  await submit('token-title');
  const secret = await page.waitForSelector('.secret-value').then((el) => el.evaluate((e) => e.textContent));
  const heading = await page.$eval('.secret strong', (e) => e.textContent);
  const tokenId = heading.split(' ').pop();
  const rowOf = (id) => page.evaluate((tid) => [...document.querySelectorAll('.token-list tbody tr')]
    .map((row) => row.textContent).find((text) => text.includes(tid)) || '', id);
  await page.waitForFunction((tid) => document.querySelector('.token-list')?.textContent.includes(tid), {}, tokenId);
  assert.match(await rowOf(tokenId), /Đang dùng được/);
  assert.ok(!(await page.$eval('.token-list', (e) => e.textContent)).includes(secret), 'the list never shows a secret');
  const asUser = () => fetch(`${server.url}/v1/session`, { headers: { Authorization: `Bearer ${secret}` } });
  assert.equal((await asUser()).status, 200);

  await page.click(`.token-list button[aria-label$="${tokenId}"]`);
  await page.waitForFunction((tid) => [...document.querySelectorAll('.token-list tbody tr')]
    .some((row) => row.textContent.includes(tid) && row.textContent.includes('Đã thu hồi')), {}, tokenId);
  assert.equal((await asUser()).status, 401);
  assert.deepEqual(scriptErrors(errors), []);
});

test('a campaign is launched and closed from the console', { skip }, async () => {
  const id = `pt-${Date.now()}`;
  const name = 'Phong trào Dân vận khéo';
  await page.goto(`${server.url}/#/admin`, { waitUntil: 'load' });
  await page.waitForSelector('.campaign-list');
  await page.type('#campaign-id', id);
  await page.type('#campaign-name', name);
  await page.select('#campaign-unit', 'camlam-1');
  await page.select('#campaign-set', 'general');
  await page.type('#campaign-start', '01/01/2027');
  await page.type('#campaign-end', '31/12/2027');
  await page.keyboard.press('Tab');
  await submit('launch-title');
  const rowOf = () => page.evaluate((cid) => [...document.querySelectorAll('.campaign-list tbody tr')]
    .map((row) => row.textContent).find((text) => text.includes(cid)) || '', id);
  await page.waitForFunction((cid) => document.querySelector('.campaign-list').textContent.includes(cid), {}, id);
  assert.match(await rowOf(), /01\/01\/2027–31\/12\/2027/);
  assert.match(await rowOf(), /Đang diễn ra/);

  await page.select('#campaign-close', id);
  await page.type('#campaign-reason', 'Kết thúc sớm');
  await submit('close-campaign-title');
  await page.waitForFunction((cid) => [...document.querySelectorAll('.campaign-list tbody tr')]
    .some((row) => row.textContent.includes(cid) && row.textContent.includes('Đã kết thúc')), {}, id);
  const answer = await fetch(`${server.url}/v1/campaigns/${id}`, { headers: { Authorization: `Bearer ${server.tokens.admin}` } });
  assert.equal((await answer.json()).open, false);
  await expectNoA11yViolations(page, 'admin with campaigns');
  assert.deepEqual(scriptErrors(errors), []);
});

test('a unit picked in the tree is renamed through its command', { skip }, async () => {
  await page.goto(`${server.url}/?v=${Date.now()}#/admin`, { waitUntil: 'load' });
  // A commune the reform made (an ended unit keeps its last name).
  await page.waitForSelector('.unit-tree button');
  const button = await page.evaluateHandle(() => [...document.querySelectorAll('.unit-tree button')]
    .find((el) => el.textContent === 'Xã Vạn Hưng'));
  const before = await button.evaluate((el) => el.textContent);
  await button.click();
  await page.waitForSelector('#rename-name');
  // The form shows the picked unit's name once its answer is in: typing
  // before then raced a late render that put the old name back.
  await page.waitForFunction((name) => document.querySelector('#rename-name')?.value === name, {}, before);
  // Cleared as a person does, so the form's state follows: a value set on
  // the element alone was put back by a render of a late answer.
  await page.click('#rename-name', { clickCount: 3 });
  await page.keyboard.press('Backspace');
  await page.type('#rename-name', `${before} (mới)`);
  await page.click('form[aria-labelledby="rename-title"] button[type="submit"]');
  await page.waitForFunction((name) => [...document.querySelectorAll('.unit-tree .unit-name')]
    .some((el) => el.textContent === name), {}, `${before} (mới)`);
  assert.match(await page.$eval('form[aria-labelledby="rename-title"] .done', (el) => el.textContent), /Đã lưu/);
});

test('a refusal is shown in place, and nothing changes', { skip }, async () => {
  await page.goto(`${server.url}/?v=${Date.now()}#/admin`, { waitUntil: 'load' });
  await page.waitForSelector('#unit-id');
  await page.type('#unit-id', 'camlam-1');
  await page.type('#unit-name', 'Trùng mã');
  await submit('new-unit-title');
  const problem = await page.waitForSelector('form[aria-labelledby="new-unit-title"] .problem');
  assert.ok((await problem.evaluate((el) => el.textContent)).length > 0);
  assert.equal(await page.$eval('#unit-name', (el) => el.value), 'Trùng mã', 'the form keeps what was typed');
});
