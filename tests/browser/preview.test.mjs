// The live preview, `medsite serve`, on a small site (`medsite init`) in a
// temporary folder, with a page open in chromium: saving the page's
// Markdown reloads the open page by itself with the new text; breaking the
// front matter shows the error overlay naming the file over the last good
// page; fixing it takes the overlay away and shows the fixed text. The
// feedback service mounted in the preview answers the widget.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  initSite,
  startPreview,
  launchBrowser,
  newContext,
  text,
  counterText,
  THANKS,
  TIMEOUT,
} from './helpers.mjs';

const PAGE = '/medications/methotrexate/';
const FILE = 'content/medications/methotrexate.md';
const WAIT = 20_000; // a save → rebuild → reload, on a busy machine

let site;
let root;
let preview;
let browser;
before(async () => {
  site = initSite({ title: 'Preview test' });
  root = site.root;
  assert.ok(fs.existsSync(path.join(root, FILE)), `medsite init wrote ${FILE}`);
  preview = await startPreview(root);
  browser = await launchBrowser();
}, { timeout: TIMEOUT });
after(async () => {
  await browser?.close().catch(() => {});
  await preview?.stop('SIGINT');
  site?.cleanup();
});

const file = () => path.join(root, FILE);
const read = () => fs.readFileSync(file(), 'utf8');
/** Saves the page as an editor would: the whole file written anew. */
const save = (content) => fs.writeFileSync(file(), content);

/**
 * Does `change`, then waits until the open page has loaded a new document
 * by itself (the test never navigates) and `ready` holds in it.
 */
async function reloadsItself(page, change, ready, what) {
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
  const loaded = page.waitForEvent('load', { timeout: WAIT });
  change();
  await loaded;
  await page.waitForFunction(ready.fn, ready.arg, { timeout: WAIT });
  assert.equal(await page.evaluate(() => window.__sameDocument), undefined, `${what}: the page loaded a new document`);
}

const hasText = (needle) => ({
  fn: (n) => document.body && document.body.innerText.includes(n),
  arg: needle,
});

describe('live preview', { timeout: TIMEOUT }, () => {
  it('reloads the open page on save, shows a broken file in an overlay, and recovers', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    const res = await page.goto(preview.url + PAGE);
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('#medsite-error').count(), 0, 'no overlay on a good build');
    const original = read();
    const [, front, body] = /^(---\n[\s\S]*?\n---\n)([\s\S]*)$/.exec(original) || [];
    assert.ok(front && body, `${FILE} starts with YAML front matter:\n${original}`);

    // 1. Edit the body: the open page reloads by itself with the new text.
    const first = `Edited in the preview test ${process.pid}.`;
    await reloadsItself(page, () => save(`${front}\n${first}\n\n${body}`), hasText(first), 'edit');
    assert.equal(await page.locator('#medsite-error').count(), 0);

    // 2. Break the front matter: the overlay appears in the open page,
    // naming the file, over the last good version of the page.
    const broken = front.replace(/^title:.*$/m, 'title: [an unclosed list');
    assert.notEqual(broken, front);
    await reloadsItself(page, () => save(`${broken}\n${first}\n\n${body}`), { fn: () => !!document.getElementById('medsite-error') }, 'break');
    const overlay = page.locator('#medsite-error');
    assert.equal(await overlay.isVisible(), true, 'the overlay is shown');
    assert.equal(await overlay.getAttribute('role'), 'alert');
    const message = await text(overlay);
    assert.ok(message.includes(FILE), `the overlay names ${FILE}: ${message}`);
    assert.match(message, /:\d+/, `the overlay gives the line: ${message}`);
    assert.ok(
      (await page.evaluate(() => document.body.innerText)).includes(first),
      'the last good version of the page stays underneath',
    );
    const stderr = preview.stderr();
    assert.ok(stderr.includes(FILE), `the terminal names the file too:\n${stderr}`);

    // 3. Fix it: the overlay goes away and the page shows the fixed text.
    const fixed = `Fixed in the preview test ${process.pid}.`;
    await reloadsItself(
      page,
      () => save(`${front}\n${fixed}\n\n${body}`),
      { fn: (n) => !document.getElementById('medsite-error') && document.body.innerText.includes(n), arg: fixed },
      'fix',
    );
    assert.equal(await page.locator('#medsite-error').count(), 0, 'the overlay is gone');
    assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(first), 'the old text is gone');
    await context.close();
  });

  it('runs the feedback service at the endpoint, so the widget and the counter work', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    await page.goto(preview.url + PAGE);
    assert.match(await counterText(page, WAIT), /^This page has had \d+ visits? today$/);
    await page.locator('label[for="rating-4"]').click();
    const answer = page.waitForResponse('**/rating');
    await page.locator('.rating-form button[type=submit]').click();
    assert.equal((await answer).status(), 201);
    await page.locator('.rating-status', { hasText: THANKS }).waitFor();
    await context.close();
  });

  it('refuses paths outside the site', async () => {
    for (const out of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/a/%2E%2E/%2E%2E/%2E%2E/etc/passwd']) {
      const res = await fetch(preview.url + out);
      assert.ok([400, 403, 404].includes(res.status), `${out}: ${res.status}`);
      assert.doesNotMatch(await res.text(), /root:/, out);
    }
  });
});
