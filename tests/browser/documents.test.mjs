// Evidence documents in a real browser: a reporter writes down an
// exemplar's experience with a PDF attached through the action form's file
// picker (uploaded at once, submitting held while it goes), and the
// timeline links the step to the document, whose bytes read back as sent,
// at 1366 px and on a phone; a document of the demo's dossiers reads back
// and shows as erased once its subject's file is erased.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { expectNoA11yViolations, screenshot, skipReason } from './support.mjs';
import { apiGet, demoSuite, go, workflowLabel } from './records-support.mjs';

const kUser = 'reporter-camlam-1';
const kAction = 'document_experience';
const kForm = `#form-${kAction}`;  // the prefix of the form's field ids
const kSubmit = '.sc-action-form button[type=submit]';
const kPdfName = 'Báo cáo kinh nghiệm.pdf';
const kPdf = Buffer.from('%PDF-1.4\n% Tài liệu thử của điển hình\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'utf8');

const folder = mkdtempSync(path.join(os.tmpdir(), 'exemplar-documents-'));
const pdfPath = path.join(folder, kPdfName);
const zipPath = path.join(folder, 'ảnh.zip');
writeFileSync(pdfPath, kPdf);
writeFileSync(zipPath, Buffer.from('PK\u0003\u0004 not taken'));

// Whether anything on the page is wider than the viewport.
const overflows = (page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

describe('evidence documents', { skip: skipReason || false }, () => {
  const suite = demoSuite(kUser);
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('a PDF picked in the form is uploaded, submitted, linked from the timeline and reads back', async () => {
    const { page, errors } = suite.main;

    // An exemplar of the reporter's commune whose experience they may write down.
    const list = await apiGet(page, '/v1/exemplars?limit=50');
    let id = '';
    for (const item of list.items) {
      const actions = await apiGet(page, `/v1/exemplars/${item.id}/actions`);
      if (actions.actions.some((a) => a.action === kAction && a.allowed)) {
        id = item.id;
        break;
      }
    }
    assert.ok(id, `no exemplar on which ${kUser} may ${kAction}`);

    const actionLabel = await workflowLabel(page, 'actions', kAction);
    await go(page, `/exemplars/${id}`, '.sc-action-buttons button');
    await page.$$eval('.sc-action-buttons button', (buttons, text) => {
      buttons.find((b) => b.textContent.startsWith(text)).click();
    }, actionLabel);
    await page.waitForSelector(`${kForm}-attachments`);

    // The picker: a multiple file input labelled with the field's name.
    const picker = await page.$eval(`${kForm}-attachments`, (input) => ({
      type: input.type,
      multiple: input.multiple,
      accept: input.accept,
      label: document.querySelector(`label[for="${input.id}"]`).textContent,
    }));
    assert.equal(picker.type, 'file');
    assert.ok(picker.multiple);
    assert.ok(picker.accept.includes('application/pdf'), picker.accept);
    assert.equal(picker.label, 'Tài liệu kinh nghiệm');

    await page.type(`${kForm}-title`, 'Kinh nghiệm nuôi bò sinh sản');
    await page.type(`${kForm}-content`, 'Cùng bà con trong thôn làm chuồng trại, trồng cỏ, chia sẻ giống.');

    // A kind of file the server does not take is refused at once, in Vietnamese, and can be removed.
    const input = await page.$(`${kForm}-attachments`);
    await input.uploadFile(zipPath);
    await page.waitForSelector('.sc-upload-error');
    const refused = await page.$eval('.sc-upload-error', (row) => row.textContent);
    assert.ok(refused.includes('ảnh.zip') && refused.includes('Loại tệp không được nhận'), refused);
    await page.click('.sc-upload-error .sc-upload-remove');
    await page.waitForFunction(() => !document.querySelector('.sc-upload'));

    // The PDF: held on its way to the server, it shows as uploading and
    // submitting waits; let go, it shows its name and size.
    await page.setRequestInterception(true);
    let held;
    let hold;
    const reached = new Promise((resolve) => {
      hold = (request) => {
        if (request.url().includes('/v1/documents?') && request.method() === 'POST') {
          held = request;
          resolve();
        } else {
          request.continue();
        }
      };
    });
    page.on('request', hold);
    const uploaded = page.waitForResponse((r) => r.url().includes('/v1/documents?') && r.request().method() === 'POST');
    await input.uploadFile(pdfPath);
    await reached;
    await page.waitForSelector('.sc-upload-uploading');
    assert.ok((await page.$eval('.sc-upload-uploading', (row) => row.textContent)).includes('Đang tải lên…'));
    assert.ok(await page.$eval(kSubmit, (b) => b.disabled), 'submit must wait for the upload');
    assert.ok(held.url().includes(`name=${encodeURIComponent(kPdfName)}`), held.url());
    assert.equal(held.headers()['content-type'], 'application/pdf');
    assert.ok(held.headers()['x-csrf-token'], 'the upload carries the CSRF token');
    await held.continue();
    assert.equal((await uploaded).status(), 201);
    page.off('request', hold);
    await page.setRequestInterception(false);
    await page.waitForSelector('.sc-upload-done');
    const row = await page.$eval('.sc-upload-done', (r) => r.textContent);
    assert.ok(row.includes(kPdfName) && row.includes(`${kPdf.length} B`), row);
    assert.ok(!(await page.$eval(kSubmit, (b) => b.disabled)));
    await expectNoA11yViolations(page, 'action form with a document');
    await screenshot(page, 'documents-form-1366x768');
    await page.setViewport({ width: 390, height: 844 });
    assert.ok(!(await overflows(page)), 'the form runs off a phone\'s screen');
    await screenshot(page, 'documents-form-390');
    await page.setViewport({ width: 1366, height: 768 });

    // Submitted: the command named the upload by its hash.
    const command = page.waitForRequest((r) => r.url().endsWith(`/v1/exemplars/${id}/${kAction}`));
    await page.click(kSubmit);
    const body = JSON.parse((await command).postData());
    assert.equal(body.attachments.length, 1);
    const [hash] = body.attachments;
    assert.match(hash, /^[0-9a-f]{64}$/);

    // The timeline links the step to the document, shown by name and size.
    const href = `/v1/exemplars/${id}/documents/${hash}`;
    const link = `.sc-timeline .sc-document a[href="${href}"]`;
    await page.waitForSelector(link);
    const shown = await page.$eval(link, (a) => ({
      text: a.textContent,
      target: a.target,
      size: a.parentElement.querySelector('.sc-document-size').textContent,
      visible: a.getClientRects().length > 0,
    }));
    assert.deepEqual(shown, { text: kPdfName, target: '_blank', size: `(${kPdf.length} B)`, visible: true });
    // As the history records it.
    const history = await apiGet(page, `/v1/exemplars/${id}/history`);
    const step = history.events.findLast((e) => e.data && e.data.action === kAction);
    assert.deepEqual(step.data.fields.attachments, [{ hash, size: kPdf.length, media_type: 'application/pdf', name: kPdfName }]);
    // The record's own list of steps links it too.
    await page.waitForSelector(`.sc-entry .sc-document a[href="${href}"]`);

    // The link reads back the bytes sent, as a PDF, with the page's session.
    const read = await page.evaluate(async (target) => {
      const response = await fetch(target);
      return {
        status: response.status,
        type: response.headers.get('Content-Type'),
        bytes: Array.from(new Uint8Array(await response.arrayBuffer())),
      };
    }, href);
    assert.equal(read.status, 200);
    assert.equal(read.type, 'application/pdf');
    assert.ok(Buffer.from(read.bytes).equals(kPdf), 'the document reads back as uploaded');

    await page.$eval(link, (a) => a.closest('.sc-event').scrollIntoView({ block: 'center' }));
    await screenshot(page, 'documents-timeline-1366x768');
    await page.setViewport({ width: 390, height: 844 });
    assert.ok(!(await overflows(page)), 'the timeline runs off a phone\'s screen');
    await screenshot(page, 'documents-timeline-390');
    await page.setViewport({ width: 1366, height: 768 });
    assert.deepEqual(errors, []);
  });

  test('a dossier document of the demo reads back, and shows as [đã xóa] once its subject is erased', async () => {
    const { page, errors } = suite.main;
    // An exemplar of the commune whose own file (the written experience) holds a document.
    const list = await apiGet(page, '/v1/exemplars?state=honoured&limit=50');
    let id = '';
    let documented;
    for (const item of list.items) {
      const history = await apiGet(page, `/v1/exemplars/${item.id}/history`);
      documented = history.events.find((e) => e.data && e.data.action === kAction && e.data.fields.attachments);
      if (documented) {
        id = item.id;
        break;
      }
    }
    assert.ok(id, 'the demo recorded no experience with a document');
    const [doc] = documented.data.fields.attachments;
    const href = `/v1/exemplars/${id}/documents/${doc.hash}`;
    await go(page, `/exemplars/${id}`, `.sc-timeline .sc-document a[href="${href}"]`);
    const read = await page.evaluate(async (target) => {
      const response = await fetch(target);
      return { status: response.status, type: response.headers.get('Content-Type'), text: await response.text() };
    }, href);
    assert.equal(read.status, 200);
    assert.equal(read.type, 'text/plain; charset=utf-8');
    assert.ok(read.text.includes('Tài liệu mẫu của tỉnh thử nghiệm'), read.text);

    // Four eyes: the data-protection officer asks, the commune's approver approves.
    const command = async (user, action, role, fields) => {
      const response = await fetch(`${suite.server.url}/v1/exemplars/${id}/${action}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${suite.server.tokens[user]}`, 'Content-Type': 'application/json', 'X-Acting-Role': role },
        body: JSON.stringify({ retention_class: 'exemplar_file', ...fields }),
      });
      assert.equal(response.status, 200, await response.text());
    };
    await command('dpo-kh', 'request_erasure', 'data_protection_officer', {
      legal_article: 'Điều 16 Luật Bảo vệ dữ liệu cá nhân 2025',
      legal_reference: 'Đơn đề nghị số 12/2026',
      legal_date: '2026-11-20',
    });
    await command('approver-camlam-1', 'approve_erasure', 'approver', {});

    await page.reload();
    await page.waitForSelector('.sc-timeline .sc-document-erased');
    const erased = await page.$$eval('.sc-timeline .sc-document-erased', (items) => items.map((li) => ({
      text: li.querySelector('.sc-document-name').textContent,
      linked: li.querySelector('a') !== null,
    })));
    assert.ok(erased.length >= 1);
    for (const item of erased) assert.deepEqual(item, { text: '[đã xóa]', linked: false });
    assert.equal(await page.$(`a[href="${href}"]`), null, 'the erased document is still linked');
    const gone = await page.evaluate(async (target) => (await fetch(target)).status, href);
    assert.equal(gone, 410);
    await page.$eval('.sc-timeline .sc-document-erased', (li) => li.closest('.sc-event').scrollIntoView({ block: 'center' }));
    await screenshot(page, 'documents-erased-1366x768');
    await page.setViewport({ width: 390, height: 844 });
    assert.ok(!(await overflows(page)), 'the timeline runs off a phone\'s screen');
    await screenshot(page, 'documents-erased-390');
    await page.setViewport({ width: 1366, height: 768 });
    assert.deepEqual(errors, []);
  });
});
