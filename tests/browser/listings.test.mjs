// Listings in chromium: the A–Z index of medicines, long listings in
// parts, the home page's recently reviewed pages and each language's Atom
// feed, on sites built by the medsite binary and served by the static host.
//
// 1. The A–Z index (/medications/, /nb/medications/): the letter row is a
//    <nav> named by the theme's words; Tab and Enter on a letter move to
//    its heading (the address's hash, the heading in view and the next Tab
//    in its list); a letter without entries is not a link; "Ilaris – see
//    canakinumab" opens /medications/ilaris/; the entries are in the order
//    of Intl.Collator of the page's language, each under the letter the
//    collator puts it (Norwegian: Æ Ø Å after Z, "Ärla" under Æ, "Aalborg"
//    under Å), on the example site and on a copy with names that start with
//    accented and Norwegian letters.
// 2. A listing in parts (a generated site of 10,000 medication pages): the
//    page numbers with aria-current="page", rel next/prev in <head> and in
//    the page row, aria-current="page" on no link to another page (the
//    breadcrumb of a later part included), "Next page" by keyboard, a letter
//    on part 1 that leads to the later part where the letter starts, the
//    order across parts, and every HTML page loaded under 250 KB (the
//    largest is printed as a test diagnostic, with the largest HTML file of
//    the whole build).
// 3. The home page's recently reviewed pages: newest first by their <time
//    datetime>, on a copy of the example site whose pages were reviewed on
//    different days and that shows 5 of them.
// 4. The Atom feeds: every page's <head> links its language's feed; each
//    feed, parsed with DOMParser, is an Atom feed with title, id and
//    updated, one entry per page of its language with a review date,
//    newest first, whose absolute links lead to pages the host serves in
//    that language.
// 5. axe-core finds nothing on /medications/ and /nb/medications/ at 320
//    and 1280 px nor on a later part of the generated listing at 320 px,
//    and none of them scrolls sideways at 320 px.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  REPO,
  ILARIS,
  TIMEOUT,
  startSite,
  copySite,
  buildSite,
  tempDir,
  launchBrowser,
  newContext,
  htmlFiles,
  axeViolations,
  describeViolations,
} from './helpers.mjs';
import { startStatic } from './static.mjs';
import { writeLargeSite } from './large_site.mjs';

const WAIT = 10_000; // every single browser wait
const HTML_LIMIT = 250 * 1024; // bytes, any one HTML page of a listing
const ATOM = 'http://www.w3.org/2005/Atom';

// ---------------------------------------------------------------------------
// What the tests compare with: the theme's words and the content's front matter.

/** The single-line messages of i18n/<lang>.ftl: {key: value}. */
function messages(lang) {
  const out = {};
  for (const line of fs.readFileSync(path.join(REPO, 'i18n', `${lang}.ftl`), 'utf8').split('\n')) {
    const m = /^([a-z][a-z0-9-]*)\s*=\s*(\S.*)$/.exec(line);
    if (m) out[m[1]] = m[2].trim();
  }
  return out;
}
const FTL = { en: messages('en'), nb: messages('nb') };

/** The message `key` of `lang` with its { $variables } filled in. */
function t(lang, key, vars = {}) {
  const text = FTL[lang][key];
  if (text === undefined) throw new Error(`i18n/${lang}.ftl has no single-line message ${key}`);
  return text.replace(/\{\s*\$([a-z_]+)\s*\}/g, (_, name) => {
    if (!(name in vars)) throw new Error(`${lang} ${key}: no value for $${name}`);
    return String(vars[name]);
  });
}

/** A message with variables as a regular expression capturing each variable. */
function pattern(lang, key) {
  const parts = FTL[lang][key].split(/\{\s*\$[a-z_]+\s*\}/);
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp('^' + parts.map(esc).join('(.+?)') + '$');
}

/**
 * Every page of the site folder `root` (not sections) with a
 * last_reviewed date: {file, lang, path, title, date}. A page's language is
 * the code before .md (`ilaris.nb.md`), else the site's language; its path
 * is its folder and file name under the language's prefix.
 */
function datedPages(root) {
  const toml = fs.readFileSync(path.join(root, 'site.toml'), 'utf8');
  const main = /^language\s*=\s*"([^"]+)"/m.exec(toml)?.[1] || 'en';
  const codes = new Set([main, ...[...toml.matchAll(/^\[languages\.([a-z-]+)\]/gm)].map((m) => m[1])]);
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.md') && !entry.name.startsWith('_')) {
        const front = fs.readFileSync(file, 'utf8').split(/^---\s*$/m)[1] || '';
        const date = /^last_reviewed:\s*(\d{4}-\d{2}-\d{2})\s*$/m.exec(front)?.[1];
        if (!date) continue;
        const title = /^title:\s*(.*)$/m.exec(front)[1].trim().replace(/^"(.*)"$/, '$1');
        let name = entry.name.slice(0, -3);
        let lang = main;
        const dot = name.lastIndexOf('.');
        if (dot > 0 && codes.has(name.slice(dot + 1))) {
          lang = name.slice(dot + 1);
          name = name.slice(0, dot);
        }
        const folder = path.relative(path.join(root, 'content'), dir).split(path.sep).filter(Boolean);
        const prefix = lang === main ? '' : `/${lang}`;
        out.push({ file: path.relative(root, file), lang, path: `${prefix}/${[...folder, name].join('/')}/`, title, date });
      }
    }
  };
  walk(path.join(root, 'content'));
  return out.sort((a, b) => (a.file < b.file ? -1 : 1));
}

// ---------------------------------------------------------------------------
// Reading pages.

async function newPage(browser, options) {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.setDefaultNavigationTimeout(WAIT);
  return { context, page };
}

/**
 * The A–Z index of the loaded page: the letter row ({letter, href: the
 * link's pathname + hash or null, tag}) and the groups under the headings
 * ({id, heading, entries: [{text, href, brand}]}).
 */
function readAz(page) {
  return page.evaluate(() => {
    const nav = document.querySelector('nav.az-nav');
    const letters = nav
      ? [...nav.querySelectorAll('li')].map((li) => {
          const a = li.querySelector('a[href]');
          const url = a && new URL(a.getAttribute('href'), location.href);
          return { letter: li.textContent.trim(), href: url ? url.pathname + decodeURIComponent(url.hash) : null, tag: li.firstElementChild?.tagName.toLowerCase() };
        })
      : null;
    const groups = [...document.querySelectorAll('h2.az-letter')].map((h) => {
      const list = h.nextElementSibling;
      return {
        id: h.id,
        heading: h.textContent.replace(/\s+/g, ' ').trim(),
        entries: list && list.matches('ul.az-list')
          ? [...list.children].map((li) => ({
              text: li.textContent.replace(/\s+/g, ' ').trim(),
              href: new URL(li.querySelector('a').getAttribute('href'), location.href).pathname,
              brand: li.classList.contains('az-brand'),
            }))
          : [],
      };
    });
    return { letters, groups };
  });
}

/** The name an entry is sorted by: the brand of "Ilaris – see canakinumab", else its text. */
function entryName(lang, entry) {
  if (!entry.brand) return entry.text;
  const m = pattern(lang, 'az-see').exec(entry.text);
  if (!m) throw new Error(`brand entry ${JSON.stringify(entry.text)} is not worded as az-see of ${lang}`);
  return m[1];
}

/**
 * Problems with the order of an A–Z page in the browser's Intl.Collator of
 * `lang`: every entry after the one before it, and each under the letter
 * the collator puts it (at or after its heading's letter, before the next
 * letter of the row). `before`: the last name of the part before, if any.
 */
async function orderProblems(page, lang, az, where, before = null) {
  const letters = az.letters.map((l) => l.letter);
  const byHash = new Map(az.letters.filter((l) => l.href).map((l) => [l.href.split('#')[1], l.letter]));
  const groups = az.groups.map((g) => ({ id: g.id, letter: byHash.get(g.id), names: g.entries.map((e) => entryName(lang, e)) }));
  const problems = await page.evaluate(
    ({ lang, letters, groups, before }) => {
      const c = new Intl.Collator(lang);
      const out = [];
      let last = before;
      for (const g of groups) {
        if (!g.letter) {
          out.push(`heading #${g.id} has no letter of the row linking to it`);
          continue;
        }
        const i = letters.indexOf(g.letter);
        const next = letters[i + 1];
        for (const name of g.names) {
          if (last !== null && c.compare(last, name) > 0) out.push(`“${name}” comes after “${last}”`);
          last = name;
          if (g.letter === '#') continue;
          if (c.compare(name, g.letter) < 0 || (next && c.compare(name, next) >= 0)) {
            out.push(`“${name}” is under ${g.letter}, but the collator puts it ${c.compare(name, g.letter) < 0 ? 'before' : `at or after ${next}`}`);
          }
        }
      }
      return out;
    },
    { lang, letters, groups, before },
  );
  return problems.map((p) => `${where} (Intl.Collator('${lang}')): ${p}`);
}

/** Presses Tab until the focus is on a link inside `within` whose text is `label` (at most `max` presses); returns the count. */
async function tabTo(page, within, label, max = 800) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate(
      ({ within, label }) => {
        const a = document.activeElement;
        return !!a && a.tagName === 'A' && !!a.closest(within) && a.textContent.trim() === label;
      },
      { within, label },
    );
    if (here) return i;
  }
  throw new Error(`${max} presses of Tab never reached the link “${label}” in ${within} on ${page.url()}`);
}

/**
 * Where a letter link took the reader: the :target element, whether it is
 * the heading `id` and in the viewport, and the link Tab focuses next.
 */
async function landed(page, id) {
  await page.waitForFunction((id) => {
    const h = document.getElementById(id);
    if (!h || document.querySelector(':target') !== h) return false;
    const r = h.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  }, id);
  await page.keyboard.press('Tab');
  return page.evaluate((id) => {
    const h = document.getElementById(id);
    const first = h.nextElementSibling && h.nextElementSibling.querySelector('a');
    return {
      heading: h.textContent.replace(/\s+/g, ' ').trim(),
      nextTabIsFirstEntry: !!first && document.activeElement === first,
      focused: document.activeElement ? document.activeElement.textContent.trim() : null,
    };
  }, id);
}

/** The document width at the page's viewport, and the widest elements when it is too wide. */
function sideways(page, width) {
  return page.evaluate((w) => {
    const sw = document.documentElement.scrollWidth;
    if (sw <= w) return null;
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > w + 0.5) wide.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).replace(/ /g, '.') : ''} right=${Math.round(r.right)}`);
    }
    return `scrollWidth ${sw} > ${w} (wide: ${wide.slice(0, 8).join(', ')})`;
  }, width);
}

/** Each `<head>` link of `rel` on the loaded page as a pathname. */
const headLinks = (page, rel) =>
  page.evaluate((rel) => [...document.head.querySelectorAll(`link[rel="${rel}"]`)].map((l) => new URL(l.getAttribute('href'), location.href).pathname), rel);

/**
 * Links marked aria-current="page" that lead elsewhere than the loaded
 * page ("Breadcrumb: /medications/"), by the name of their navigation.
 */
function strayCurrent(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('a[aria-current="page"]')]
      .filter((a) => new URL(a.getAttribute('href'), location.href).pathname !== location.pathname)
      .map((a) => `${a.closest('nav')?.getAttribute('aria-label') ?? 'outside any nav'}: ${a.textContent.trim()} → ${a.getAttribute('href')}`),
  );
}

/** The page row of a listing: its page-number links and the prev/next links. */
function readPagination(page) {
  return page.evaluate(() => {
    const navs = document.querySelectorAll('nav.pagination');
    const nav = navs[0];
    if (!nav) return null;
    const path = (a) => (a ? new URL(a.getAttribute('href'), location.href).pathname : null);
    return {
      navs: navs.length,
      numbers: [...nav.querySelectorAll('a')]
        .filter((a) => /^\d+$/.test(a.textContent.trim()))
        .map((a) => ({ n: Number(a.textContent.trim()), href: path(a), current: a.getAttribute('aria-current'), label: a.getAttribute('aria-label') })),
      prev: path(nav.querySelector('a[rel="prev"]')),
      next: path(nav.querySelector('a[rel="next"]')),
      h1: document.querySelector('h1').textContent.replace(/\s+/g, ' ').trim(),
    };
  });
}

/**
 * One language's feed, fetched from the loaded page's origin and parsed in
 * the page with DOMParser as application/xml.
 */
function readFeed(page, feedPath) {
  return page.evaluate(
    async ({ feedPath, ATOM }) => {
      const res = await fetch(feedPath);
      const text = await res.text();
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      const root = doc.documentElement;
      const child = (el, name) => [...el.children].find((c) => c.namespaceURI === ATOM && c.localName === name);
      const textOf = (el, name) => child(el, name)?.textContent.trim() ?? null;
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        parseErrors: doc.getElementsByTagName('parsererror').length,
        root: { name: root.localName, ns: root.namespaceURI, lang: root.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang') },
        title: textOf(root, 'title'),
        id: textOf(root, 'id'),
        updated: textOf(root, 'updated'),
        entries: [...root.children]
          .filter((c) => c.namespaceURI === ATOM && c.localName === 'entry')
          .map((e) => ({
            title: textOf(e, 'title'),
            id: textOf(e, 'id'),
            updated: textOf(e, 'updated'),
            links: [...e.children].filter((c) => c.namespaceURI === ATOM && c.localName === 'link' && c.getAttribute('rel') === 'alternate').map((l) => l.getAttribute('href')),
          })),
      };
    },
    { feedPath, ATOM },
  );
}

/** Compares two strings by their characters' code points (the order of their UTF-8 bytes). */
function codePointOrder(a, b) {
  const [x, y] = [[...a], [...b]];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks the feed of `lang` at `feedPath` against the dated pages of that
 * language (`expected`, any order) and returns its entries' paths in the
 * feed's order. Every entry's page is requested from the static host: 200
 * and <html lang> of the feed's language.
 */
async function checkFeed(page, { feedPath, lang, expected, where }) {
  const feed = await readFeed(page, feedPath);
  assert.equal(feed.status, 200, `${where}: GET ${feedPath}`);
  assert.equal(feed.parseErrors, 0, `${where}: ${feedPath} parses as XML`);
  assert.deepEqual({ name: feed.root.name, ns: feed.root.ns }, { name: 'feed', ns: ATOM }, `${where}: the root is an Atom feed`);
  assert.equal(feed.root.lang, lang, `${where}: xml:lang`);
  assert.ok(feed.title, `${where}: the feed has a title`);
  assert.match(feed.id || '', /^https?:\/\/\S+$/, `${where}: the feed's id is an absolute address`);
  assert.match(feed.updated || '', RFC3339, `${where}: the feed's updated is an RFC 3339 time`);
  assert.equal(feed.entries.length, expected.length, `${where}: one entry per ${lang} page with a review date (${expected.map((p) => p.path).join(', ')})`);
  assert.equal(feed.updated, feed.entries[0]?.updated, `${where}: the feed was updated when its newest entry was`);

  const paths = [];
  for (const [i, e] of feed.entries.entries()) {
    assert.ok(e.title && e.id, `${where}: entry ${i + 1} has a title and an id`);
    assert.match(e.updated || '', RFC3339, `${where}: entry ${i + 1} (${e.title}) updated`);
    if (i > 0) {
      const before = feed.entries[i - 1];
      assert.ok(Date.parse(before.updated) >= Date.parse(e.updated), `${where}: entry ${i + 1} (${e.title}, ${e.updated}) is not newer than the one before (${before.updated})`);
      // Pages reviewed on the same day: in title order (of the titles' characters).
      if (before.updated === e.updated) assert.ok(codePointOrder(before.title, e.title) <= 0, `${where}: “${before.title}” and “${e.title}”, reviewed the same day, in title order`);
    }
    assert.equal(e.links.length, 1, `${where}: entry ${i + 1} (${e.title}) has one link rel=alternate`);
    const href = e.links[0];
    assert.match(href, /^https?:\/\/[^/]+\//, `${where}: entry ${i + 1} links an absolute address, got ${href}`);
    paths.push(new URL(href).pathname);
  }
  assert.deepEqual([...paths].sort(), expected.map((p) => p.path).sort(), `${where}: the entries are the ${lang} pages with a review date`);

  // Each entry's page exists on the host, in the feed's language, with the entry's date.
  const served = await page.evaluate(
    (paths) =>
      Promise.all(
        paths.map(async (p) => {
          const res = await fetch(p);
          const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
          return { path: p, status: res.status, lang: doc.documentElement.getAttribute('lang') };
        }),
      ),
    paths,
  );
  for (const s of served) {
    assert.equal(s.status, 200, `${where}: the entry's page ${s.path} is on the host`);
    assert.equal(s.lang, lang, `${where}: the entry's page ${s.path} is in ${lang}`);
  }
  const dates = new Map(expected.map((p) => [p.path, p.date]));
  for (const [i, e] of feed.entries.entries()) assert.equal(e.updated.slice(0, 10), dates.get(paths[i]), `${where}: ${paths[i]}'s entry carries its last_reviewed date`);
  return paths;
}

/** The home page's recently reviewed list: [{href, title, datetime, text}]. */
function readRecent(page) {
  return page.evaluate(() => {
    const list = document.querySelector('ol.recent-list');
    if (!list) return null;
    const heading = list.previousElementSibling;
    return {
      heading: heading ? heading.textContent.trim() : null,
      items: [...list.children].map((li) => {
        const a = li.querySelector('a');
        const time = li.querySelector('time');
        return {
          href: a ? new URL(a.getAttribute('href'), location.href).pathname : null,
          title: a ? a.textContent.trim() : null,
          datetime: time ? time.getAttribute('datetime') : null,
          text: time ? time.textContent.trim() : null,
        };
      }),
    };
  });
}

// ---------------------------------------------------------------------------
// 1, 3, 4, 5: the example site.

describe('listings of the example site', { timeout: TIMEOUT }, () => {
  let env;
  const dated = datedPages(REPO);
  before(async () => {
    env = await startSite();
  }, { timeout: TIMEOUT });
  after(async () => {
    await env?.teardown();
  });

  for (const { lang, home, ilaris } of [
    { lang: 'en', home: '/', ilaris: { text: 'Ilaris – see canakinumab', href: ILARIS } },
    { lang: 'nb', home: '/nb/', ilaris: { text: 'Ilaris – se canakinumab', href: '/nb/medications/ilaris/' } },
  ]) {
    const listing = `${home}medications/`;

    it(`${listing}: a named letter row, letters without entries not links, entries in Intl.Collator('${lang}') order`, async () => {
      const { context, page } = await newPage(env.browser);
      await page.goto(env.url(listing));
      const nav = page.getByRole('navigation', { name: t(lang, 'az-nav'), exact: true });
      assert.equal(await nav.count(), 1, `${listing}: one navigation named “${t(lang, 'az-nav')}”`);
      assert.equal(await nav.evaluate((el) => el.tagName === 'NAV' && el.classList.contains('az-nav')), true, `${listing}: the named navigation is the letter row`);

      const az = await readAz(page);
      const alphabet = t(lang, 'az-letters').split(/\s+/);
      assert.deepEqual(az.letters.map((l) => l.letter), alphabet, `${listing}: the row shows the language's letters (az-letters), in its order`);
      const sorted = await page.evaluate((args) => [...args.alphabet].sort(new Intl.Collator(args.lang).compare), { alphabet, lang });
      assert.deepEqual(alphabet, sorted, `${listing}: the letters of the row in Intl.Collator('${lang}') order`);
      if (lang === 'nb') assert.deepEqual(alphabet.slice(-4), ['Z', 'Æ', 'Ø', 'Å'], `${listing}: Æ Ø Å after Z`);

      // A letter is a link exactly when it has a heading with entries on this page.
      const headings = new Set(az.groups.filter((g) => g.entries.length > 0).map((g) => g.id));
      assert.equal(headings.size, az.groups.length, `${listing}: every letter heading has entries`);
      assert.ok(az.groups.length >= 3, `${listing}: several letters have entries`);
      for (const l of az.letters) {
        if (l.href) {
          assert.equal(l.tag, 'a', `${listing}: ${l.letter}`);
          const [p, hash] = l.href.split('#');
          assert.equal(p, listing, `${listing}: the letter ${l.letter} leads to this page (one part)`);
          assert.ok(headings.has(hash), `${listing}: the letter ${l.letter} links #${hash}, a heading with entries`);
        } else {
          assert.notEqual(l.tag, 'a', `${listing}: the letter ${l.letter} without entries is no link`);
        }
      }
      assert.equal(az.letters.filter((l) => l.href).length, headings.size, `${listing}: each heading has its letter link`);
      assert.deepEqual(await strayCurrent(page), [], `${listing}: aria-current="page" only on links to this page`);
      const blind = await page.evaluate(() => [...document.querySelectorAll('nav.az-nav li > :not(a)')].filter((el) => el.tabIndex >= 0 || el.getAttribute('role')).length);
      assert.equal(blind, 0, `${listing}: letters without entries take no focus and no role`);

      const problems = await orderProblems(page, lang, az, listing);
      assert.deepEqual(problems, [], problems.join('\n'));

      // Every entry leads to a page of the listing's language.
      const targets = [...new Set(az.groups.flatMap((g) => g.entries.map((e) => e.href)))];
      const statuses = await page.evaluate((ps) => Promise.all(ps.map((p) => fetch(p).then((r) => [p, r.status]))), targets);
      for (const [p, status] of statuses) {
        assert.equal(status, 200, `${listing}: entry target ${p}`);
        assert.ok(p.startsWith(listing), `${listing}: entry target ${p} is a page of the section`);
      }
      await context.close();
    });

    it(`${listing}: Tab and Enter on a letter move to its heading; the brand entry opens its medicine`, async () => {
      const { context, page } = await newPage(env.browser, { viewport: { width: 1280, height: 600 } });
      await page.goto(env.url(listing));
      const az = await readAz(page);
      // The last letter with entries: the heading furthest down the page.
      const letter = az.letters.filter((l) => l.href).at(-1);
      const id = letter.href.split('#')[1];
      const start = await page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, id);
      assert.ok(start > 600, `${listing}: the heading of ${letter.letter} starts below the first screen (top ${start})`);

      await tabTo(page, 'nav.az-nav', letter.letter);
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === listing && u.hash === `#${id}`);
      const at = await landed(page, id);
      assert.equal(at.heading, letter.letter, `${listing}: the heading of ${letter.letter}`);
      assert.equal(at.nextTabIsFirstEntry, true, `${listing}: after the letter, Tab goes to the first entry under ${letter.letter} (focused: ${at.focused})`);

      // The brand entry of Ilaris names its generic and leads to its page.
      await page.goto(env.url(listing));
      const brand = page.locator('ul.az-list li.az-brand a', { hasText: ilaris.text });
      assert.equal(await brand.count(), 1, `${listing}: one entry “${ilaris.text}”`);
      assert.equal((await brand.textContent()).trim(), ilaris.text, `${listing}: the brand entry`);
      assert.equal(await page.getByRole('link', { name: ilaris.text, exact: true }).count(), 1, `${listing}: its link's accessible name`);
      await brand.click();
      await page.waitForURL((u) => u.pathname === ilaris.href);
      assert.equal(new URL(page.url()).pathname, ilaris.href, `${listing}: the brand entry opens the medicine's page`);
      await context.close();
    });
  }

  it('the home page lists the recently reviewed pages newest first, as the feed does', async () => {
    const { context, page } = await newPage(env.browser);
    for (const [home, lang] of [
      ['/', 'en'],
      ['/nb/', 'nb'],
    ]) {
      await page.goto(env.url(home));
      const recent = await readRecent(page);
      assert.ok(recent, `${home}: a recently reviewed list`);
      assert.equal(recent.heading, t(lang, 'recently-reviewed'), `${home}: its heading`);
      const mine = dated.filter((p) => p.lang === lang);
      assert.equal(recent.items.length, Math.min(10, mine.length), `${home}: the default 10, or every ${lang} page with a review date`);
      for (const [i, item] of recent.items.entries()) {
        assert.match(item.datetime || '', /^\d{4}-\d{2}-\d{2}$/, `${home}: item ${i + 1} (${item.title}) has <time datetime>`);
        assert.equal(item.datetime, mine.find((p) => p.path === item.href)?.date, `${home}: ${item.href} shows its last_reviewed date`);
        if (i > 0) assert.ok(recent.items[i - 1].datetime >= item.datetime, `${home}: ${item.title} (${item.datetime}) after ${recent.items[i - 1].title} (${recent.items[i - 1].datetime})`);
      }
      const feed = await readFeed(page, home + 'atom.xml');
      assert.deepEqual(
        recent.items.map((i) => i.href),
        feed.entries.slice(0, recent.items.length).map((e) => new URL(e.links[0]).pathname),
        `${home}: the home page and the feed list the pages in the same order`,
      );
    }
    await context.close();
  });

  it('every page links its language’s feed in <head>; each feed is Atom with one entry per dated page of its language', async () => {
    const { context, page } = await newPage(env.browser);
    await page.goto(env.url('/'));
    const paths = htmlFiles(env.site.dir).map((f) => '/' + path.relative(env.site.dir, f).split(path.sep).join('/').replace(/(^|\/)index\.html$/, '$1'));
    assert.ok(paths.length > 20, `the example site has pages (${paths.length})`);
    const heads = await page.evaluate(
      (paths) =>
        Promise.all(
          paths.map(async (p) => {
            const res = await fetch(p);
            const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
            const links = [...doc.head.querySelectorAll('link[rel="alternate"][type="application/atom+xml"]')];
            return { path: p, status: res.status, lang: doc.documentElement.getAttribute('lang'), feeds: links.map((l) => ({ href: l.getAttribute('href'), title: l.getAttribute('title') })) };
          }),
        ),
      paths,
    );
    const feeds = { en: '/atom.xml', nb: '/nb/atom.xml' };
    for (const h of heads) {
      assert.equal(h.status, 200, `${h.path}`);
      assert.equal(h.feeds.length, 1, `${h.path}: one <link rel="alternate" type="application/atom+xml"> in <head>`);
      assert.equal(new URL(h.feeds[0].href, env.url(h.path)).pathname, feeds[h.lang], `${h.path} (${h.lang}) links its language's feed`);
      assert.equal(h.feeds[0].title, t(h.lang, 'feed-title'), `${h.path}: the feed link's title`);
    }
    assert.deepEqual([...new Set(heads.map((h) => h.lang))].sort(), ['en', 'nb'], 'pages of both languages were read');

    for (const [lang, feedPath] of Object.entries(feeds)) {
      const expected = dated.filter((p) => p.lang === lang);
      assert.ok(expected.length > 0, `the example site has ${lang} pages with a review date`);
      await checkFeed(page, { feedPath, lang, expected, where: `example site ${feedPath}` });
    }
    await context.close();
  });

  for (const width of [320, 1280]) {
    it(`has no axe violations on the A–Z pages at ${width} px${width === 320 ? ', and they do not scroll sideways' : ''}`, async () => {
      const { context, page } = await newPage(env.browser, { viewport: { width, height: 800 } });
      const problems = [];
      for (const p of ['/medications/', '/nb/medications/']) {
        await page.goto(env.url(p));
        await page.waitForLoadState('networkidle');
        const violations = await axeViolations(page);
        if (violations.length) problems.push(`${p} @${width}px: axe violations\n${describeViolations(violations)}`);
        if (width === 320) {
          const wide = await sideways(page, width);
          if (wide) problems.push(`${p} @${width}px: ${wide}`);
        }
      }
      await context.close();
      assert.equal(problems.length, 0, '\n' + problems.join('\n\n'));
    });
  }
});

// ---------------------------------------------------------------------------
// 1, 3, 4 on a copy of the example site: review dates on different days,
// at most 5 recently reviewed, and brand names that start with accented
// and Norwegian letters.

/** Review dates far apart, in an order that is neither the files' nor the titles'. */
function spreadDates(root) {
  const pages = datedPages(root);
  const n = pages.length;
  const step = [5, 3, 7, 9, 11].find((s) => gcd(s, n) === 1);
  pages.forEach((p, i) => {
    const day = new Date(Date.UTC(2026, 0, 1) + ((i * step) % n) * 9 * 86_400_000).toISOString().slice(0, 10);
    const file = path.join(root, p.file);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/^last_reviewed:.*$/m, `last_reviewed: ${day}`));
  });
}
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));

/** Replaces the brand_names line of `file` (relative to `root`/content/medications). */
function setBrands(root, file, brands) {
  const full = path.join(root, 'content', 'medications', file);
  const text = fs.readFileSync(full, 'utf8');
  const changed = text.replace(/^brand_names:.*$/m, `brand_names: [${brands.map((b) => JSON.stringify(b)).join(', ')}]`);
  assert.notEqual(changed, text, `${file} has a brand_names line`);
  fs.writeFileSync(full, changed);
}

describe('listings of a copy of the example site with dates apart and names from the alphabets’ edges', { timeout: TIMEOUT }, () => {
  const RECENT = 5;
  let src;
  let site;
  let host;
  let browser;
  let dated;
  before(async () => {
    src = copySite();
    fs.appendFileSync(path.join(src.root, 'site.toml'), `\n[listings]\nrecent = ${RECENT}\n`);
    spreadDates(src.root);
    dated = datedPages(src.root);
    assert.equal(new Set(dated.map((p) => p.date)).size, dated.length, 'every page was reviewed on a day of its own');
    // English: accents and capitals do not split a letter; Ø is an O.
    setBrands(src.root, 'colchicine.md', ['Édolin', 'Ärzen', 'colcrys', 'Øvex', 'Zyloric']);
    // Norwegian: Æ Ø Å after Z; Ä sorts as Æ, Ö as Ø, Aa as Å.
    setBrands(src.root, 'anakinra.nb.md', ['Kineret', 'Ærbo', 'Øvital', 'Åkerlund', 'Zetor', 'Ödeme', 'Ärla', 'Aalborg', 'ábel']);
    site = buildSite({ root: src.root });
    host = await startStatic({ root: site.dir });
    browser = await launchBrowser();
  }, { timeout: TIMEOUT });
  after(async () => {
    await browser?.close().catch(() => {});
    await host?.close().catch(() => {});
    site?.cleanup();
    src?.cleanup();
  });

  it('sorts and files names with accents and Norwegian letters as Intl.Collator does', async () => {
    const { context, page } = await newPage(browser);
    const expect = {
      '/medications/': { lang: 'en', under: { Édolin: 'E', Ärzen: 'A', colcrys: 'C', Øvex: 'O', Zyloric: 'Z' } },
      '/nb/medications/': { lang: 'nb', under: { Ærbo: 'Æ', Øvital: 'Ø', Åkerlund: 'Å', Zetor: 'Z', Ödeme: 'Ø', Ärla: 'Æ', Aalborg: 'Å', ábel: 'A' } },
    };
    for (const [listing, { lang, under }] of Object.entries(expect)) {
      await page.goto(host.url + listing);
      const az = await readAz(page);
      const problems = await orderProblems(page, lang, az, listing);
      assert.deepEqual(problems, [], problems.join('\n'));
      const byHash = new Map(az.letters.filter((l) => l.href).map((l) => [l.href.split('#')[1], l.letter]));
      const found = {};
      for (const g of az.groups) for (const e of g.entries) if (e.brand && entryName(lang, e) in under) found[entryName(lang, e)] = byHash.get(g.id);
      assert.deepEqual(found, under, `${listing}: the letter each new brand name is under`);
      if (lang === 'nb') {
        const last = az.groups.slice(-3).map((g) => byHash.get(g.id));
        assert.deepEqual(last, ['Æ', 'Ø', 'Å'], `${listing}: the headings Æ Ø Å come last`);
      }
    }
    await context.close();
  });

  it(`the home pages list the ${RECENT} pages reviewed last, newest first, and the feeds list every dated page in date order`, async () => {
    const { context, page } = await newPage(browser);
    for (const [home, lang] of [
      ['/', 'en'],
      ['/nb/', 'nb'],
    ]) {
      const mine = dated.filter((p) => p.lang === lang).sort((a, b) => (a.date < b.date ? 1 : -1));
      await page.goto(host.url + home);
      const recent = await readRecent(page);
      assert.ok(recent, `${home}: a recently reviewed list`);
      assert.deepEqual(
        recent.items.map((i) => [i.href, i.datetime]),
        mine.slice(0, RECENT).map((p) => [p.path, p.date]),
        `${home}: the ${RECENT} ${lang} pages reviewed last, newest first, each with its <time datetime>`,
      );
      for (const item of recent.items) {
        const d = new Date(item.datetime + 'T00:00:00Z');
        const month = d.toLocaleString(lang === 'nb' ? 'nb-NO' : 'en-GB', { month: 'long', timeZone: 'UTC' });
        assert.ok(item.text.includes(String(d.getUTCFullYear())) && item.text.toLowerCase().includes(month.toLowerCase()), `${home}: “${item.text}” names the date ${item.datetime} in words`);
      }
      const paths = await checkFeed(page, { feedPath: `${home}atom.xml`, lang, expected: mine, where: `dated copy ${home}atom.xml` });
      assert.deepEqual(paths, mine.map((p) => p.path), `${home}atom.xml: every ${lang} page, newest first`);
    }
    await context.close();
  });
});

// ---------------------------------------------------------------------------
// 2, 5: 10,000 generated medication pages, 30,000 A–Z entries in parts.

describe('a listing in parts on a site of 10,000 medication pages', { timeout: TIMEOUT }, () => {
  const LISTING = '/medications/';
  let src;
  let site;
  let host;
  let browser;
  before(async () => {
    src = tempDir('large');
    writeLargeSite(src, 10_000);
    site = buildSite({ root: src });
    host = await startStatic({ root: site.dir });
    browser = await launchBrowser();
  }, { timeout: TIMEOUT });
  after(async () => {
    await browser?.close().catch(() => {});
    await host?.close().catch(() => {});
    site?.cleanup();
    if (src) fs.rmSync(src, { recursive: true, force: true });
  });

  it('pages numbered with aria-current, rel prev/next, Next page and a letter by keyboard, entries in order across parts, every page under 250 KB', async (ctx) => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    const loaded = [];
    page.on('response', (res) => {
      if (res.request().resourceType() === 'document') {
        loaded.push(res.body().then((b) => ({ path: new URL(res.url()).pathname, status: res.status(), bytes: b.length, type: res.headers()['content-type'] })));
      }
    });
    const navName = t_('pagination-nav');

    // Part 1.
    await page.goto(host.url + LISTING);
    const one = await readPagination(page);
    assert.ok(one, `${LISTING}: a page row`);
    assert.equal(one.navs, 1, `${LISTING}: one page row`);
    assert.equal(await page.getByRole('navigation', { name: navName, exact: true }).count(), 1, `${LISTING}: the page row is a navigation named “${navName}”`);
    const total = Math.max(...one.numbers.map((n) => n.n));
    assert.ok(total >= 3, `${LISTING}: the listing has several parts (${total})`);
    assert.deepEqual(one.numbers.filter((n) => n.current).map((n) => [n.n, n.current, n.href]), [[1, 'page', LISTING]], `${LISTING}: aria-current="page" on 1 only`);
    assert.ok(one.numbers.some((n) => n.n === 2) && one.numbers.some((n) => n.n === total), `${LISTING}: the numbers include 2 and the last (${total})`);
    for (const n of one.numbers) {
      assert.equal(n.label, t_('pagination-page', { number: n.n }), `${LISTING}: page ${n.n}'s accessible name`);
      assert.equal(n.href, n.n === 1 ? LISTING : `${LISTING}page/${n.n}/`, `${LISTING}: page ${n.n}'s address`);
    }
    assert.equal(one.prev, null, `${LISTING}: no previous page on part 1`);
    assert.equal(one.next, `${LISTING}page/2/`, `${LISTING}: “Next page” leads to part 2`);
    assert.deepEqual(await headLinks(page, 'next'), [`${LISTING}page/2/`], `${LISTING}: <link rel="next"> in <head>`);
    assert.deepEqual(await headLinks(page, 'prev'), [], `${LISTING}: no <link rel="prev"> on part 1`);
    assert.ok(one.h1.includes(t_('part-of', { current: 1, total })), `${LISTING}: the heading says ${t_('part-of', { current: 1, total })}: ${one.h1}`);
    assert.deepEqual(await strayCurrent(page), [], `${LISTING}: aria-current="page" only on links to this page`);
    const az1 = await readAz(page);
    const orderOne = await orderProblems(page, 'en', az1, LISTING);

    // A letter on part 1 that starts on a later part, after part 2 (so that the part before it is another middle part).
    const later = az1.letters.find((l) => l.href && !l.href.startsWith(LISTING + '#') && Number(/page\/(\d+)\//.exec(l.href)?.[1]) > 2);
    assert.ok(later, `${LISTING}: a letter of part 1 leads to a later part: ${JSON.stringify(az1.letters)}`);
    const [laterPath, laterId] = later.href.split('#');
    const k = Number(/page\/(\d+)\//.exec(laterPath)[1]);

    // "Next page" by keyboard.
    const presses = await tabTo(page, 'nav.pagination', t_('pagination-next'));
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === `${LISTING}page/2/`);
    const two = await readPagination(page);
    assert.deepEqual(two.numbers.filter((n) => n.current).map((n) => n.n), [2], 'part 2: aria-current="page" on 2');
    assert.equal(two.prev, LISTING, 'part 2: “Previous page” leads to part 1');
    assert.equal(two.next, `${LISTING}page/3/`, 'part 2: “Next page” leads to part 3');
    assert.deepEqual(await headLinks(page, 'prev'), [LISTING], 'part 2: <link rel="prev"> in <head>');
    assert.deepEqual(await headLinks(page, 'next'), [`${LISTING}page/3/`], 'part 2: <link rel="next"> in <head>');
    assert.ok(two.h1.includes(t_('part-of', { current: 2, total })), `part 2: the heading says ${t_('part-of', { current: 2, total })}: ${two.h1}`);
    assert.deepEqual(await strayCurrent(page), [], 'part 2: aria-current="page" only on links to this page (the breadcrumb too)');
    const az2 = await readAz(page);
    assert.deepEqual(az2.letters, az1.letters, 'part 2 has the same letter row as part 1');
    const lastOfOne = entryName('en', az1.groups.at(-1).entries.at(-1));
    const orderTwo = await orderProblems(page, 'en', az2, 'part 2', lastOfOne);
    // Part 2's first heading: "B (continued)" when part 1 ended within its letter.
    const first2 = az2.groups[0];
    const letter2 = az1.letters.find((l) => l.href?.endsWith('#' + first2.id))?.letter;
    const goesOn = az1.groups.at(-1).id === first2.id;
    assert.equal(first2.heading, goesOn ? t_('az-continued', { letter: letter2 }) : letter2, `part 2's first heading (part 1 ended with #${az1.groups.at(-1).id})`);

    // The letter link, by keyboard from part 1.
    await page.goto(host.url + LISTING);
    await tabTo(page, 'nav.az-nav', later.letter);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === laterPath && u.hash === `#${laterId}`);
    const at = await landed(page, laterId);
    assert.equal(at.heading, later.letter, `${laterPath}: ${later.letter} starts here (its heading is not the “continued” one)`);
    assert.equal(at.nextTabIsFirstEntry, true, `${laterPath}: Tab goes on to the first entry under ${later.letter} (focused: ${at.focused})`);
    const partK = await readPagination(page);
    assert.deepEqual(partK.numbers.filter((n) => n.current).map((n) => n.n), [k], `${laterPath}: aria-current="page" on ${k}`);
    assert.deepEqual(await strayCurrent(page), [], `${laterPath}: aria-current="page" only on links to this page`);
    const azK = await readAz(page);
    assert.deepEqual(azK.letters, az1.letters, `${laterPath}: the same letter row as part 1`);
    const orderK = await orderProblems(page, 'en', azK, laterPath);

    // The part before it ends with the letter before.
    await page.goto(host.url + `${LISTING}page/${k - 1}/`);
    const azBefore = await readAz(page);
    assert.ok(!azBefore.groups.some((g) => g.id === laterId), `part ${k - 1} has no heading ${later.letter}`);
    const orderBefore = await orderProblems(page, 'en', azBefore, `part ${k - 1}`);
    const lastBefore = entryName('en', azBefore.groups.at(-1).entries.at(-1));
    const firstK = entryName('en', azK.groups.find((g) => g.id === laterId).entries[0]);
    const acrossK = await page.evaluate(([a, b]) => new Intl.Collator('en').compare(a, b), [lastBefore, firstK]);
    assert.ok(acrossK < 0, `the last entry of part ${k - 1} (“${lastBefore}”) comes before the first of ${later.letter} on part ${k} (“${firstK}”)`);

    const problems = [...orderOne, ...orderTwo, ...orderK, ...orderBefore];
    assert.deepEqual(problems, [], problems.join('\n'));

    const pages = await Promise.all(loaded);
    await context.close();
    const largest = pages.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const files = htmlFiles(site.dir).map((f) => ({ file: path.relative(site.dir, f), bytes: fs.statSync(f).size }));
    const biggestFile = files.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    ctx.diagnostic(
      `${total} parts; Tab pressed ${presses} times to reach “Next page” on part 1; ${pages.length} HTML pages loaded, ` +
        `largest ${largest.path} ${(largest.bytes / 1024).toFixed(1)} KB; ` +
        `largest HTML file of the build (${files.length} files) ${biggestFile.file} ${(biggestFile.bytes / 1024).toFixed(1)} KB`,
    );
    assert.ok(pages.length >= 5, `the checks loaded the pages they visited (${pages.length})`);
    for (const p of pages) {
      assert.equal(p.status, 200, `${p.path}`);
      assert.ok(p.bytes < HTML_LIMIT, `${p.path} is ${p.bytes} bytes, not under ${HTML_LIMIT}`);
    }
  });

  it('has no axe violations on a later part at 320 px, and it does not scroll sideways', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 320, height: 800 } });
    const problems = [];
    for (const p of [`${LISTING}page/50/`]) {
      const res = await page.goto(host.url + p);
      assert.equal(res.status(), 200, p);
      assert.equal((await readPagination(page))?.numbers.find((n) => n.current)?.n, 50, `${p} is part 50`);
      await page.waitForLoadState('networkidle');
      const violations = await axeViolations(page);
      if (violations.length) problems.push(`${p} @320px: axe violations\n${describeViolations(violations)}`);
      const wide = await sideways(page, 320);
      if (wide) problems.push(`${p} @320px: ${wide}`);
    }
    await context.close();
    assert.equal(problems.length, 0, '\n' + problems.join('\n\n'));
  });
});

/** An English message (the generated site is English). */
function t_(key, vars) {
  return t('en', key, vars);
}
