// Pages in more than one language, in chromium.
//
// 1. The Norwegian pages of the example site (`name.nb.md`, under /nb/):
//    html lang, the theme's words and dates in Norwegian, the language
//    switcher (followed by keyboard and by click), the hreflang alternates,
//    and the visit counter and the rating widget against the real
//    `medsite feedback serve`, which must count and store under the
//    Norwegian page's own path.
// 2. axe-core finds nothing on Norwegian pages at 320 and 1280 px.
// 3. Right to left: the small English/Arabic site in tests/fixtures/rtl-site
//    built with the real binary; the Arabic page must say dir="rtl" and
//    really mirror (title, breadcrumb, rating options, notice border at the
//    right), pass axe-core, use the Arabic plural forms, and show the notice
//    that the translation is older than its English source.
//
// Set MEDSITE_SCREENSHOTS=/some/folder to save screenshots of the English
// and Arabic pages there (nothing is saved otherwise).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startSite,
  copyFixture,
  newContext,
  text,
  counterText,
  pollReport,
  report,
  axeViolations,
  describeViolations,
  ILARIS,
  TIMEOUT,
} from './helpers.mjs';

const WAIT = 10_000; // every single browser wait
const NB_ILARIS = '/nb/medications/ilaris/';
const BASE = 'https://example.org'; // base_url of the example site and the fixture
const NB_THANKS = 'Takk. Vurderingen din er lagret.';
const NB_CHOOSE = 'Velg en vurdering fra 1 til 5.';
const NB_MONTH = /\b\d{1,2}\. (januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember) \d{4}\b/;
// Words of the English theme (i18n/en.ftl) that must not be on a Norwegian page.
const EN_WORDS = [
  'Skip to main content',
  'On this page',
  'Sources',
  'Page last reviewed',
  'Next review due',
  'Please rate this page',
  'Send rating',
  'Type of medicine',
  'Generic name',
  'This information does not replace advice',
];
const EN_LABELS = ['Main', 'Breadcrumb', 'This page in other languages', 'Review dates'];

const SCREENSHOTS = process.env.MEDSITE_SCREENSHOTS || null;

async function newPage(browser, options) {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.setDefaultNavigationTimeout(WAIT);
  return { context, page };
}

/** The language switcher's links: [{href, lang, hreflang, current, text}]. */
function switcher(page) {
  return page.locator('nav.languages a').evaluateAll((as) =>
    as.map((a) => ({
      href: a.getAttribute('href'),
      lang: a.getAttribute('lang'),
      hreflang: a.getAttribute('hreflang'),
      current: a.getAttribute('aria-current'),
      text: a.textContent.trim(),
    })),
  );
}

/** The <link rel="alternate" hreflang> of the page, as {hreflang: href}. */
function alternates(page) {
  return page.locator('link[rel="alternate"][hreflang]').evaluateAll((ls) => {
    const out = {};
    for (const l of ls) out[l.getAttribute('hreflang')] = l.getAttribute('href');
    return out;
  });
}

const htmlAttrs = (page) =>
  page.evaluate(() => ({ lang: document.documentElement.getAttribute('lang'), dir: document.documentElement.getAttribute('dir') }));

async function save(page, name) {
  if (!SCREENSHOTS) return;
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
}

// ---------------------------------------------------------------------------
// 1 and 2: the Norwegian pages of the example site.

describe('Norwegian pages of the example site', { timeout: TIMEOUT }, () => {
  let env;
  before(async () => {
    env = await startSite();
  }, { timeout: TIMEOUT });
  after(async () => {
    await env?.teardown();
  });

  it('shows the Norwegian Ilaris page in Norwegian, with alternates and a switcher to English', async () => {
    const { context, page } = await newPage(env.browser);
    const res = await page.goto(env.url(NB_ILARIS));
    assert.equal(res.status(), 200);
    assert.deepEqual(await htmlAttrs(page), { lang: 'nb', dir: 'ltr' });

    // The theme's words in Norwegian.
    assert.equal(await text(page.locator('.rate-jump a')), 'Gi en vurdering av denne siden');
    assert.equal(await text(page.locator('#rate-heading')), 'Gi en vurdering av denne siden');
    assert.equal(await text(page.locator('#sources-heading')), 'Kilder');
    assert.equal(await text(page.locator('.skip-link')), 'Gå til hovedinnholdet');
    assert.equal(await text(page.locator('.rating-form button[type=submit]')), 'Send vurdering');
    const reviewed = await page.locator('.review-dates p').evaluateAll((ps) => ps.map((p) => p.textContent.replace(/\s+/g, ' ').trim()));
    const last = reviewed.find((p) => p.startsWith('Siden ble sist gjennomgått:'));
    assert.ok(last, `a "Siden ble sist gjennomgått:" line in .review-dates: ${JSON.stringify(reviewed)}`);
    assert.match(last, NB_MONTH, 'the date is in words, in Norwegian');
    assert.equal(last, 'Siden ble sist gjennomgått: 1. desember 2026', 'last_reviewed 2026-12-01 of ilaris.nb.md');
    // and nothing of the English theme.
    const body = await page.evaluate(() => document.body.innerText);
    for (const w of EN_WORDS) assert.ok(!body.includes(w), `English theme text ${JSON.stringify(w)} on ${NB_ILARIS}`);
    const labels = await page.locator('[aria-label]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    for (const w of EN_LABELS) assert.ok(!labels.includes(w), `English aria-label ${JSON.stringify(w)} on ${NB_ILARIS}: ${JSON.stringify(labels)}`);
    assert.equal(await page.locator('nav.languages').getAttribute('aria-label'), 'Denne siden på andre språk');

    // The translation follows the source's latest review: no notice.
    assert.equal(await page.locator('.translation-notice').count(), 0, 'ilaris.nb.md is up to date: no translation notice');

    // Alternates: every version and x-default, absolute.
    const nbAlt = await alternates(page);
    assert.deepEqual(nbAlt, {
      en: `${BASE}${ILARIS}`,
      nb: `${BASE}${NB_ILARIS}`,
      'x-default': `${BASE}${ILARIS}`,
    });

    // The switcher: English, and Norwegian as the current page.
    assert.deepEqual(await switcher(page), [
      { href: ILARIS, lang: 'en', hreflang: 'en', current: null, text: 'English' },
      { href: NB_ILARIS, lang: 'nb', hreflang: 'nb', current: 'page', text: 'Norsk' },
    ]);

    // By keyboard: Tab to "English", Enter.
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.matches('nav.languages a[hreflang="en"]') ?? false);
    }
    assert.ok(reached, 'Tab reaches the English link of the switcher');
    await Promise.all([page.waitForURL((u) => u.pathname === ILARIS), page.keyboard.press('Enter')]);
    assert.deepEqual(await htmlAttrs(page), { lang: 'en', dir: 'ltr' });
    assert.equal(await text(page.locator('#sources-heading')), 'Sources');
    assert.equal(await text(page.locator('#rate-heading')), 'Please rate this page');
    assert.equal(await page.locator('nav.languages').getAttribute('aria-label'), 'This page in other languages');
    assert.deepEqual(await switcher(page), [
      { href: ILARIS, lang: 'en', hreflang: 'en', current: 'page', text: 'English' },
      { href: NB_ILARIS, lang: 'nb', hreflang: 'nb', current: null, text: 'Norsk' },
    ]);
    assert.deepEqual(await alternates(page), nbAlt, 'both versions list the same alternates');
    assert.equal(await page.locator('.translation-notice').count(), 0, 'a source page has no translation notice');

    // And back by click.
    await Promise.all([page.waitForURL((u) => u.pathname === NB_ILARIS), page.locator('nav.languages a[hreflang="nb"]').click()]);
    assert.deepEqual(await htmlAttrs(page), { lang: 'nb', dir: 'ltr' });
    assert.equal(await text(page.locator('#sources-heading')), 'Kilder');
    await context.close();
  });

  it('counts visits in the page language, under each version’s own path', async () => {
    await env.startService(); // a fresh database: counts start at 0
    const { context, page } = await newPage(env.browser);
    const visit = page.waitForResponse('**/api/feedback/visit');
    await page.goto(env.url(NB_ILARIS));
    assert.equal(await page.locator('.visit-counter').getAttribute('data-page'), NB_ILARIS);
    assert.equal((await visit).status(), 200, 'the service accepts the Norwegian page');
    assert.equal(await counterText(page, WAIT), 'Denne siden har hatt 1 besøk i dag');
    await page.reload();
    assert.equal(await counterText(page, WAIT), 'Denne siden har hatt 2 besøk i dag');

    await page.goto(env.url(ILARIS));
    assert.equal(await counterText(page, WAIT), 'This page has had 1 visit today', 'the English page counts on its own');
    await page.reload();
    assert.equal(await counterText(page, WAIT), 'This page has had 2 visits today');
    await context.close();

    assert.equal(await env.visitsToday(NB_ILARIS), 2);
    assert.equal(await env.visitsToday(ILARIS), 2);
    const nb = await pollReport(env.db, NB_ILARIS, (x) => x.visits_today >= 2);
    assert.equal(nb.visits_today, 2, `the report counts ${NB_ILARIS}: ${JSON.stringify(nb)}`);
  });

  it('rates a Norwegian page in Norwegian and stores it under the Norwegian path', async () => {
    await env.startService();
    const { context, page } = await newPage(env.browser);
    await page.goto(env.url(NB_ILARIS));
    assert.equal(await page.locator('.rating input[name=page]').getAttribute('value'), NB_ILARIS);

    // No choice: the widget asks in Norwegian.
    await page.locator('.rating-form button[type=submit]').click();
    await page.locator('.rating-status', { hasText: NB_CHOOSE }).waitFor();
    assert.equal(await text(page.locator('.rating-status')), NB_CHOOSE);

    await page.locator('label[for="rating-5"]').click();
    await page.locator('#rating-comment').fill('Test: tydelig.');
    const answer = page.waitForResponse('**/api/feedback/rating');
    await page.locator('.rating-form button[type=submit]').click();
    assert.equal((await answer).status(), 201, 'the service stored the rating');
    await page.locator('.rating-status', { hasText: NB_THANKS }).waitFor();
    assert.equal(await text(page.locator('.rating-status')), NB_THANKS);
    assert.equal(await page.locator('.rating-form').isVisible(), false, 'the form is hidden after saving');
    await context.close();

    const r = report(env.db);
    const nb = r.pages.find((x) => x.page === NB_ILARIS);
    assert.ok(nb, `the report lists ${NB_ILARIS}: ${JSON.stringify(r.pages)}`);
    assert.equal(nb.ratings, 1);
    assert.deepEqual(nb.distribution, [0, 0, 0, 0, 1]);
    assert.ok(nb.latest_comments.some((c) => c.text === 'Test: tydelig.' && c.rating === 5), JSON.stringify(nb.latest_comments));
    const others = r.pages.filter((x) => x.page !== NB_ILARIS && x.ratings > 0);
    assert.deepEqual(others, [], 'the English page (or any other) got no rating');
  });

  for (const width of [320, 1280]) {
    it(`has no axe violations on Norwegian pages at ${width} px`, async (t) => {
      const { context, page } = await newPage(env.browser, { viewport: { width, height: 800 } });
      const problems = [];
      for (const p of ['/nb/', NB_ILARIS, '/nb/sykdommer/']) {
        const res = await page.goto(env.url(p));
        assert.equal(res.status(), 200, `status of ${p}`);
        await page.waitForLoadState('networkidle');
        assert.equal((await htmlAttrs(page)).lang, 'nb', `lang of ${p}`);
        if (width <= 320) {
          const sw = await page.evaluate(() => document.documentElement.scrollWidth);
          if (sw > width) problems.push(`${p} @${width}px: scrollWidth ${sw} > ${width}`);
        }
        const violations = await axeViolations(page);
        t.diagnostic(`axe ${p} @${width}px: ${violations.length} violations`);
        if (violations.length) problems.push(`${p} @${width}px: axe violations\n${describeViolations(violations)}`);
      }
      await context.close();
      assert.equal(problems.length, 0, '\n' + problems.join('\n\n'));
    });
  }
});

// ---------------------------------------------------------------------------
// 3. Right to left: tests/fixtures/rtl-site, English and Arabic.

const AR_PAGE = '/ar/medications/example/';
const EN_PAGE = '/medications/example/';

describe('right to left (Arabic) pages', { timeout: TIMEOUT }, () => {
  let env;
  let fixture;
  before(async () => {
    fixture = copyFixture('rtl-site');
    env = await startSite({ root: fixture.root });
  }, { timeout: TIMEOUT });
  after(async () => {
    await env?.teardown();
    fixture?.cleanup();
  });

  /** Boxes of the page at its current size, measured in the browser. */
  function geometry(page) {
    return page.evaluate(() => {
      const main = document.querySelector('main');
      const ms = getComputedStyle(main);
      const mr = main.getBoundingClientRect();
      const content = {
        left: mr.left + parseFloat(ms.paddingLeft) + parseFloat(ms.borderLeftWidth),
        right: mr.right - parseFloat(ms.paddingRight) - parseFloat(ms.borderRightWidth),
      };
      const h1 = document.querySelector('main h1');
      const range = document.createRange();
      range.selectNodeContents(h1);
      const tr = range.getBoundingClientRect();
      const crumbs = [...document.querySelectorAll('.breadcrumb li')].map((li) => {
        const r = li.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, before: getComputedStyle(li, '::before').content };
      });
      const options = [1, 2, 3, 4, 5].map((n) => {
        const r = document.querySelector(`label[for="rating-${n}"]`).getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top };
      });
      return {
        direction: ms.direction,
        content,
        h1Text: { left: tr.left, right: tr.right },
        h1TextAlign: getComputedStyle(h1).textAlign,
        crumbs,
        options,
      };
    });
  }

  it('builds the Arabic page right to left, in Arabic, with the notice that it is older than its source', async () => {
    const { context, page } = await newPage(env.browser);
    const res = await page.goto(env.url(AR_PAGE));
    assert.equal(res.status(), 200);
    assert.deepEqual(await htmlAttrs(page), { lang: 'ar', dir: 'rtl' });
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
    assert.equal(await text(page.locator('#rate-heading')), 'يرجى تقييم هذه الصفحة');
    assert.equal(await text(page.locator('#sources-heading')), 'المصادر');
    assert.match(await text(page.locator('.review-dates')), /1 ديسمبر 2026/, 'the date in words, in Arabic');
    assert.deepEqual(await switcher(page), [
      { href: EN_PAGE, lang: 'en', hreflang: 'en', current: null, text: 'English' },
      { href: AR_PAGE, lang: 'ar', hreflang: 'ar', current: 'page', text: 'العربية' },
    ]);
    assert.deepEqual(await alternates(page), {
      en: `${BASE}${EN_PAGE}`,
      ar: `${BASE}${AR_PAGE}`,
      'x-default': `${BASE}${EN_PAGE}`,
    });

    // source_reviewed 2026-06-01 < the English last_reviewed 2026-12-01.
    const notice = page.locator('.translation-notice');
    assert.equal(await notice.count(), 1, 'the stale translation shows the notice');
    assert.equal(await notice.getAttribute('role'), 'note');
    assert.match(await text(notice), /^قد تكون هذه الترجمة قديمة\./, 'the notice is in Arabic');
    assert.match(await text(notice), /1 ديسمبر 2026/, 'it gives the date of the source’s review');
    const link = notice.locator('a');
    assert.equal(await link.getAttribute('href'), EN_PAGE);
    assert.equal(await link.getAttribute('hreflang'), 'en');
    // Its accent border is on the start side: the right in RTL.
    const border = await notice.evaluate((el) => {
      const s = getComputedStyle(el);
      return { left: parseFloat(s.borderLeftWidth), right: parseFloat(s.borderRightWidth) };
    });
    assert.ok(border.right > border.left, `the notice's thick border is on the right: ${JSON.stringify(border)}`);

    await Promise.all([page.waitForURL((u) => u.pathname === EN_PAGE), link.click()]);
    assert.deepEqual(await htmlAttrs(page), { lang: 'en', dir: 'ltr' });
    assert.equal(await page.locator('.translation-notice').count(), 0, 'the English source has no notice');
    await context.close();
  });

  for (const width of [320, 1280]) {
    it(`mirrors the layout of the Arabic page at ${width} px`, async () => {
      const { context, page } = await newPage(env.browser, { viewport: { width, height: 900 } });
      await page.goto(env.url(EN_PAGE));
      await page.waitForLoadState('networkidle');
      const en = await geometry(page);
      await save(page, `en-${width}.png`);
      await page.goto(env.url(AR_PAGE));
      await page.waitForLoadState('networkidle');
      const ar = await geometry(page);
      await save(page, `ar-${width}.png`);
      await context.close();
      const show = JSON.stringify({ en, ar });

      // English for comparison: left to right.
      assert.equal(en.direction, 'ltr');
      assert.ok(Math.abs(en.h1Text.left - en.content.left) <= 3, `English h1 starts at the left of main: ${show}`);

      // The Arabic title starts at the right edge of main's content box.
      assert.equal(ar.direction, 'rtl');
      assert.ok(Math.abs(ar.h1Text.right - ar.content.right) <= 3, `Arabic h1 ends at the right of main: ${show}`);
      assert.ok(ar.h1Text.left > en.h1Text.left + 20, `the Arabic h1 text is further right than the English one: ${show}`);
      assert.ok(ar.h1Text.left > ar.content.left + 20, `the short Arabic h1 does not reach the left: ${show}`);

      // Breadcrumb: home at the right, separators pointing left.
      assert.equal(ar.crumbs.length, 3);
      assert.ok(ar.crumbs[0].left >= ar.crumbs[1].right - 1, `the first crumb is right of the second: ${show}`);
      assert.ok(ar.crumbs[1].left >= ar.crumbs[2].right - 1 || ar.crumbs[2].top !== ar.crumbs[1].top, `the second crumb is right of the third: ${show}`);
      assert.ok(ar.crumbs[1].before.includes('\u2039'), `RTL separator is ‹: ${show}`);
      assert.ok(en.crumbs[0].right <= en.crumbs[1].left + 1, `English: the first crumb is left of the second: ${show}`);
      assert.ok(en.crumbs[1].before.includes('\u203A'), `LTR separator is ›: ${show}`);

      // Rating options 1..5 run right to left (one row at any width).
      for (let i = 0; i < 4; i++) {
        assert.equal(ar.options[i].top, ar.options[i + 1].top, `the options are on one row: ${show}`);
        assert.ok(ar.options[i].left > ar.options[i + 1].right - 1, `option ${i + 1} is right of option ${i + 2}: ${show}`);
        assert.ok(en.options[i].right < en.options[i + 1].left + 1, `English: option ${i + 1} is left of option ${i + 2}: ${show}`);
      }
      assert.ok(ar.options[0].left > ar.options[4].left, `x of option 1 > x of option 5: ${show}`);
    });
  }

  it('counts Arabic visits with the Arabic plural forms', async () => {
    await env.startService(); // a fresh database: counts start at 0
    const { context, page } = await newPage(env.browser);
    await page.goto(env.url(AR_PAGE));
    // Arabic has "one" and "two" forms besides "few" and "many".
    assert.equal(await counterText(page, WAIT), 'تمت زيارة هذه الصفحة مرة واحدة اليوم');
    await page.reload();
    assert.equal(await counterText(page, WAIT), 'تمت زيارة هذه الصفحة مرتين اليوم');
    await page.reload();
    assert.equal(await counterText(page, WAIT), 'تمت زيارة هذه الصفحة 3 مرات اليوم');
    await context.close();
  });

  for (const width of [320, 1280]) {
    it(`has no axe violations on Arabic pages at ${width} px`, async (t) => {
      const { context, page } = await newPage(env.browser, { viewport: { width, height: 800 } });
      const problems = [];
      for (const p of ['/ar/', '/ar/medications/', AR_PAGE]) {
        const res = await page.goto(env.url(p));
        assert.equal(res.status(), 200, `status of ${p}`);
        await page.waitForLoadState('networkidle');
        assert.deepEqual(await htmlAttrs(page), { lang: 'ar', dir: 'rtl' }, `html of ${p}`);
        if (width <= 320) {
          const sw = await page.evaluate(() => document.documentElement.scrollWidth);
          if (sw > width) problems.push(`${p} @${width}px: scrollWidth ${sw} > ${width}`);
        }
        const violations = await axeViolations(page);
        t.diagnostic(`axe ${p} @${width}px: ${violations.length} violations`);
        if (violations.length) problems.push(`${p} @${width}px: axe violations\n${describeViolations(violations)}`);
      }
      await context.close();
      assert.equal(problems.length, 0, '\n' + problems.join('\n\n'));
    });
  }
});
