// The share block: copy link (no Web Share API), native share (Web Share
// API present), and the e-mail link that works without script.

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

const shareInfo = (page) =>
  page.locator('.share').evaluate((el) => ({
    url: el.getAttribute('data-share-url'),
    title: el.getAttribute('data-share-title'),
  }));

describe('share', { timeout: TIMEOUT }, () => {
  it('copies the link when the Web Share API is missing', async () => {
    const context = await newContext(env.browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    await context.addInitScript(() => {
      delete Navigator.prototype.share;
      delete Navigator.prototype.canShare;
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(env.url(ILARIS));
    assert.equal(await page.evaluate(() => 'share' in navigator), false);

    const { url, title } = await shareInfo(page);
    assert.match(url, /^https?:\/\/.+\/medications\/ilaris\/$/, 'data-share-url is the absolute page URL');
    assert.ok(title && title.includes('Ilaris'), 'data-share-title names the page');

    const copy = page.locator('.share-copy');
    await copy.waitFor({ state: 'visible' });
    assert.equal(await page.locator('.share-native').isVisible(), false);
    await copy.click();
    await page.locator('.share-status', { hasText: 'Link copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);

    // The e-mail link carries the page URL in its body.
    const href = await page.locator('a.share-email').getAttribute('href');
    assert.ok(href.startsWith('mailto:'), `e-mail link is a mailto: (${href})`);
    const params = new URLSearchParams(href.slice(href.indexOf('?') + 1));
    assert.ok((params.get('body') || '').includes(url), `mailto body contains ${url}: ${href}`);
    assert.ok((params.get('subject') || '').length > 0, 'mailto has a subject');
    await context.close();
  });

  it('says so when copying fails', async () => {
    const context = await newContext(env.browser);
    await context.addInitScript(() => {
      delete Navigator.prototype.share;
      Object.defineProperty(navigator, 'clipboard', {
        value: { writeText: () => Promise.reject(new Error('denied')) },
      });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(env.url(ILARIS));
    await page.locator('.share-copy').click();
    await page.locator('.share-status', { hasText: 'Could not copy the link' }).waitFor();
    await context.close();
  });

  it('uses the Web Share API when the browser has it', async () => {
    const context = await newContext(env.browser);
    await context.addInitScript(() => {
      window.__shared = [];
      Object.defineProperty(Navigator.prototype, 'share', {
        configurable: true,
        value: function share(data) {
          window.__shared.push(JSON.parse(JSON.stringify(data)));
          return Promise.resolve();
        },
      });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(env.url(ILARIS));
    const native = page.locator('.share-native');
    await native.waitFor({ state: 'visible' });
    assert.equal(await page.locator('.share-copy').isVisible(), false, 'only one share button');
    await native.click();
    await page.waitForFunction(() => window.__shared.length === 1);
    const { url, title } = await shareInfo(page);
    const [shared] = await page.evaluate(() => window.__shared);
    assert.equal(shared.url, url);
    assert.equal(shared.title, title);
    await context.close();
  });

  it('offers only the e-mail link without JavaScript', async () => {
    const context = await newContext(env.browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(env.url(ILARIS));
    assert.equal(await page.locator('a.share-email').isVisible(), true);
    assert.equal(await page.locator('.share-copy').isVisible(), false);
    assert.equal(await page.locator('.share-native').isVisible(), false);
    await context.close();
  });
});
