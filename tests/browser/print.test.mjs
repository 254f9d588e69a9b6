// The print stylesheet: interactive parts are hidden and external links
// print their URL.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, newContext, ILARIS, TIMEOUT } from './helpers.mjs';

let env;
before(async () => {
  env = await startSite();
}, { timeout: TIMEOUT });
after(async () => {
  await env?.teardown();
});

describe('print', { timeout: TIMEOUT }, () => {
  it('hides the widgets and prints source URLs', async () => {
    const context = await newContext(env.browser);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(env.url(ILARIS));
    await page.locator('.visit-counter').waitFor({ state: 'visible' });

    const display = (sel) => page.locator(sel).first().evaluate((el) => getComputedStyle(el).display);
    // On screen they are shown ...
    for (const sel of ['.rating', '.share', '.visit-counter']) {
      assert.notEqual(await display(sel), 'none', `${sel} is shown on screen`);
    }
    const link = page.locator('.sources a[href^="http"]').first();
    const href = await link.getAttribute('href');
    const after = () =>
      link.evaluate((el) => {
        const s = getComputedStyle(el, '::after');
        return { content: s.content, display: s.display };
      });
    assert.ok(!(await after()).content.includes(href), 'no URL after the link on screen');

    // ... and hidden in print.
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['.rating', '.share', '.visit-counter', '.site-nav', '.rate-jump', '.toc', '.skip-link']) {
      assert.equal(await display(sel), 'none', `${sel} is hidden in print`);
    }
    assert.equal(await display('.content'), 'block', 'the content prints');
    const printed = await after();
    assert.ok(printed.content.includes(href), `the source link prints its URL: ::after content is ${printed.content}`);
    assert.notEqual(printed.display, 'none');
    const colors = await page.evaluate(() => {
      const s = getComputedStyle(document.body);
      return { color: s.color, background: s.backgroundColor };
    });
    assert.equal(colors.color, 'rgb(0, 0, 0)', 'black text in print');
    assert.ok(['rgb(255, 255, 255)', 'rgba(0, 0, 0, 0)'].includes(colors.background), `white background in print (${colors.background})`);
    await context.close();
  });
});
