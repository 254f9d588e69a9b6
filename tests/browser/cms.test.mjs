// The web editor at /admin/ (Decap CMS, served by the site itself) through
// `medsite serve` on a copy of the example site, in chromium, as an editor
// uses it: the CMS loads with medsite's collections and asks no other host
// for anything; a medication page made through the form lands in
// content/medications/ as Markdown with front matter and the standard
// headings, and the preview rebuilds it; an edit changes only the edited
// field (of a page with a translation, and of one without, which gets no
// Norwegian file); a save the build would refuse (a wrong ATC code, a link to a page
// that does not exist) is refused with medsite's own message and leaves
// the file alone; a save over a file that changed on disk since the CMS
// read it is refused with the conflict message and keeps the other change.
// axe-core runs on the collections view and the editor: the count and rule
// ids are reported, and medsite's own conditions field must cause none.
//
// Screenshots go to CMS_SHOTS (default /tmp/cms-shots).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  copySite,
  startPreview,
  launchBrowser,
  newContext,
  axeViolations,
  describeViolations,
  TIMEOUT,
} from './helpers.mjs';

// playwright-core bundles a YAML parser: the front matter is read with it.
const { yaml } = createRequire(import.meta.url)('playwright-core/lib/utilsBundle');

const LOAD = 120_000; // Decap is 5 MB of JavaScript: the first load on a busy machine
const WAIT = 60_000; // a save → build checks → write → rebuild of the preview
const SHOTS = process.env.CMS_SHOTS || '/tmp/cms-shots';
// Not of an ATC code's shape at any level ("L04XX" is one: level 4, a
// letter, two digits, two letters).
const BAD_ATC = 'L04AX3';
const ATC_MESSAGE = 'an ATC code is a letter, two digits, two letters and two digits, e.g. `L04AC08`';
// The standard headings of an English medication page, in order
// (src/config/checks.rs, english_sections): a new page starts with them.
const HEADINGS = [
  'What it is and what it is used for',
  'Before starting treatment',
  'Pregnancy and breast-feeding',
  'Dosage',
  'Side effects',
  'Checks and follow-up',
];

let site;
let preview;
let browser;
before(
  async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    site = copySite();
    assert.match(fs.readFileSync(path.join(site.root, 'site.toml'), 'utf8'), /^\[cms\]/m, 'the example site has [cms]');
    preview = await startPreview(site.root);
    browser = await launchBrowser();
  },
  { timeout: TIMEOUT },
);
after(async () => {
  await browser?.close().catch(() => {});
  await preview?.stop('SIGINT');
  site?.cleanup();
});

const file = (rel) => path.join(site.root, 'content', rel);
const read = (rel) => fs.readFileSync(file(rel), 'utf8');

/** A Markdown file's front matter (parsed) and body. */
function parsePage(text, what) {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  assert.ok(m, `${what} starts with YAML front matter:\n${text}`);
  return { front: yaml.parse(m[1]) || {}, body: m[2] };
}

/** Front matter without its keys whose value is empty ([], "", null). */
const withoutEmpty = (front) =>
  Object.fromEntries(Object.entries(front).filter(([, v]) => !(v === null || v === '' || (Array.isArray(v) && v.length === 0))));

/** The `## ` headings of a Markdown body, in order. */
const headingsOf = (body) => [...body.matchAll(/^##[ \t]+(.+?)\s*$/gm)].map((m) => m[1]);

/**
 * Runs `fn(env)` with a page of a fresh browser context (env: context,
 * page, requests, dialogs, loads); on a failure a screenshot goes to
 * SHOTS/NAME-failed.png.
 */
async function withPage(name, fn) {
  const env = await openPage();
  try {
    await fn(env);
  } catch (err) {
    await shot(env.page, `${name}-failed`).catch(() => {});
    throw err;
  } finally {
    await env.context.close().catch(() => {});
  }
}

/** A page of a fresh browser context, with every request, dialog and load of the admin page recorded. */
async function openPage() {
  const context = await newContext(browser);
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  // An editor with unsaved work stays on the page when asked whether to
  // leave it (beforeunload); Decap's other questions (restore a local
  // backup) are answered yes.
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    (d.type() === 'beforeunload' ? d.dismiss() : d.accept()).catch(() => {});
  });
  const loads = [];
  page.on('load', () => loads.push(page.url()));
  return { context, page, requests, dialogs, loads };
}

/**
 * Opens /admin/ (at `hash`), logs in to the local backend and waits for
 * the CMS. Fails with what the page shows when Decap refused the
 * configuration or found no local backend (its GitHub login).
 */
async function openCms(page, hash = '') {
  const res = await page.goto(`${preview.url}/admin/${hash}`);
  assert.equal(res.status(), 200, 'GET /admin/');
  const login = page.getByRole('button', { name: 'Login', exact: true });
  const configError = page.getByText('Error loading the CMS configuration');
  const github = page.getByRole('button', { name: /GitHub/ });
  await login.or(configError).or(github).first().waitFor({ timeout: LOAD });
  const shown = () => page.evaluate(() => document.body.innerText);
  if (await configError.isVisible()) {
    throw new Error(`Decap CMS refused medsite's admin/config.yml:\n${await shown()}`);
  }
  if (await github.isVisible()) {
    throw new Error(`Decap CMS found no local backend at /__medsite/cms/ and shows the GitHub login:\n${await shown()}`);
  }
  await login.click();
}

/** Opens the editor of an existing entry and waits until its title is loaded. */
async function openEntry(page, collection, slug, title) {
  await openCms(page, `#/collections/${collection}/entries/${slug}`);
  await field(page, 'title').waitFor({ timeout: LOAD });
  await page.waitForFunction(
    (t) => [...document.querySelectorAll('input[id^="title-field"]')].some((i) => i.value === t),
    title,
    { timeout: WAIT },
  );
}

/**
 * The default language's control of a field. With two languages the
 * editor shows the English pane first, then the Norwegian one: the first
 * control with the field's id is English.
 */
const field = (page, name) => page.locator(`[id^="${name}-field-"]`).first();

/**
 * Replaces a text field's value as a person does (select all, type) and
 * checks it took: Decap's string widget can keep its caret at the end
 * after a validation message, so a plain fill() may append.
 */
async function setText(locator, value) {
  await locator.click();
  await locator.press('ControlOrMeta+a');
  await locator.press('Delete');
  await locator.fill(value);
  assert.equal(await locator.inputValue(), value, 'the field holds the typed value');
}

/** The default language's rich-text body editor. */
const bodyEditor = (page) => page.locator('[contenteditable="true"]').first();

/**
 * In the rich-text editor, clicks at the end of the heading's line (as a
 * person does, right of its text), presses Enter and types `text` in the
 * new paragraph. Each step waits for the editor's caret to be there.
 */
async function typeUnder(page, editor, heading, text) {
  const h2 = editor.locator('h2', { hasText: heading });
  const box = await h2.boundingBox();
  await h2.click({ position: { x: box.width - 4, y: box.height / 2 } });
  const caret = (where) => page.waitForFunction(where, heading, { timeout: WAIT });
  await caret((h) => {
    const s = getSelection();
    const n = s.anchorNode;
    const el = n && (n.nodeType === 1 ? n : n.parentElement);
    return s.isCollapsed && el?.closest('h2')?.textContent === h && s.anchorOffset === n.textContent.length;
  });
  // Slate reads the browser's selection at most every 100 ms: Enter before
  // it did splits the heading instead of starting a paragraph.
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
  const next = (want) =>
    h2.evaluate((el, t) => {
      const p = el.nextElementSibling;
      return !!p && p.tagName === 'P' && p.textContent.replace(/\uFEFF/g, '').trim() === t;
    }, want);
  const until = async (ok, what) => {
    const end = Date.now() + WAIT;
    while (!(await ok())) {
      if (Date.now() > end) {
        const blocks = await editor.evaluate((e) =>
          [...e.children].map((c) => `${c.tagName}: ${JSON.stringify(c.textContent.replace(/\uFEFF/g, ''))}`).join('\n'),
        );
        assert.fail(`the body editor: ${what} under "${heading}"; the editor has:\n${blocks}`);
      }
      await page.waitForTimeout(100);
    }
  };
  await until(() => next(''), 'Enter makes an empty paragraph');
  await page.keyboard.type(text);
  await until(() => next(text), `the typed text is in the paragraph`);
}

/** The notification Decap shows that matches `re`, as text. */
async function notice(page, re) {
  const toast = page.getByText(re).first();
  await toast.waitFor({ timeout: WAIT });
  await page.waitForTimeout(800); // the toast slides in: let a screenshot show it
  return (await toast.evaluate((el) => (el.closest('[role=alert],[class*=toast],[class*=Toast],[class*=otification]') || el).innerText))
    .replace(/\s+/g, ' ')
    .trim();
}

/** The CMS's persistEntry requests seen so far (their responses, once answered). */
function persistWatcher(page) {
  const seen = [];
  page.on('response', (r) => {
    if (!r.url().includes('/__medsite/cms/') || r.request().method() !== 'POST') return;
    let action;
    try {
      action = r.request().postDataJSON()?.action;
    } catch {
      return;
    }
    if (action === 'persistEntry') seen.push(r);
  });
  return seen;
}

/** Publish → Publish now (Decap's simple publishing, as the local backend asks for). */
async function publishNow(page) {
  await page.getByText('Publish', { exact: true }).first().click();
  await page.getByText('Publish now', { exact: true }).click();
}

/** Polls the preview's `urlPath` until `ok(html)` holds; returns the last HTML. */
async function pollPage(urlPath, ok, what, ms = WAIT) {
  const end = Date.now() + ms;
  let last = '';
  for (;;) {
    try {
      const res = await fetch(preview.url + urlPath);
      last = `${res.status}\n${await res.text()}`;
      if (res.status === 200 && ok(last)) return last;
    } catch (err) {
      last = String(err);
    }
    if (Date.now() >= end) assert.fail(`${what}: ${urlPath} did not show it within ${ms} ms; last answer:\n${last.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const h1Of = (html) => (/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] || '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
const decode = (s) => s.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

const shot = (page, name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

/** What the backend answered to each persistEntry so far, for messages. */
const answers = async (persists) =>
  (await Promise.all(persists.map(async (r) => `${r.status()} ${await r.text().catch(() => '')}`))).join('\n') || 'no persistEntry request';

describe('web editor at /admin/ through medsite serve', { timeout: TIMEOUT * 5 }, () => {
  it("shows medsite's collections and asks no host but 127.0.0.1 for anything", { timeout: TIMEOUT }, async () => {
    await withPage('cms-collections', async ({ page, requests }) => {
      await openCms(page);
      const nav = page.getByRole('navigation').or(page.locator('body')).first();
      for (const name of [/^Medications/, /^Pages/, /^Sections$/]) {
        await nav.getByRole('link', { name }).first().waitFor({ timeout: LOAD });
      }
      await page.getByRole('link', { name: /^Medications/ }).first().click();
      for (const title of ['Methotrexate', 'Colchicine', 'Ilaris (canakinumab)']) {
        await page.getByRole('link', { name: title, exact: true }).waitFor();
      }
      // A section's own page (_index.md) is edited under Sections, not listed as a medication.
      assert.equal(
        await page.getByRole('link', { name: 'Medications for rheumatic diseases', exact: true }).count(),
        1,
        'the section page is not listed among the medications (only the sidebar link has its title)',
      );
      await page.getByRole('link', { name: 'Sections', exact: true }).click();
      await page.getByRole('link', { name: 'Home page', exact: true }).waitFor();
      await shot(page, 'cms-collections');
      await page.waitForTimeout(1000); // late requests (fonts, chunks)
      const local = requests.filter((u) => /^(data|blob):/.test(u) || new URL(u).hostname === '127.0.0.1');
      const foreign = requests.filter((u) => !local.includes(u));
      assert.ok(requests.some((u) => u.includes('/admin/decap-cms.js')), 'Decap CMS came from the site itself');
      assert.ok(requests.some((u) => u.includes('/__medsite/cms/')), 'the CMS talked to the local backend');
      assert.deepEqual(foreign, [], `every request of the editor goes to 127.0.0.1; of ${requests.length} requests these did not`);
    });
  });

  it('creates a medication page through the form: Markdown in content/medications/, rebuilt in the preview', { timeout: TIMEOUT }, async () => {
    await withPage('cms-new', async ({ page }) => {
      const persists = persistWatcher(page);
      const generic = 'diclofenac';
      const rel = `medications/${generic}.md`;
      const title = 'Diclofenac (a test page)';
      const summary = 'Diclofenac eases pain and swelling in joints. It is taken as tablets or used as a gel.';
      const texts = {
        'What it is and what it is used for': 'Diclofenac is a painkiller that also calms inflammation.',
        Dosage: 'Take the tablets with food or just after a meal.',
        'Side effects': 'It can upset the stomach.',
      };
      assert.equal(fs.existsSync(file(rel)), false, `${rel} does not exist yet`);

      await openCms(page, '#/collections/medications');
      await page.getByRole('link', { name: /Medication page/ }).click();
      await field(page, 'title').waitFor({ timeout: LOAD });

      await field(page, 'title').fill(title);
      await field(page, 'generic_name').fill(generic);
      const brands = field(page, 'brand_names');
      for (const [i, brand] of ['Voltarol', 'Diclomax'].entries()) {
        await brands.getByRole('button', { name: /Add brand names/ }).click();
        await brands.locator('input[id^="item-field-"]').nth(i).fill(brand);
      }
      await field(page, 'atc_code').fill('M01AB05');

      // The conditions field: a text input with the site's conditions as
      // suggestions (a datalist); "Add condition" and Enter add one.
      const conditions = field(page, 'conditions');
      const listId = await conditions.getAttribute('list');
      assert.ok(listId, 'the conditions input has a list of suggestions');
      const options = () => page.locator(`datalist[id="${listId}"] option`).evaluateAll((os) => os.map((o) => o.value));
      const suggestions = await options();
      assert.ok(suggestions.includes('Rheumatoid arthritis'), `the suggestions are the site's conditions: ${suggestions}`);
      await conditions.fill('Rheumatoid arthritis');
      await page.getByRole('button', { name: 'Add condition', exact: true }).first().click();
      await conditions.fill('Gout');
      await conditions.press('Enter');
      await page.getByRole('button', { name: 'Remove Gout' }).first().waitFor();
      assert.ok(!(await options()).includes('Rheumatoid arthritis'), 'a condition picked is no longer suggested');
      await shot(page, 'cms-new-conditions');

      await field(page, 'summary').fill(summary);
      assert.equal(await field(page, 'last_reviewed').getAttribute('type'), 'date', 'the date widget');
      await field(page, 'last_reviewed').fill('2026-11-01');
      await field(page, 'next_review').fill('2027-11-01');
      await field(page, 'reviewed_by').fill('Example Rheumatology Department');
      const sources = field(page, 'sources');
      if ((await sources.locator('input[id^="title-field-"]').count()) === 0) {
        await sources.getByRole('button', { name: /Add sources/ }).click();
      }
      await sources.locator('input[id^="title-field-"]').first().fill('Diclofenac, NHS medicines information');
      await sources.locator('input[id^="url-field-"]').first().fill('https://www.nhs.uk/medicines/diclofenac/');

      // The body starts with the standard headings; text goes under three of them.
      const editor = bodyEditor(page);
      const shownHeadings = await editor.locator('h2').allInnerTexts();
      assert.deepEqual(shownHeadings.map((h) => h.trim()), HEADINGS, 'a new page starts with the standard headings');
      for (const [heading, text] of Object.entries(texts)) await typeUnder(page, editor, heading, text);
      await shot(page, 'cms-new-filled');

      await publishNow(page);
      const saved = await notice(page, /Entry saved|Failed to persist|Oops/);
      await shot(page, 'cms-new-saved');
      assert.match(saved, /Entry saved/, `the CMS says the entry was saved; the backend answered:\n${await answers(persists)}`);
      assert.equal(persists.at(-1).status(), 200, 'persistEntry answered 200');

      assert.ok(fs.existsSync(file(rel)), `the page was written to content/${rel}`);
      const { front, body } = parsePage(read(rel), rel);
      assert.equal(front.title, title);
      assert.equal(front.generic_name, generic);
      assert.deepEqual(front.brand_names, ['Voltarol', 'Diclomax']);
      assert.equal(front.atc_code, 'M01AB05');
      assert.deepEqual(front.conditions, ['Rheumatoid arthritis', 'Gout']);
      assert.equal(front.summary, summary);
      assert.equal(String(front.last_reviewed), '2026-11-01');
      assert.equal(String(front.next_review), '2027-11-01');
      assert.equal(front.reviewed_by, 'Example Rheumatology Department');
      assert.equal(front.sources?.length, 1, `one source: ${JSON.stringify(front.sources)}`);
      assert.equal(front.sources[0].title, 'Diclofenac, NHS medicines information');
      assert.equal(front.sources[0].url, 'https://www.nhs.uk/medicines/diclofenac/');
      assert.deepEqual(headingsOf(body), HEADINGS, `the body keeps the standard headings in order:\n${body}`);
      for (const [heading, text] of Object.entries(texts)) {
        assert.ok(body.includes(`## ${heading}\n\n${text}`), `"${text}" is under "## ${heading}":\n${body}`);
      }
      assert.equal(fs.existsSync(file(`medications/${generic}.en.md`)), false, 'the default language is written as name.md, not name.en.md');
      assert.equal(fs.existsSync(file(`medications/${generic}.nb.md`)), false, 'no Norwegian file for a page written in English only');

      const html = await pollPage(`/medications/${generic}/`, (h) => h1Of(h).includes(title), 'the new page');
      assert.equal(decode(h1Of(html)), title, 'the rebuilt page has the title in its <h1>');
      assert.ok(decode(html).includes(summary), 'the rebuilt page shows the summary');
    });
  });

  /**
   * Opens the medication page `slug` in the editor, changes its summary,
   * saves, and checks that the file on disk changed there only (and its
   * translation, if any, not at all; none is made when there is none) and
   * that the preview shows the new summary.
   */
  async function editSummary(name, slug, summary) {
    await withPage(name, async ({ page }) => {
      const persists = persistWatcher(page);
      const rel = `medications/${slug}.md`;
      const relNb = `medications/${slug}.nb.md`;
      const before = parsePage(read(rel), rel);
      const hadNb = fs.existsSync(file(relNb));
      const beforeNb = hadNb ? parsePage(read(relNb), relNb) : null;

      await openEntry(page, 'medications', slug, before.front.title);
      assert.equal(await field(page, 'summary').inputValue(), before.front.summary, 'the form shows the summary from disk');
      await field(page, 'summary').fill(summary);
      await publishNow(page);
      const saved = await notice(page, /Entry saved|Failed to persist|Oops/);
      await shot(page, `${name}-saved`);
      assert.match(saved, /Entry saved/, `the CMS says the entry was saved; the backend answered:\n${await answers(persists)}`);

      const after = parsePage(read(rel), rel);
      assert.equal(after.front.summary, summary, 'the new summary is on disk');
      // (An empty list such as `brand_names: []` may be left out: a form
      // has no "empty list" apart from "none".)
      const { summary: _old, ...restBefore } = withoutEmpty(before.front);
      const { summary: _new, ...restAfter } = withoutEmpty(after.front);
      assert.deepEqual(restAfter, restBefore, 'every other front matter key is kept as it was');
      assert.deepEqual(headingsOf(after.body), headingsOf(before.body), 'the body keeps its headings');
      assert.equal(after.body.trim(), before.body.trim(), 'the body is unchanged');
      if (hadNb) {
        const afterNb = parsePage(read(relNb), relNb);
        assert.deepEqual(afterNb.front, beforeNb.front, "the Norwegian translation's front matter is unchanged");
        assert.equal(afterNb.body.trim(), beforeNb.body.trim(), "the Norwegian translation's text is unchanged");
      } else {
        assert.equal(fs.existsSync(file(relNb)), false, `no Norwegian file is made for a page that has no translation (${relNb})`);
      }

      await pollPage(`/medications/${slug}/`, (h) => decode(h).includes(summary), 'the edited summary');
    });
  }

  it('edits a page with a translation: only the summary changes on disk, and the preview shows it', { timeout: TIMEOUT }, async () => {
    await editSummary('cms-edit', 'methotrexate', 'Methotrexate calms an overactive immune system. It is taken only once a week (edited in the web editor).');
  });

  it('edits a page without a translation: only the summary changes, no Norwegian file is made', { timeout: TIMEOUT }, async () => {
    await editSummary('cms-edit-untranslated', 'colchicine', 'Colchicine calms the inflammation of a gout attack (edited in the web editor).');
  });

  it("refuses a save the build would refuse, with medsite's message, and leaves the file alone", { timeout: TIMEOUT }, async () => {
    await withPage('cms-refused', async ({ page }) => {
      const persists = persistWatcher(page);
      const rel = 'medications/leflunomide.md';
      const original = read(rel);
      const { front } = parsePage(original, rel);

      await openEntry(page, 'medications', 'leflunomide', front.title);

      // 1. A code that is not of an ATC code's shape (at any of its
      // levels: "L04XX" is one, level 4): the form refuses it with medsite's text.
      // (Decap shows the message at the field, and no notification.)
      await setText(field(page, 'atc_code'), BAD_ATC);
      await publishNow(page);
      const fieldError = page.getByText(`ATC code didn't match the pattern: ${ATC_MESSAGE}`);
      await fieldError.waitFor();
      await shot(page, 'cms-atc-refused');
      assert.equal(await page.getByText(/Entry saved/).count(), 0, 'the CMS does not say the entry was saved');
      assert.equal(persists.length, 0, `the form did not send the wrong code: ${await answers(persists)}`);
      assert.equal(read(rel), original, `${rel} is unchanged after the refused ATC code`);

      // 2. A link to a page that does not exist: only the build knows.
      await setText(field(page, 'atc_code'), front.atc_code);
      // The link is typed as Markdown, in the Markdown mode of the body
      // (one block a line), as a new paragraph after the last line.
      await page.locator('[class*=ToolbarToggle] [role=switch]').first().click();
      const link = 'See also [the other page](no-such-page.md).';
      const lines = bodyEditor(page).locator(':scope > *');
      await lines.last().click();
      await page.waitForTimeout(300); // Slate reads the caret at most every 100 ms
      await page.keyboard.press('Enter');
      await page.keyboard.type(link);
      await page.waitForFunction(
        (t) => document.querySelector('[contenteditable="true"]').lastElementChild.textContent.replace(/\uFEFF/g, '') === t,
        link,
      );
      await publishNow(page);
      const failed = await notice(page, /Failed to persist|did not save|Entry saved|Oops/);
      await shot(page, 'cms-link-refused');
      console.log(`notification after a save with a broken link: ${failed}`);
      assert.ok(persists.length > 0, 'the save reached the backend');
      const res = persists.at(-1);
      assert.equal(res.status(), 422, `the backend refuses the save: ${await answers(persists)}`);
      const { error } = await res.json();
      assert.match(error, /no-such-page\.md/, `the backend's message names the link: ${error}`);
      assert.doesNotMatch(failed, /Entry saved/, 'the CMS does not say the entry was saved');
      assert.match(failed, /no-such-page\.md/, `the notification shows medsite's message naming the link: ${failed}`);
      assert.match(failed, /medsite did not save this/, `the notification is medsite's own text: ${failed}`);
      assert.equal(read(rel), original, `${rel} is unchanged after the refused link`);
    });
  });

  it('refuses a save over a file that changed on disk since the CMS read it, and keeps that change', { timeout: TIMEOUT }, async () => {
    await withPage('cms-conflict', async ({ page, dialogs, loads }) => {
      const persists = persistWatcher(page);
      const rel = 'medications/sulfasalazine.md';
      const original = read(rel);
      const { front } = parsePage(original, rel);
      const other = 'Changed in a text editor while the page was open in the web editor.';
      const mine = 'Sulfasalazine calms inflammation (edited in the web editor, over a changed file).';
      const reviewer = 'Edited in the web editor';

      await openEntry(page, 'medications', 'sulfasalazine', front.title);
      const loadsBefore = loads.length;
      await field(page, 'summary').fill(mine);
      fs.writeFileSync(file(rel), `${original.trimEnd()}\n\n${other}\n`);
      // The preview notices the change and rebuilds the page.
      await pollPage('/medications/sulfasalazine/', (h) => h.includes(other), 'the change on disk');
      await page.waitForTimeout(1000);
      await field(page, 'reviewed_by').fill(reviewer);
      assert.equal(await field(page, 'summary').inputValue(), mine, 'the unsaved summary is still in the form');
      await publishNow(page);
      const shown = await notice(page, /Failed to persist|did not save|Entry saved|Oops/);
      await shot(page, 'cms-conflict');
      console.log(`notification after a save over a changed file: ${shown}`);
      const res = persists.at(-1);
      assert.doesNotMatch(shown, /Entry saved/, `the CMS must not save over the change on disk; the backend answered: ${await answers(persists)}`);
      assert.equal(res?.status(), 409, `the backend answers 409 Conflict: ${await answers(persists)}`);
      assert.match(shown, /changed by someone else/i, `the notification says the file changed: ${shown}`);
      assert.match(shown, /reload/i, `the notification says to reload: ${shown}`);
      const now = read(rel);
      assert.ok(now.includes(other), 'the change on disk is kept');
      assert.ok(!now.includes(mine) && !now.includes(reviewer), "the CMS's changes were not written");
      // The preview's live reload must leave the editor alone: a reload
      // there asks to leave the page and, left, loses the unsaved work.
      assert.deepEqual(
        { dialogs, reloads: loads.length - loadsBefore },
        { dialogs: [], reloads: 0 },
        'the admin page is not reloaded (nor asked to leave) when a file changes on disk',
      );
    });
  });

  it("axe-core: reports the CMS's violations; medsite's conditions field causes none", { timeout: TIMEOUT }, async () => {
    await withPage('cms-axe', async ({ page }) => {
      await openCms(page, '#/collections/medications');
      await page.getByRole('link', { name: 'Methotrexate', exact: true }).waitFor({ timeout: LOAD });
      const listView = await axeViolations(page);
      console.log(`axe, collections view: ${listView.length} violated rule(s): ${listView.map((v) => v.id).join(', ') || 'none'}`);
      if (listView.length) console.log(describeViolations(listView));

      await page.getByRole('link', { name: 'Methotrexate', exact: true }).click();
      await field(page, 'conditions').waitFor({ timeout: LOAD });
      await page.getByRole('button', { name: /^Remove / }).first().waitFor();
      const editorView = await axeViolations(page);
      console.log(`axe, editor view: ${editorView.length} violated rule(s): ${editorView.map((v) => v.id).join(', ') || 'none'}`);
      if (editorView.length) console.log(describeViolations(editorView));
      await field(page, 'conditions').scrollIntoViewIfNeeded();
      await shot(page, 'cms-editor');

      // The violating elements inside medsite's conditions widget (the
      // wrapper around its list, input, datalist and buttons).
      const widgets = await page.evaluate(() => {
        const roots = [...document.querySelectorAll('input[id^="conditions-field-"]')].map((i) => i.parentElement.parentElement);
        roots.forEach((r) => r.setAttribute('data-medsite-conditions-widget', ''));
        return roots.length;
      });
      assert.ok(widgets >= 1, 'the conditions widget is on the page');
      const insideWidget = async (violations) => {
        const found = [];
        for (const v of violations) {
          for (const n of v.nodes) {
            const hit = await page.evaluate((sel) => {
              try {
                return !!document.querySelector(sel)?.closest('[data-medsite-conditions-widget]');
              } catch {
                return false;
              }
            }, n.target.at(-1));
            if (hit) found.push(`${v.id}: ${n.target.join(' ')}`);
          }
        }
        return found;
      };
      const inside = await insideWidget(editorView);
      // The filter finds what is inside: a nameless button put into the
      // widget is reported there.
      await page.evaluate(() => {
        const probe = document.createElement('button');
        probe.id = 'medsite-axe-probe';
        document.querySelector('[data-medsite-conditions-widget]').append(probe);
      });
      const probed = await insideWidget(await axeViolations(page, ['wcag2a']));
      assert.ok(
        probed.some((v) => v.startsWith('button-name:') && v.includes('medsite-axe-probe')),
        `a violation inside the widget is found: ${probed.join('; ')}`,
      );
      await page.evaluate(() => document.getElementById('medsite-axe-probe').remove());
      assert.ok(Array.isArray(listView) && Array.isArray(editorView), 'axe ran on both views');
      assert.deepEqual(inside, [], "medsite's conditions widget causes no axe violation");
    });
  });
});
