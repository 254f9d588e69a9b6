// Accessibility over several built pages: axe-core (WCAG 2.0-2.2 A/AA and
// best practices) with zero violations at 320 px and 1280 px wide, in light
// and dark colour schemes; no horizontal scrolling at 320 px; one h1.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, newContext, conditionPage, htmlFiles, PAGES, AXE_PATH, TIMEOUT } from './helpers.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

let env;
let pages;
before(async () => {
  env = await setup();
  const context = await newContext(env.browser);
  const page = await context.newPage();
  const condition = await conditionPage(page, env.server.url);
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
});
