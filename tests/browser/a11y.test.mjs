// Accessibility over several built pages: axe-core (WCAG 2.0-2.2 A/AA and
// best practices) with zero violations at 320 px and 1280 px wide, in light
// and dark colour schemes; no horizontal scrolling at 320 px; one h1.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startSite, newContext, conditionPage, htmlFiles, PAGES, ILARIS, AXE_PATH, TIMEOUT } from './helpers.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

let env;
let pages;
before(async () => {
  env = await startSite();
  const context = await newContext(env.browser);
  const page = await context.newPage();
  const condition = await conditionPage(page, env.origin);
  await context.close();
  pages = [...PAGES.slice(0, 4), condition, ...PAGES.slice(4)];
}, { timeout: TIMEOUT });
after(async () => {
  await env?.teardown();
});

function describeViolations(violations) {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`).join('\n'),
    )
    .join('\n');
}

async function audit(width, colorScheme) {
  const context = await newContext(env.browser, { viewport: { width, height: 800 }, colorScheme });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  for (const path of pages) {
    const response = await page.goto(env.url(path));
    assert.ok(response, `no response for ${path}`);
    assert.equal(response.status(), 200, `status of ${path}`);
    await page.waitForLoadState('load');
    // Let the scripts settle (counter request, share buttons).
    await page.waitForLoadState('networkidle');

    const h1s = await page.locator('h1').count();
    if (h1s !== 1) problems.push(`${path} @${width}px: ${h1s} h1 elements, want exactly 1`);

    if (width <= 320) {
      const sw = await page.evaluate(() => document.documentElement.scrollWidth);
      if (sw > width) {
        const wide = await page.evaluate((w) => {
          const out = [];
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right > w + 0.5 && getComputedStyle(el).position !== 'absolute') {
              out.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).replace(/ /g, '.') : ''} right=${Math.round(r.right)}`);
            }
          }
          return out.slice(0, 8);
        }, width);
        problems.push(`${path} @${width}px: scrollWidth ${sw} > ${width} (wide: ${wide.join(', ')})`);
      }
    }

    await page.addScriptTag({ path: AXE_PATH });
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      TAGS,
    );
    if (result.violations.length) {
      problems.push(`${path} @${width}px ${colorScheme}: axe violations\n${describeViolations(result.violations)}`);
    }
  }
  await context.close();
  assert.equal(problems.length, 0, '\n' + problems.join('\n\n'));
}

describe('accessibility', { timeout: TIMEOUT }, () => {
  it('has no axe violations, one h1 and no horizontal scrolling at 320 px', () => audit(320, 'light'));
  it('has no axe violations and one h1 at 1280 px', () => audit(1280, 'light'));
  it('has no axe violations in the dark colour scheme', () => audit(1280, 'dark'));

  it('every built page has one h1 and fits 320 px without horizontal scrolling', async () => {
    const context = await newContext(env.browser, { viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems = [];
    const urls = htmlFiles(env.site.dir).map((f) =>
      ('/' + path.relative(env.site.dir, f).split(path.sep).join('/')).replace(/(^|\/)index\.html$/, '$1'),
    );
    assert.ok(urls.length >= 6, `found only ${urls.length} pages`);
    for (const url of urls) {
      await page.goto(env.url(url));
      const { h1, sw } = await page.evaluate(() => ({
        h1: document.querySelectorAll('h1').length,
        sw: document.documentElement.scrollWidth,
      }));
      if (h1 !== 1) problems.push(`${url}: ${h1} h1 elements`);
      if (sw > 320) problems.push(`${url}: scrollWidth ${sw} > 320`);
    }
    await context.close();
    assert.equal(problems.length, 0, '\n' + problems.join('\n'));
  });

  it('shows the skip link and a visible focus outline when using the keyboard', async () => {
    const context = await newContext(env.browser, { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(env.url(ILARIS));
    await page.waitForLoadState('networkidle');

    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      return { cls: el.className, top: r.top, bottom: r.bottom, w: r.width, h: r.height };
    });
    assert.equal(skip.cls, 'skip-link', 'the first Tab reaches the skip link');
    assert.ok(skip.top >= 0 && skip.bottom <= 800 && skip.w >= 24 && skip.h >= 24, `the focused skip link is on screen: ${JSON.stringify(skip)}`);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main', 'the skip link moves focus to main');

    // Every focusable element shows a focus indicator of at least 2 px.
    const missing = [];
    let seenRadio = false;
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        // A visually hidden radio shows its focus on its label.
        const shown = el.matches('input[type=radio]') ? document.querySelector(`label[for="${el.id}"]`) : el;
        const s = getComputedStyle(shown);
        const w = parseFloat(s.outlineWidth) || 0;
        return {
          what: el.outerHTML.slice(0, 80),
          radio: el.matches('input[type=radio]'),
          ok: s.outlineStyle !== 'none' && w >= 2,
          last: el.matches('.rating-form button[type=submit]'),
        };
      });
      if (!info) break;
      if (info.radio) seenRadio = true;
      if (!info.ok) missing.push(info.what);
      if (info.last) break;
    }
    assert.ok(seenRadio, 'Tab reached the rating options');
    assert.deepEqual(missing, [], 'elements without a visible focus outline');
    await context.close();
  });
});
