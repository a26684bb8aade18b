// The 2025 reform and the annual registration funnel in a real browser:
// the registrations, propagation and reorganisation reports (the server's
// numbers, as of an earlier day, UTF-8 CSV), the quota table at 1366 px
// with a merged commune's parts, the units screen with lineage and search
// by a former name, and an exemplar's transfer and own words; axe, no
// script errors, screenshots at 1366×768 and 390 px.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectNoA11yViolations, screenshot, skipReason } from './support.mjs';
import { apiGet, csvText, demoSuite, download, go, pageAs } from './records-support.mjs';

const kPhone = { width: 390, height: 844 };

// The rows of the report's table, each as the text of its cells.
function tableRows(page) {
  return page.$$eval('.sc-report .table-wrap tbody tr', (rows) => rows.map((tr) => [...tr.cells].map((td) => td.textContent)));
}

// The table's row whose first cell starts with `name`.
async function rowOf(page, name) {
  return (await tableRows(page)).find((cells) => cells[0].startsWith(name));
}

async function fitsTheWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe('the reform and the registration funnel', { skip: skipReason || false }, () => {
  const suite = demoSuite('auditor-kh');

  test('registrations: each unit\'s list against its minimum, its status and what the level above selected', async () => {
    const { page, errors } = suite.main;
    await go(page, '/reports?tab=registrations&year=2026', '.sc-report .table-wrap tbody tr');
    const report = await apiGet(page, '/v1/reports/registrations?year=2026');
    const rows = await tableRows(page);
    assert.equal(rows.length, report.rows.length);
    for (const row of report.rows) {
      const cells = await rowOf(page, row.unit_name);
      assert.ok(cells, row.unit_name);
      assert.ok(cells[1].startsWith(`${row.listed} / ${row.min}–${row.max}`), `${row.unit_id}: ${cells[1]}`);
    }
    // The province selected from the communes' lists and sent them on.
    const province = report.rows.find((r) => r.step === 'select');
    const provinceCells = await rowOf(page, province.unit_name);
    assert.ok(provinceCells[0].includes('Tuyển chọn'), provinceCells[0]);
    assert.ok(provinceCells[5].includes('Sở Nội vụ') || provinceCells[5].includes(province.submitted_to), provinceCells[5]);
    // One commune missing, one late, as the server says.
    const chips = await page.$$eval('.sc-report tbody .sc-status', (list) => list.map((c) => c.textContent));
    assert.equal(chips.filter((c) => c === 'Chưa nộp').length, report.rows.filter((r) => r.status === 'missing').length);
    assert.equal(chips.filter((c) => c === 'Trễ hạn').length, report.rows.filter((r) => r.status === 'late').length);
    // The province's list: every exemplar, with the commune that registered it.
    const index = report.rows.indexOf(province);
    await page.click(`.sc-report tbody tr:nth-child(${index + 1}) .sc-listed summary`);
    const listed = await page.$$eval(`.sc-report tbody tr:nth-child(${index + 1}) .sc-listed li`, (list) => list.map((li) => li.textContent));
    assert.equal(listed.length, province.exemplars.length);
    assert.ok(listed.every((text, i) => text.includes(province.exemplars[i].exemplar_id) && text.includes('đăng ký')), listed.join('\n'));
    await expectNoA11yViolations(page, 'reports: registrations');
    await screenshot(page, 'reports-registrations-1366x768');

    // As of the day the first commune registered: the others not yet due.
    await go(page, '/reports?tab=registrations&year=2026&as_of=2026-01-05', '.sc-past');
    const then = await apiGet(page, '/v1/reports/registrations?year=2026&as_of_day=2026-01-05');
    const pending = then.rows.filter((r) => r.status === 'pending').length;
    assert.ok(pending > 0);
    await page.waitForFunction((n) => [...document.querySelectorAll('.sc-report tbody .sc-status')]
      .filter((c) => c.textContent === 'Chưa đến hạn').length === n, {}, pending);
    assert.deepEqual(errors, []);
  });

  test('registrations: the CSV is UTF-8 with the Vietnamese intact', async () => {
    const { page, downloads } = suite.main;
    await go(page, '/reports?tab=registrations&year=2026', '.sc-report .table-wrap tbody tr');
    const text = csvText((await download(page, downloads, '.sc-csv button')).bytes);
    assert.ok(text.includes('Xã Cam Lâm') && text.includes('Đúng hạn') && text.includes('Tỉnh Khánh Hòa'), text.slice(0, 400));
  });

  test('propagation: items, reach, replications and the score, with the paragraph to paste', async () => {
    const { page, errors, downloads } = suite.main;
    await page.browserContext().overridePermissions(suite.server.url, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    await go(page, '/reports?tab=propagation&period=2025', '.sc-report .table-wrap tbody tr');
    const report = await apiGet(page, '/v1/reports/propagation?period=2025');
    const users = new Map((await apiGet(page, '/v1/users')).users.map((u) => [u.id, u.full_name]));
    assert.equal((await tableRows(page)).length, report.rows.length);
    const rows = await tableRows(page);
    report.rows.forEach((row, i) => {
      const cells = rows[i];
      assert.ok(cells[0].startsWith(row.unit_name), cells[0]);
      assert.equal(cells[1], String(row.items));
      assert.equal(cells[5], `${row.replications_started} / ${row.replications_evaluated} / ${row.replications_adopted}`);
      assert.ok(row.score === null ? cells[6] === 'Chưa chấm' : cells[6].startsWith(String(row.score)) && cells[6].includes(users.get(row.scored_by)), cells[6]);
    });
    // One commune: its paragraph open, as the server wrote it, and copied.
    await go(page, '/reports?tab=propagation&period=2025&unit=camlam-1', '.sc-summary-text[open] p');
    const commune = (await apiGet(page, '/v1/reports/propagation?period=2025&unit=camlam-1')).rows.find((r) => r.unit_id === 'camlam-1');
    await page.waitForFunction((text) => document.querySelector('.sc-summary-text[open] p')?.textContent === text, {}, commune.summary_vi);
    await page.click('.sc-summary-text[open] .sc-copy button');
    await page.waitForFunction(() => document.querySelector('.sc-summary-text[open] [role=status]').textContent !== '');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), commune.summary_vi);
    await expectNoA11yViolations(page, 'reports: propagation');
    await screenshot(page, 'reports-propagation-1366x768');
    const text = csvText((await download(page, downloads, '.sc-csv button')).bytes);
    assert.ok(text.includes('Xã Cam Lâm') && text.includes(commune.summary_vi), text.slice(0, 600));
    assert.deepEqual(errors, []);
  });

  test('after the reorganisation: what is left, with what ended the unit and where to carry it', async () => {
    const { page, errors, downloads } = suite.main;
    await go(page, '/reports?tab=reorganisation', '.sc-report .table-wrap tbody tr');
    const report = await apiGet(page, '/v1/reports/reorganisation');
    assert.ok(report.items.length > 0);
    assert.ok(await page.$eval('.sc-report .pager', (p, n) => p.textContent.includes(`${n} dòng`), report.items.length));
    const bars = await page.$$eval('.sc-bars li .sc-bar-value', (list) => list.map((v) => Number(v.textContent)));
    assert.equal(bars.reduce((a, b) => a + b, 0), report.items.length);
    // The people a district's end left without a grant: the resolution that ended it.
    await go(page, '/reports?tab=reorganisation&category=person_without_grant', '.sc-report .table-wrap tbody tr');
    const people = report.items.filter((i) => i.category === 'person_without_grant');
    const first = (await tableRows(page))[0];
    assert.ok(first[1].includes(people[0].name) && first[1].includes(people[0].user_id), first[1]);
    const reorganisation = (await apiGet(page, '/v1/reorganisations')).items.find((r) => r.reorganisation_id === people[0].ended_by);
    assert.ok(first[3].includes(reorganisation.legal_basis.document_number), first[3]);
    // An exemplar's row opens its record.
    await go(page, '/reports?tab=reorganisation&category=mentor_without_grant', '.sc-report .table-wrap tbody tr a[href^="#/exemplars/"]');
    const href = await page.$eval('.sc-report .table-wrap tbody tr a[href^="#/exemplars/"]', (a) => a.getAttribute('href'));
    assert.equal(href, `#/exemplars/${report.items.find((i) => i.category === 'mentor_without_grant').exemplar_id}`);
    await expectNoA11yViolations(page, 'reports: reorganisation');
    await screenshot(page, 'reports-reorganisation-1366x768');
    const text = csvText((await download(page, downloads, '.sc-csv button')).bytes);
    assert.ok(text.includes('Cán bộ theo dõi không còn quyền') || text.includes('mentor_without_grant'), text.slice(0, 400));
    assert.ok(/[ăâđêôơư]/.test(text), 'Vietnamese letters in the CSV');
    assert.deepEqual(errors, []);
  });

  test('the quota table fits 1366 px and shows a merged commune\'s parts', async () => {
    const { page, errors } = suite.main;
    await go(page, '/reports?tab=quotas&year=2025', '.sc-report .table-wrap tbody tr');
    const wrap = await page.$eval('.sc-report .table-wrap', (w) => ({ scroll: w.scrollWidth, client: w.clientWidth }));
    assert.ok(wrap.scroll <= wrap.client, JSON.stringify(wrap));
    assert.ok(await fitsTheWidth(page));
    const report = await apiGet(page, '/v1/reports/quotas?year=2025');
    const merged = report.rows.find((r) => r.unit_id === 'camlam-1');
    const units = await apiGet(page, '/v1/units/camlam-1/lineage');
    const cells = await rowOf(page, merged.unit_name);
    for (const predecessor of units.predecessors) assert.ok(cells[0].includes(predecessor.name), cells[0]);
    const part = await rowOf(page, units.predecessors[0].name);
    assert.ok(part[0].includes(`đã nhập vào ${merged.unit_name}`), part[0]);
    // The registration column is there, whole.
    assert.ok(cells.at(-1).includes(`${merged.registration.min}–${merged.registration.max}`), cells.at(-1));
    await screenshot(page, 'reports-quotas-all-1366x768');
    assert.deepEqual(errors, []);
  });

  test('units: search by a former name, lineage with its legal basis, the tree of an earlier day', async () => {
    const { page, errors } = suite.main;
    await go(page, '/units?q=cam%20hai%20tay', '.units-list li');
    const found = await apiGet(page, '/v1/units?q=cam%20hai%20tay');
    assert.deepEqual(await page.$$eval('.units-list li .link', (list) => list.map((b) => b.textContent)), found.units.map((u) => u.name));
    await page.click('.units-list li .link');
    await page.waitForSelector('.lineage .card');
    const lineage = await apiGet(page, `/v1/units/${found.units[0].id}/lineage`);
    const text = await page.$eval('.lineage', (s) => s.textContent);
    for (const unit of lineage.predecessors) assert.ok(text.includes(unit.name), unit.name);
    assert.ok(text.includes(`${lineage.reorganisations[0].legal_basis.document_number} ngày 16/06/2025 của ${lineage.reorganisations[0].legal_basis.issuer}`), text);
    assert.ok(text.includes('Xã Cam Hải Tây'));
    await expectNoA11yViolations(page, 'units: lineage');
    await screenshot(page, 'units-lineage-1366x768');

    // Today the districts are ended, and say by what; on 30 June 2025 they were not.
    // The search's list stays until the whole tree replaces it.
    await go(page, '/units', '.units-list li');
    await page.waitForFunction(() => [...document.querySelectorAll('.units-list li')]
      .some((li) => li.textContent.startsWith('Huyện Cam Lâm')));
    const district = await page.$$eval('.units-list li', (list) => list.find((li) => li.textContent.startsWith('Huyện Cam Lâm'))?.textContent);
    assert.ok(district.includes('đã kết thúc') && district.includes('01/2025/NQ-MAU'), district);
    await go(page, '/units?as_of=2025-06-30', '.sc-past');
    const before = await apiGet(page, '/v1/units?as_of_day=2025-06-30');
    const count = JSON.stringify(before).match(/"id":/g).length;
    await page.waitForFunction((n) => document.querySelectorAll('.units-list li').length === n, {}, count);
    const old = await page.$$eval('.units-list li', (list) => list.find((li) => li.textContent.startsWith('Huyện Cam Lâm'))?.textContent);
    assert.ok(!old.includes('đã kết thúc'), old);
    assert.deepEqual(errors, []);
  });

  test('a record: the transfer reads with its legal basis, own words say whose they are', async () => {
    const { page, errors } = suite.main;
    // dh-0008 came over from Xã Cam An when it merged into Xã Cam Lâm (the demo's fixed seed).
    const view = await apiGet(page, '/v1/exemplars/dh-0008');
    assert.ok(view.transfers.length > 0);
    const transfer = view.transfers[0];
    await go(page, '/exemplars/dh-0008', '#transfers-title');
    const expected = `Chuyển từ Xã Cam An sang Xã Cam Lâm theo ${transfer.reorganisation.legal_basis.document_number} ngày 16/06/2025`;
    assert.ok((await page.$eval('#transfers-title', (h) => h.parentElement.textContent)).includes(expected));
    await page.waitForSelector(`#event-${transfer.position} .sc-transfer`);
    const event = await page.$eval(`#event-${transfer.position}`, (li) => li.textContent);
    assert.ok(event.includes('Chuyển đơn vị theo sắp xếp') && event.includes(expected), event);
    await expectNoA11yViolations(page, 'record: transfer');
    await screenshot(page, 'exemplar-transfer-1366x768');

    // Experience written for dh-0014 by its mentor: the exemplar's words.
    const history = await apiGet(page, '/v1/exemplars/dh-0014/history');
    const written = history.events.find((e) => e.type === 'experience_documented' && e.on_behalf_of);
    assert.ok(written);
    await go(page, '/exemplars/dh-0014', `#event-${written.position} .sc-own-words`);
    const users = await apiGet(page, '/v1/users');
    const officer = users.users.find((u) => u.id === written.actor.user_id)?.full_name || written.actor.user_id;
    assert.equal(await page.$eval(`#event-${written.position} .sc-own-words`, (p) => p.textContent),
      `Lời của chính điển hình, do ${officer} ghi lại`);
    assert.ok(await page.$$eval('.sc-record .sc-own-words', (list) => list.length) > 0);
    assert.deepEqual(errors, []);
  });

  test('on a phone: the new reports and the units screen fit 390 px', async () => {
    const phone = await pageAs(suite.browser, suite.server.url, 'auditor-kh', kPhone);
    try {
      const screens = [
        ['/reports?tab=registrations&year=2026', '.sc-report tbody tr', 'reports-registrations-390'],
        ['/reports?tab=propagation&period=2025&unit=camlam-1', '.sc-summary-text[open] p', 'reports-propagation-390'],
        ['/reports?tab=reorganisation', '.sc-report tbody tr', 'reports-reorganisation-390'],
        ['/reports?tab=quotas&year=2025&unit=camlam-1', '.sc-report tbody tr', 'reports-quotas-390'],
        ['/units?unit=camlam-1', '.lineage .card', 'units-lineage-390'],
      ];
      for (const [route, selector, name] of screens) {
        await go(phone.page, route, selector);
        assert.ok(await fitsTheWidth(phone.page), `${route} is wider than the phone`);
        await screenshot(phone.page, name);
      }
      await expectNoA11yViolations(phone.page, 'units on a phone');
      assert.deepEqual(phone.errors, []);
    } finally {
      await phone.close();
    }
  });
});
