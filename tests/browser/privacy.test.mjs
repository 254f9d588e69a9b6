// Privacy and weight: pages only talk to their own host, set no cookies,
// and load less than 40 KB of CSS + JavaScript.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSite, newContext, conditionPage, PAGES, TIMEOUT } from './helpers.mjs';

const BUDGET = 40 * 1024;

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

describe('privacy and weight', { timeout: TIMEOUT }, () => {
  it('requests only 127.0.0.1, sets no cookies and stays under the CSS+JS budget', async () => {
    const context = await newContext(env.browser);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems = [];
    for (const path of pages) {
      const requests = [];
      const assets = [];
      const onRequest = (req) => requests.push(req.url());
      const onResponse = (res) => {
        const type = res.request().resourceType();
        if (type === 'stylesheet' || type === 'script') assets.push(res);
      };
      page.on('request', onRequest);
      page.on('response', onResponse);
      await page.goto(env.url(path));
      await page.waitForLoadState('networkidle');
      page.off('request', onRequest);
      page.off('response', onResponse);

      for (const u of requests) {
        const url = new URL(u);
        if (url.protocol === 'data:' || url.protocol === 'blob:') continue;
        if (url.hostname !== '127.0.0.1' || url.port !== String(env.port)) {
          problems.push(`${path}: request to another host: ${u}`);
        }
      }
      const cookie = await page.evaluate(() => document.cookie);
      if (cookie !== '') problems.push(`${path}: document.cookie is ${JSON.stringify(cookie)}`);

      let bytes = 0;
      for (const res of assets) bytes += (await res.body()).length;
      const kinds = assets.map((r) => r.request().resourceType());
      if (!kinds.includes('stylesheet')) problems.push(`${path}: loads no stylesheet`);
      if (!kinds.includes('script')) problems.push(`${path}: loads no script`);
      if (bytes >= BUDGET) problems.push(`${path}: CSS + JS is ${bytes} bytes, budget ${BUDGET}`);
    }
    const cookies = await context.cookies();
    assert.deepEqual(cookies, [], 'the context has no cookies');
    assert.equal(problems.length, 0, '\n' + problems.join('\n'));
    await context.close();
  });

  it('the feedback service stores nothing personal', async () => {
    // A rating through the browser reaches the real service's database;
    // the database then holds the page, the rating and the comment, and
    // neither the reader's address nor their browser.
    await env.startService();
    const context = await newContext(env.browser);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const agent = await page.evaluate(() => navigator.userAgent);
    assert.match(agent, /Chrome/, agent);
    await page.goto(env.url(PAGES[2]));
    await page.locator('.visit-counter').waitFor({ state: 'visible' });
    const marker = `privacy-marker-${process.pid}`;
    await page.locator('label[for="rating-3"]').click();
    await page.locator('#rating-comment').fill(marker);
    await page.locator('.rating-form button[type=submit]').click();
    await page.locator('.rating-status', { hasText: 'Thank you' }).waitFor();
    assert.deepEqual(await context.cookies(), [], 'no cookie was set');
    await context.close();

    const stored = env.report(PAGES[2]);
    assert.equal(stored.ratings, 1, JSON.stringify(stored));
    assert.deepEqual(stored.latest_comments.map((c) => [c.rating, c.text]), [[3, marker]]);
    // Everything the service wrote: the database and its journal files.
    const exit = await env.service.stop();
    assert.equal(exit.code, 0, `the service stops cleanly on SIGTERM: ${JSON.stringify(exit)}\n${env.service.output()}`);
    const dbName = path.basename(env.db);
    const files = fs.readdirSync(path.dirname(env.db)).filter((f) => f.startsWith(dbName));
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(path.dirname(env.db), f))));
    assert.ok(bytes.includes(marker), `the comment is in ${files.join(', ')}: the right files are read`);
    for (const personal of ['127.0.0.1', agent, 'HeadlessChrome', 'Mozilla/']) {
      assert.ok(!bytes.includes(personal), `the database holds ${JSON.stringify(personal)}`);
    }
  });
});
