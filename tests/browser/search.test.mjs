// The site search in chromium: the search page (/search/, /nb/search/),
// which runs the query of its address against the static names and
// full-text indexes, and the search field in every page's header.
//
// 1. Misspelled and exact names, brand names, an ATC code and conditions
//    find the right page first, and the role=status region announces the
//    number of results shown.
// 2. The header form: its label names the field; a query typed and sent
//    with the keyboard lands on the language's search page; Tab reaches the
//    button and, on the results, the first result, which Enter follows.
// 3. Without JavaScript the search page says so and links to the A–Z list.
// 4. Markup in a query stays text.
// 5. axe-core finds nothing on the search page with results (320 and
//    1280 px) nor on a page with the header form at 320 px.
// 6. A generated site of 10,000 medication pages: no file the search page
//    loads for a query is larger than 300 KB, and a misspelled generic
//    name finds its page first. The sizes are printed as test diagnostics.
// 7. A site whose base_url has a path (/sub/), served under that path.

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
  text,
  axeViolations,
  describeViolations,
} from './helpers.mjs';
import { startStatic } from './static.mjs';
import { writeLargeSite, distance } from './large_site.mjs';

const WAIT = 10_000; // every single browser wait
const NB_ILARIS = '/nb/medications/ilaris/';

// The announced count, as i18n/en.ftl and i18n/nb.ftl word it.
const COUNT = {
  en: (n, q) => `${n} ${n === 1 ? 'result' : 'results'} for “${q}”`,
  nb: (n, q) => `${n} treff for «${q}»`,
};
const LABEL = { en: 'Search medicines and conditions', nb: 'Søk etter legemidler og sykdommer' };

async function newPage(browser, options) {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.setDefaultNavigationTimeout(WAIT);
  return { context, page };
}

/** The address of the search page of `home` ('/' or '/nb/') for query `q`. */
const searchPath = (q, home = '/') => `${home}search/?q=${encodeURIComponent(q)}`;

/**
 * Waits until the search page has finished (its status says something
 * other than "Searching…") and returns what it shows: the status text and
 * its live-region attributes, the result links and whether the list and
 * a "Show more results" button are displayed.
 */
async function results(page) {
  await page.waitForFunction(() => {
    const box = document.querySelector('.search');
    const status = box && box.querySelector('.search-status');
    const said = status ? status.textContent.trim() : '';
    return said !== '' && said !== box.getAttribute('data-searching');
  });
  return page.evaluate(() => {
    const status = document.querySelector('.search-status');
    const list = document.querySelector('ol.search-results');
    return {
      status: status.textContent.replace(/\s+/g, ' ').trim(),
      role: status.getAttribute('role'),
      live: status.getAttribute('aria-live'),
      listShown: !!list && !list.hidden && list.getClientRects().length > 0,
      items: [...document.querySelectorAll('ol.search-results > li')].map((li) => {
        const links = li.querySelectorAll('a');
        return {
          links: links.length,
          href: links[0] ? links[0].getAttribute('href') : null,
          text: links[0] ? links[0].textContent.replace(/\s+/g, ' ').trim() : null,
        };
      }),
      more: !!document.querySelector('.search-more'),
    };
  });
}

/**
 * Asserts the finished search: the status is a polite live region that
 * announces the count of the results in the list, each result is one
 * link, and the first is `first` ({href, text}).
 */
function assertFound(r, { lang = 'en', query, first, where }) {
  assert.equal(r.role, 'status', `${where}: the status has role=status`);
  assert.equal(r.live, 'polite', `${where}: the status is aria-live=polite`);
  assert.ok(r.items.length > 0, `${where}: results are listed (status ${JSON.stringify(r.status)})`);
  assert.equal(r.listShown, true, `${where}: the result list is displayed`);
  for (const item of r.items) assert.equal(item.links, 1, `${where}: each result is one link: ${JSON.stringify(item)}`);
  assert.equal(r.more, false, `${where}: every result fits on the first screen, so the status counts the list`);
  assert.equal(r.status, COUNT[lang](r.items.length, query), `${where}: the announced count`);
  if (first) assert.deepEqual({ href: r.items[0].href, text: r.items[0].text }, first, `${where}: the first result`);
}

/** Front matter `key: [a, b]` lists of the English medication pages: {path, title, conditions}. */
function medications() {
  const dir = path.join(REPO, 'content', 'medications');
  return fs
    .readdirSync(dir)
    .filter((f) => /^[^_.][^.]*\.md$/.test(f))
    .map((f) => {
      const front = fs.readFileSync(path.join(dir, f), 'utf8').split(/^---\s*$/m)[1] || '';
      const list = (key) => {
        const m = new RegExp(`^${key}:\\s*\\[(.*)\\]\\s*$`, 'm').exec(front);
        return m ? m[1].split(',').map((s) => s.trim()).filter(Boolean) : [];
      };
      return { path: `/medications/${f.replace(/\.md$/, '')}/`, conditions: list('conditions') };
    });
}

// ---------------------------------------------------------------------------
// 1-5: the example site.

describe('search on the example site', { timeout: TIMEOUT }, () => {
  let env;
  before(async () => {
    env = await startSite();
  }, { timeout: TIMEOUT });
  after(async () => {
    await env?.teardown();
  });

  // The cases of the issue: what a reader types, and the page that must come first.
  const CASES = [
    { query: 'metotrexate', first: { href: '/medications/methotrexate/', text: 'Methotrexate' } },
    { query: 'hydroxichloroquine', first: { href: '/medications/hydroxychloroquine/', text: 'Hydroxychloroquine' } },
    { query: 'Illaris', first: { href: ILARIS, text: 'Ilaris: see canakinumab' } },
    { home: '/nb/', lang: 'nb', query: 'metotreksat', first: { href: '/nb/medications/methotrexate/', text: 'Metotreksat' } },
    { query: 'Kineret', first: { href: '/medications/anakinra/', text: 'Kineret: see anakinra' } },
    { home: '/nb/', lang: 'nb', query: 'Kineret', first: { href: '/nb/medications/anakinra/', text: 'Kineret: se anakinra' } },
    { query: 'Humira', first: { href: '/medications/adalimumab/', text: 'Humira: see adalimumab' } },
    // atc_code of content/medications/anakinra.md, as written and in small letters.
    { query: 'L04AC03', first: { href: '/medications/anakinra/', text: 'L04AC03: see anakinra' } },
    { query: 'l04ac03', first: { href: '/medications/anakinra/', text: 'L04AC03: see anakinra' } },
    // One of the first two letters missing, extra, swapped or wrong.
    { query: 'Hmira', first: { href: '/medications/adalimumab/', text: 'Humira: see adalimumab' } },
    { query: 'Ihlaris', first: { href: ILARIS, text: 'Ilaris: see canakinumab' } },
    { query: 'mteotrexate', first: { href: '/medications/methotrexate/', text: 'Methotrexate' } },
    { query: 'Ulaeris', first: { href: ILARIS, text: 'Ilaris: see canakinumab' } },
    // Part of a condition's name.
    { query: 'mediterranean fever', first: { href: '/conditions/familial-mediterranean-fever/', text: 'Familial Mediterranean fever' } },
  ];

  it('finds the page of a misspelled name, a brand name and an ATC code first, and announces the count', async () => {
    const { context, page } = await newPage(env.browser);
    for (const c of CASES) {
      const where = `${searchPath(c.query, c.home)}`;
      const res = await page.goto(env.url(where));
      assert.equal(res.status(), 200, `${where}: status`);
      const r = await results(page);
      assertFound(r, { lang: c.lang, query: c.query, first: c.first, where });
      // The first result is a page that exists.
      const target = await page.request.get(env.url(r.items[0].href));
      assert.equal(target.status(), 200, `${where}: ${r.items[0].href} exists`);
    }
    await context.close();
  });

  for (const condition of ['Familial Mediterranean fever', 'rheumatoid arthritis']) {
    it(`finds the condition page of “${condition}” first, then every medicine that lists it`, async () => {
      const slug = condition.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      const listing = medications()
        .filter((m) => m.conditions.some((c) => c.toLowerCase() === condition.toLowerCase()))
        .map((m) => m.path);
      assert.ok(listing.length >= 2, `the example site lists “${condition}” on ${listing.length} medication pages; want 2 or more`);

      const { context, page } = await newPage(env.browser);
      const where = searchPath(condition);
      await page.goto(env.url(where));
      const r = await results(page);
      const name = condition[0].toUpperCase() + condition.slice(1);
      assertFound(r, { query: condition, first: { href: `/conditions/${slug}/`, text: name }, where });
      const hrefs = r.items.map((i) => i.href);
      for (const p of listing) assert.ok(hrefs.includes(p), `${where}: ${p} lists “${condition}” and must be a result: ${JSON.stringify(hrefs)}`);
      // The condition page once, medicine pages each once.
      assert.equal(new Set(hrefs).size, hrefs.length, `${where}: no page is listed twice: ${JSON.stringify(hrefs)}`);
      await context.close();
    });
  }

  it('the header form: a visible label names the field; typed and sent with the keyboard; Tab reaches the button and the first result', async () => {
    const { context, page } = await newPage(env.browser);
    await page.goto(env.url(ILARIS));
    const form = page.locator('header form.site-search');
    assert.equal(await form.count(), 1, 'one search form in the header');
    assert.equal(await form.getAttribute('role'), 'search');
    assert.equal(await form.getAttribute('method'), 'get');
    assert.equal(new URL(await form.evaluate((f) => f.action)).pathname, '/search/', 'the form goes to the search page');

    const label = form.locator('label');
    assert.equal(await label.isVisible(), true, 'the label is visible');
    assert.equal(await text(label), LABEL.en);
    const field = page.getByRole('searchbox', { name: LABEL.en, exact: true });
    assert.equal(await field.count(), 1, 'the label gives the field its accessible name');
    assert.equal(await field.getAttribute('name'), 'q');
    assert.equal(await field.evaluate((el) => el.closest('form.site-search') !== null), true, 'the named field is the header form’s');
    await label.click();
    assert.equal(await page.evaluate(() => document.activeElement.id), await field.getAttribute('id'), 'a click on the label focuses the field');

    // From the top of a fresh page, Tab reaches the field before its button.
    await page.goto(env.url(ILARIS));
    let tabs = 0;
    for (; tabs < 40; tabs++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate(() => {
        const el = document.activeElement;
        if (el.matches('form.site-search input[name=q]')) return 'field';
        return el.matches('form.site-search button') ? 'button' : 'other';
      });
      assert.notEqual(at, 'button', 'Tab reaches the field before the button');
      if (at === 'field') break;
    }
    assert.ok(tabs < 40, 'Tab reaches the header search field');
    await page.keyboard.type('Kineret');
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => document.activeElement.matches('form.site-search button[type=submit]')),
      true,
      'Tab from the field reaches the submit button',
    );
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/search/' && u.searchParams.get('q') === 'Kineret');
    const r = await results(page);
    assertFound(r, { query: 'Kineret', first: { href: '/medications/anakinra/', text: 'Kineret: see anakinra' }, where: 'sent from the header' });
    assert.equal(await page.locator('#search-q').inputValue(), 'Kineret', 'the search page’s field shows the query');

    // On the results, Tab reaches the first result link (before any other), and Enter follows it.
    tabs = 0;
    let reached = -1;
    for (; tabs < 40; tabs++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => [...document.querySelectorAll('.search-results a')].indexOf(document.activeElement));
      if (reached >= 0) break;
    }
    assert.equal(reached, 0, 'Tab reaches the first result link first');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/medications/anakinra/');
    assert.match(await text(page.locator('h1')), /Kineret/);
    await context.close();
  });

  it('on Norwegian pages the header form goes to /nb/search/ and finds Norwegian pages', async () => {
    const { context, page } = await newPage(env.browser);
    for (const p of ['/nb/', '/nb/medications/', NB_ILARIS, '/nb/about/']) {
      await page.goto(env.url(p));
      const form = page.locator('header form.site-search');
      assert.equal(new URL(await form.evaluate((f) => f.action)).pathname, '/nb/search/', `${p}: the header form's action`);
      assert.equal(await text(form.locator('label')), LABEL.nb, `${p}: the label in Norwegian`);
    }
    await page.goto(env.url(NB_ILARIS));
    await page.getByRole('searchbox', { name: LABEL.nb, exact: true }).click();
    await page.keyboard.type('metotreksat');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/nb/search/' && u.searchParams.get('q') === 'metotreksat');
    const r = await results(page);
    assertFound(r, { lang: 'nb', query: 'metotreksat', first: { href: '/nb/medications/methotrexate/', text: 'Metotreksat' }, where: '/nb/ header' });
    await context.close();
  });

  it('without JavaScript the search page says so and links to the A–Z list, which works', async () => {
    const { context, page } = await newPage(env.browser, { javaScriptEnabled: false });
    for (const [home, words, az, azText] of [
      ['/', 'Searching needs JavaScript', '/medications/', 'Medicines A–Z'],
      ['/nb/', 'Søket trenger JavaScript', '/nb/medications/', 'Legemidler A–Å'],
    ]) {
      const where = searchPath('kineret', home);
      await page.goto(env.url(where));
      const message = page.locator('.search-nojs');
      assert.equal(await message.isVisible(), true, `${where}: the message is shown`);
      assert.ok((await text(message)).startsWith(words), `${where}: the message: ${await text(message)}`);
      const link = message.locator('a');
      assert.equal(await link.isVisible(), true, `${where}: the A–Z link is shown`);
      assert.equal(await text(link), azText);
      assert.equal(await link.getAttribute('href'), az);
      assert.equal(await page.locator('.search-results').isVisible(), false, `${where}: no result list`);
      await Promise.all([page.waitForURL((u) => u.pathname === az), link.click()]);
      const items = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(items.includes(`${az}anakinra/`), `${az} lists the Kineret page: ${JSON.stringify(items)}`);
    }
    // The header form still sends the reader to the search page, which says the same.
    await page.goto(env.url(ILARIS));
    await page.locator('header form.site-search input[name=q]').fill('kineret');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/search/' && u.searchParams.get('q') === 'kineret');
    assert.equal(await page.locator('.search-nojs a[href="/medications/"]').isVisible(), true, 'the no-JavaScript message after the header form');
    await context.close();
  });

  describe('markup in the query is text', () => {
    const QUERIES = ['<img src=x onerror=window.__pwned=1>', '"><script>window.__pwned=2</script>'];

    async function assertInert(page, requests, query, where) {
      const r = await results(page);
      await page.waitForLoadState('networkidle');
      const seen = await page.evaluate(() => ({
        pwned: typeof window.__pwned,
        imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
        scripts: [...document.scripts].filter((s) => s.textContent.includes('__pwned')).length,
        handlers: document.querySelectorAll('[onerror], [onload]').length,
        value: document.getElementById('search-q').value,
      }));
      assert.equal(seen.pwned, 'undefined', `${where}: window.__pwned is not set`);
      assert.equal(seen.imgs, 0, `${where}: no injected img`);
      assert.equal(seen.scripts, 0, `${where}: no injected script`);
      assert.equal(seen.handlers, 0, `${where}: no element with an event handler attribute`);
      assert.equal(seen.value, query, `${where}: the field shows the query as typed`);
      assert.ok(r.status.includes(query), `${where}: the status shows the query as text: ${JSON.stringify(r.status)}`);
      const strays = requests.filter((u) => new URL(u).pathname.endsWith('/x'));
      assert.deepEqual(strays, [], `${where}: nothing loaded the injected image`);
    }

    for (const query of QUERIES) {
      it(`in the address: ${query}`, async () => {
        const { context, page } = await newPage(env.browser);
        const requests = [];
        page.on('request', (req) => requests.push(req.url()));
        const where = searchPath(query);
        await page.goto(env.url(where));
        await assertInert(page, requests, query, where);
        await context.close();
      });
    }

    it('sent from the header form', async () => {
      const { context, page } = await newPage(env.browser);
      const requests = [];
      page.on('request', (req) => requests.push(req.url()));
      for (const query of QUERIES) {
        await page.goto(env.url(ILARIS));
        await page.locator('header form.site-search input[name=q]').click();
        await page.keyboard.type(query);
        await page.keyboard.press('Enter');
        await page.waitForURL((u) => u.pathname === '/search/' && u.searchParams.get('q') === query);
        await assertInert(page, requests, query, `header form: ${query}`);
      }
      await context.close();
    });
  });

  for (const width of [320, 1280]) {
    it(`has no axe violations on the search page with results at ${width} px`, async () => {
      const { context, page } = await newPage(env.browser, { viewport: { width, height: 800 } });
      const problems = [];
      for (const [p, query] of [
        [searchPath('kineret'), 'kineret'],
        [searchPath('metotreksat', '/nb/'), 'metotreksat'],
      ]) {
        await page.goto(env.url(p));
        const r = await results(page);
        assert.ok(r.items.length > 0, `${p}: results shown before the audit (${r.status}) for ${query}`);
        await page.waitForLoadState('networkidle');
        const violations = await axeViolations(page);
        if (violations.length) problems.push(`${p} @${width}px: axe violations\n${describeViolations(violations)}`);
        const sw = await page.evaluate(() => document.documentElement.scrollWidth);
        if (sw > width) problems.push(`${p} @${width}px: scrollWidth ${sw}`);
      }
      await context.close();
      assert.equal(problems.length, 0, '\n' + problems.join('\n\n'));
    });
  }

  it('has no axe violations on a page with the header form at 320 px, nor in the dark scheme on the results', async () => {
    const problems = [];
    for (const [p, options] of [
      [ILARIS, { viewport: { width: 320, height: 800 } }],
      [NB_ILARIS, { viewport: { width: 320, height: 800 } }],
      [searchPath('kineret'), { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' }],
    ]) {
      const { context, page } = await newPage(env.browser, options);
      await page.goto(env.url(p));
      if (p.includes('?q=')) await results(page);
      await page.waitForLoadState('networkidle');
      const violations = await axeViolations(page);
      if (violations.length) problems.push(`${p} ${JSON.stringify(options)}: axe violations\n${describeViolations(violations)}`);
      await context.close();
    }
    assert.equal(problems.length, 0, '\n' + problems.join('\n\n'));
  });
});

// ---------------------------------------------------------------------------
// 6: 10,000 generated medication pages.

describe('search on a site of 10,000 medication pages', { timeout: TIMEOUT }, () => {
  const LIMIT = 300 * 1024; // bytes, any one file the search page loads
  let src;
  let site;
  let host;
  let browser;
  let data;
  before(async () => {
    src = tempDir('large');
    data = writeLargeSite(src, 10_000);
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

  /**
   * A misspelling of a generic name: one letter after the first two
   * changed. Taken from the first page, from page 4321 on, whose
   * misspelling is one letter from no other name of the site, so that the
   * page it must find is the only right answer.
   */
  function misspelled() {
    const all = data.pages.flatMap((p) => [p.generic, ...p.brands.map((b) => b.toLowerCase())]);
    for (let i = 4321; i < data.pages.length; i++) {
      const g = data.pages[i].generic;
      const at = 3;
      const typo = g.slice(0, at) + (g[at] === 'e' ? 'a' : 'e') + g.slice(at + 1);
      const near = all.filter((n) => n !== g && (n.startsWith(typo) || distance(typo, n) <= 1));
      if (near.length === 0) return { page: data.pages[i], typo };
    }
    throw new Error('no generic name with a misspelling one letter from no other name');
  }

  it('loads no file over 300 KB for a query, and finds a misspelled generic name first', async (t) => {
    const { page: typoPage, typo } = misspelled();
    const brandPage = data.pages[7777];
    const condition = data.conditions[7];
    // The medicine pages that list the condition, and its own page.
    const listing = {
      page: `/conditions/${condition.toLowerCase().replace(/[^a-z0-9]+/g, '-')}/`,
      medicines: new Set(data.pages.filter((p) => p.conditions.includes(condition)).map((p) => `/medications/${p.file}/`)),
    };
    // The body words: one of the most used and one used rarely, each on some page.
    const bodyWords = [data.vocabulary[4], data.vocabulary[2000]];
    for (const w of bodyWords) assert.ok(data.pages.some((p) => p.body.includes(` ${w} `)), `“${w}” is in some page's text`);

    const queries = [
      { query: typo, what: 'a generic name, misspelled', first: { href: `/medications/${typoPage.file}/`, text: typoPage.generic[0].toUpperCase() + typoPage.generic.slice(1) } },
      { query: brandPage.brands[0], what: 'a brand name', first: { href: `/medications/${brandPage.file}/`, text: `${brandPage.brands[0]}: see ${brandPage.generic}` } },
      { query: condition, what: 'a condition', listing },
      { query: bodyWords[0], what: 'a common word of the text' },
      { query: bodyWords[1], what: 'a rare word of the text' },
    ];

    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    for (const q of queries) {
      const loads = [];
      const onResponse = (res) =>
        loads.push(
          res.body().then(
            (b) => ({ url: res.url(), status: res.status(), bytes: b.length }),
            () => ({ url: res.url(), status: res.status(), bytes: 0 }),
          ),
        );
      page.on('response', onResponse);
      const where = searchPath(q.query);
      await page.goto(host.url + where);
      const r = await results(page);
      await page.waitForLoadState('networkidle');
      page.off('response', onResponse);
      const files = await Promise.all(loads);

      const total = files.reduce((s, f) => s + f.bytes, 0);
      const largest = files.reduce((a, b) => (b.bytes > a.bytes ? b : a));
      const index = files.filter((f) => new URL(f.url).pathname.startsWith('/search/') && f.url.endsWith('.json'));
      // Printed before the assertions, so that a failure shows them too.
      t.diagnostic(
        `${q.what} ${JSON.stringify(q.query)}: ${files.length} files, ${(total / 1024).toFixed(1)} KB in all ` +
          `(index ${index.length} files, ${(index.reduce((s, f) => s + f.bytes, 0) / 1024).toFixed(1)} KB); ` +
          `largest ${new URL(largest.url).pathname} ${(largest.bytes / 1024).toFixed(1)} KB; ${r.status}` +
          (q.listing ? `; ${q.listing.medicines.size} medicine pages list it` : ''),
      );
      for (const f of files) {
        assert.ok(f.status < 400, `${where}: ${f.url} answered ${f.status}`);
        assert.ok(f.bytes <= LIMIT, `${where} (${q.what}): ${new URL(f.url).pathname} is ${f.bytes} bytes, over ${LIMIT}`);
      }

      assert.ok(r.items.length > 0, `${where} (${q.what}): results (status ${JSON.stringify(r.status)})`);
      const n = Number(/^\d+/.exec(r.status)?.[0]);
      assert.equal(r.status, COUNT.en(n, q.query), `${where} (${q.what}): the announced count`);
      assert.ok(n >= r.items.length, `${where} (${q.what}): the count (${n}) covers the ${r.items.length} results shown`);
      assert.equal(r.more, n > r.items.length, `${where} (${q.what}): “Show more results” is there when more are found than shown`);
      if (q.first) assert.deepEqual({ href: r.items[0].href, text: r.items[0].text }, q.first, `${where} (${q.what}): the first result`);
      if (q.listing) {
        assert.equal(r.items[0].href, q.listing.page, `${where} (${q.what}): the condition page first`);
        for (const item of r.items.slice(1)) {
          assert.ok(q.listing.medicines.has(item.href), `${where} (${q.what}): ${item.href} lists the condition`);
        }
      }
    }
    await context.close();
  });

  it('shows ten more results with “Show more results” and moves the focus to the first of them', async () => {
    const query = data.vocabulary[4];
    const { context, page } = await newPage(browser);
    await page.goto(host.url + searchPath(query));
    const r = await results(page);
    const n = Number(/^\d+/.exec(r.status)?.[0]);
    assert.ok(n > r.items.length, `“${query}” finds more pages (${n}) than the first screen shows (${r.items.length})`);
    const more = page.locator('button.search-more');
    assert.equal(await text(more), 'Show more results');
    await more.focus();
    await page.keyboard.press('Enter');
    const shown = Math.min(n, r.items.length + 10);
    await page.waitForFunction((k) => document.querySelectorAll('ol.search-results > li').length >= k, shown);
    const after = await page.evaluate(() => ({
      hrefs: [...document.querySelectorAll('ol.search-results > li a')].map((a) => a.getAttribute('href')),
      focus: [...document.querySelectorAll('ol.search-results > li a')].indexOf(document.activeElement),
    }));
    assert.equal(after.hrefs.length, shown, 'ten more results');
    assert.equal(after.focus, r.items.length, 'the focus is on the first new result');
    assert.equal(new Set(after.hrefs).size, after.hrefs.length, 'no page twice');
    await context.close();
  });
});

// ---------------------------------------------------------------------------
// 7: a site under a path (base_url https://example.org/sub/).

describe('search on a site under /sub/', { timeout: TIMEOUT }, () => {
  let src;
  let site;
  let host;
  let browser;
  before(async () => {
    src = copySite();
    const file = path.join(src.root, 'site.toml');
    const toml = fs.readFileSync(file, 'utf8');
    const changed = toml.replace(/^base_url\s*=.*$/m, 'base_url = "https://example.org/sub/"');
    assert.notEqual(changed, toml, 'the example site.toml has a base_url line');
    fs.writeFileSync(file, changed);
    site = buildSite({ root: src.root });
    host = await startStatic({ root: site.dir, prefix: '/sub' });
    browser = await launchBrowser();
  }, { timeout: TIMEOUT });
  after(async () => {
    await browser?.close().catch(() => {});
    await host?.close().catch(() => {});
    site?.cleanup();
    src?.cleanup();
  });

  for (const c of [
    { from: '/sub/medications/ilaris/', search: '/sub/search/', query: 'Kineret', first: { href: '/sub/medications/anakinra/', text: 'Kineret: see anakinra' } },
    { from: '/sub/about/', search: '/sub/search/', query: 'gout', first: { href: '/sub/conditions/gout/', text: 'Gout' } },
    { from: '/sub/nb/medications/ilaris/', search: '/sub/nb/search/', lang: 'nb', query: 'metotreksat', first: { href: '/sub/nb/medications/methotrexate/', text: 'Metotreksat' } },
  ]) {
    it(`finds ${c.query} from the header form of ${c.from}, with links under /sub/`, async () => {
      const { context, page } = await newPage(browser);
      const failed = [];
      page.on('response', (res) => {
        const p = new URL(res.url()).pathname;
        if (res.status() >= 400 && !p.startsWith('/api/feedback')) failed.push(`${res.status()} ${p}`);
      });
      const res = await page.goto(host.url + c.from);
      assert.equal(res.status(), 200, `${c.from}: status`);
      assert.equal(new URL(await page.locator('header form.site-search').evaluate((f) => f.action)).pathname, c.search);
      await page.locator('header form.site-search input[name=q]').click();
      await page.keyboard.type(c.query);
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === c.search && u.searchParams.get('q') === c.query);
      const r = await results(page);
      assertFound(r, { lang: c.lang, query: c.query, first: c.first, where: `${c.search}?q=${c.query}` });
      for (const item of r.items) assert.ok(item.href.startsWith('/sub/'), `every result is under /sub/: ${item.href}`);
      await page.waitForLoadState('networkidle');
      assert.deepEqual(failed, [], 'every file the pages loaded was found');
      await Promise.all([page.waitForURL((u) => u.pathname === c.first.href), page.locator('.search-results a').first().click()]);
      assert.equal(await page.locator('h1').count(), 1, `${c.first.href} is a page`);
      assert.deepEqual(failed, [], `${c.first.href} was found`);
      await context.close();
    });
  }
});
