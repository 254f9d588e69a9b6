// The rating widget and the visit counter on a medication page, against
// the REAL feedback service (`medsite feedback serve` behind the static
// host): with JavaScript on; when the service is stopped, refuses the page
// (400), limits the rate (429) or is not there at all (a closed port); and
// with JavaScript off. What the service stored is read back with `medsite
// feedback report`.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startSite,
  newContext,
  displayed,
  text,
  counterText,
  assertNoThanks,
  copySite,
  initSite,
  buildSite,
  closedPort,
  ILARIS,
  THANKS,
  FAILED,
  TIMEOUT,
} from './helpers.mjs';
import { startStatic } from './static.mjs';

let env;
before(async () => {
  env = await startSite();
}, { timeout: TIMEOUT });
after(async () => {
  await env?.teardown();
});

async function open(options) {
  const context = await newContext(env.browser, options);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

/** Chooses `n` stars and submits; resolves with the HTTP status of the POST. */
async function rate(page, n, comment) {
  await page.locator(`label[for="rating-${n}"]`).click();
  if (comment != null) await page.locator('#rating-comment').fill(comment);
  const answer = page.waitForResponse((r) => r.url().endsWith('/rating') && r.request().method() === 'POST');
  await page.locator('.rating-form button[type=submit]').click();
  return (await answer).status();
}

describe('with JavaScript', { timeout: TIMEOUT }, () => {
  it('jumps to the rating, counts visits and saves a rating', async () => {
    await env.startService();
    const { context, page } = await open();
    await page.goto(env.url(ILARIS));

    // The jump link near the top of the page goes to the widget.
    const jump = page.locator('.page-header .rate-jump a');
    assert.equal(await jump.getAttribute('href'), '#rate');
    assert.equal(await text(jump), 'Please rate this page');
    const jumpBox = await jump.boundingBox();
    assert.ok(jumpBox && jumpBox.y < 900, `the jump link is in the first screen (y=${jumpBox?.y})`);
    await jump.click();
    await page.waitForFunction(() => location.hash === '#rate');
    const inView = await page.locator('#rate').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= -1 && r.top < innerHeight;
    });
    assert.ok(inView, 'the rating section is scrolled into view');

    // The counter appears once the service answers, and counts reloads.
    assert.equal(await counterText(page), 'This page has had 1 visit today');
    await page.reload();
    assert.equal(await counterText(page), 'This page has had 2 visits today');
    assert.equal(await env.visitsToday(ILARIS), 2, 'the service counted two visits');

    // Choosing nothing gives a message and sends nothing.
    await page.locator('.rating-form button[type=submit]').click();
    assert.equal(await text(page.locator('.rating-status')), 'Please choose a rating from 1 to 5.');
    assert.equal(env.report(ILARIS).ratings, 0);

    // Rate 4 with a comment; the button is disabled while sending (the
    // request is held in the browser, then goes to the service).
    let release;
    const held = new Promise((r) => (release = r));
    await page.route('**/api/feedback/rating', async (route) => {
      await held;
      await route.continue();
    });
    await page.locator('label[for="rating-4"]').click();
    assert.equal(await page.locator('#rating-4').isChecked(), true, 'clicking the label chooses 4');
    const comment = 'Clear and helpful, thanks.';
    await page.locator('#rating-comment').fill(comment);
    const answer = page.waitForResponse('**/api/feedback/rating');
    await page.locator('.rating-form button[type=submit]').click();
    await page.waitForFunction(() => document.querySelector('.rating-form button[type=submit]').disabled);
    release();
    assert.equal((await answer).status(), 201, 'the service stored the rating');
    await page.locator('.rating-status', { hasText: THANKS }).waitFor();
    assert.equal(await text(page.locator('.rating-status')), THANKS);
    assert.equal(await page.locator('.rating-form').isVisible(), false, 'the form is hidden after saving');
    const stored = env.report(ILARIS);
    assert.deepEqual(stored.distribution, [0, 0, 0, 1, 0], JSON.stringify(stored));
    assert.deepEqual(stored.latest_comments.map((c) => [c.rating, c.text]), [[4, comment]]);
    await page.unroute('**/api/feedback/rating');

    // After a reload the page remembers (localStorage) and does not ask again.
    await page.reload();
    await page.locator('.rating-already').waitFor({ state: 'visible' });
    assert.equal(await page.locator('.rating-form').isVisible(), false);
    assert.match(await text(page.locator('.rating-already')), /already rated this page/);
    assert.equal(await counterText(page), 'This page has had 3 visits today');
    assert.equal(env.report(ILARIS).ratings, 1);
    await context.close();
  });

  it('remembers a plain form post that came back to #rated', async () => {
    const { context, page } = await open();
    await page.goto(env.url(ILARIS + '#rated'));
    assert.equal(await displayed(page.locator('#rated')), true);
    await page.waitForFunction(() => document.querySelector('.rating-form').hidden);
    await page.goto(env.url(ILARIS));
    await page.locator('.rating-already').waitFor({ state: 'visible' });
    await context.close();
  });
});

describe('when the feedback service fails', { timeout: TIMEOUT }, () => {
  it('says the rating could not be sent when the service was stopped, and saves it once it is back', async () => {
    await env.startService();
    const { context, page } = await open();
    await page.goto(env.url(ILARIS));
    assert.equal(await counterText(page), 'This page has had 1 visit today');

    // The service dies (no goodbye): the host answers 502.
    await env.service.stop('SIGKILL');
    assert.equal(await rate(page, 3, 'sent while the service was down'), 502);
    await page.locator('.rating-status', { hasText: FAILED }).waitFor();
    assert.equal(await text(page.locator('.rating-status')), FAILED);
    await assertNoThanks(assert, page, 'service stopped');

    // The service comes back on the same database: a second try is saved.
    const db = env.db;
    await env.startService({ db });
    const again = page.waitForResponse('**/api/feedback/rating');
    await page.locator('.rating-form button[type=submit]').click();
    assert.equal((await again).status(), 201);
    await page.locator('.rating-status', { hasText: THANKS }).waitFor();
    const stored = env.report(ILARIS);
    assert.deepEqual(stored.distribution, [0, 0, 1, 0, 0], 'only the second try was stored');
    assert.deepEqual(stored.latest_comments.map((c) => c.text), ['sent while the service was down']);
    await context.close();
  });

  it('says the rating could not be sent when the service refuses the page (400)', async () => {
    // A service that serves another site (`medsite init`), one without Ilaris.
    const other = initSite();
    let otherBuild;
    try {
      otherBuild = buildSite({ root: other.root });
      assert.ok(!fs.existsSync(path.join(otherBuild.dir, 'medications', 'ilaris')));
      await env.startService({ siteDir: otherBuild.dir });
      const { context, page } = await open();
      const visit = page.waitForResponse('**/api/feedback/visit');
      await page.goto(env.url(ILARIS));
      assert.equal((await visit).status(), 400, 'the visit of an unknown page is refused');
      assert.equal(await rate(page, 2, 'refused'), 400);
      await page.locator('.rating-status', { hasText: FAILED }).waitFor();
      await assertNoThanks(assert, page, 'page refused');
      assert.equal(await page.locator('.visit-counter').isVisible(), false, 'the counter stays hidden');
      assert.equal(env.report(ILARIS).ratings, 0);
      await context.close();
    } finally {
      otherBuild?.cleanup();
      other.cleanup();
    }
  });

  it('says the rating could not be sent when the service limits the rate (429)', async () => {
    // One request a minute: the page's visit takes it, the rating is refused.
    await env.startService({ args: ['--rate-limit', '1'] });
    const { context, page } = await open();
    await page.goto(env.url(ILARIS));
    assert.equal(await counterText(page), 'This page has had 1 visit today');
    assert.equal(await rate(page, 5, 'too fast'), 429);
    await page.locator('.rating-status', { hasText: FAILED }).waitFor();
    await assertNoThanks(assert, page, 'rate limited');
    assert.equal(env.report(ILARIS).ratings, 0);
    await context.close();
  });

  it('says the rating could not be sent when the endpoint is a closed port', async () => {
    // A build whose [feedback] endpoint is a port where nothing listens.
    const port = await closedPort();
    const src = copySite({ endpoint: `http://127.0.0.1:${port}/api/feedback` });
    let built;
    let host;
    try {
      built = buildSite({ root: src.root });
      host = await startStatic({ root: built.dir });
      const { context, page } = await open();
      const failed = [];
      page.on('requestfailed', (r) => failed.push(new URL(r.url()).port));
      await page.goto(host.url + ILARIS);
      assert.equal(
        await page.locator('.visit-counter').getAttribute('data-endpoint'),
        `http://127.0.0.1:${port}/api/feedback`,
      );
      await page.locator('label[for="rating-1"]').click();
      await page.locator('.rating-form button[type=submit]').click();
      await page.locator('.rating-status', { hasText: FAILED }).waitFor();
      await assertNoThanks(assert, page, 'closed port');
      assert.equal(await page.locator('.visit-counter').isVisible(), false, 'the counter stays hidden');
      assert.ok(failed.includes(String(port)), `the requests to port ${port} failed: ${failed}`);
      await context.close();
    } finally {
      await host?.close();
      built?.cleanup();
      src.cleanup();
    }
  });
});

describe('without JavaScript', { timeout: TIMEOUT }, () => {
  it('is readable and posts the rating as a plain form', async () => {
    await env.startService();
    const { context, page } = await open({ javaScriptEnabled: false });
    await page.goto(env.url(ILARIS));

    const h1 = page.locator('h1');
    assert.equal(await h1.count(), 1);
    assert.equal(await h1.isVisible(), true);
    assert.match(await text(h1), /Ilaris/);
    for (const sel of ['.summary', '.content', '.content h2', '.review-dates', '.sources', '.rating-form', '.share-email']) {
      assert.equal(await page.locator(sel).first().isVisible(), true, `${sel} is visible without JS`);
    }
    assert.equal(await page.locator('.visit-counter').isVisible(), false, 'the counter stays hidden');
    assert.equal(await page.locator('.share-copy').isVisible(), false);
    assert.equal(await page.locator('.share-native').isVisible(), false);
    assert.equal(await displayed(page.locator('#rated')), false, 'no thanks before rating');

    // Without a choice the browser refuses to submit (required radio); the
    // report below shows that only the one rating reached the service.
    await page.locator('.rating-form button[type=submit]').click();
    assert.equal(await page.evaluate(() => document.querySelector('.rating-form').checkValidity()), false);
    assert.equal(new URL(page.url()).hash, '');

    await page.locator('label[for="rating-5"]').click();
    await page.locator('#rating-comment').fill('Works without script');
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/feedback/rating') && r.request().method() === 'POST');
    await Promise.all([
      page.waitForURL((u) => u.pathname === ILARIS && u.hash === '#rated'),
      page.locator('.rating-form button[type=submit]').click(),
    ]);
    assert.equal((await posted).status(), 303, 'the service answers a form post with 303');
    assert.equal(new URL(page.url()).origin, env.origin, 'the redirect stays on the site');
    const thanks = page.locator('#rated');
    assert.equal(await displayed(thanks), true, 'the thank-you paragraph is shown by :target');
    assert.notEqual(await thanks.evaluate((el) => getComputedStyle(el).display), 'none');
    assert.equal(await text(thanks), THANKS);
    const stored = env.report(ILARIS);
    assert.deepEqual(stored.distribution, [0, 0, 0, 0, 1]);
    assert.deepEqual(stored.latest_comments.map((c) => c.text), ['Works without script']);
    assert.equal(stored.visits_today, 0, 'no visit is counted without JS');
    await context.close();
  });
});
