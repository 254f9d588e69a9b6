// The rating widget and the visit counter on a medication page, with
// JavaScript on, with the feedback service failing, and with JavaScript off.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { setup, newContext, displayed, ILARIS, TIMEOUT } from './helpers.mjs';

const THANKS = 'Thank you. Your rating has been saved.';
const FAILED = 'Sorry, your rating could not be sent. Please try again later.';

let env;
before(async () => {
  env = await setup();
}, { timeout: TIMEOUT });
after(async () => {
  await env?.teardown();
});
beforeEach(() => env.server.reset());

const text = (loc) => loc.evaluate((el) => el.textContent.replace(/\s+/g, ' ').trim());

async function counterText(page) {
  const counter = page.locator('.visit-counter');
  await counter.waitFor({ state: 'visible', timeout: 10_000 });
  return text(counter);
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** Asserts nothing on the page claims the rating was saved. */
async function assertNoThanks(page) {
  const status = await text(page.locator('.rating-status'));
  assert.ok(!/thank you/i.test(status), `status must not thank after a failure, got ${JSON.stringify(status)}`);
  assert.equal(await displayed(page.locator('#rated')), false, '#rated must not be displayed');
  const visible = await page.evaluate(() => document.body.innerText);
  assert.ok(!visible.includes('Thank you. Your rating has been saved'), 'no visible text may say the rating was saved');
  assert.equal(await page.locator('.rating-form').isVisible(), true, 'the form stays for another try');
  assert.equal(await page.locator('.rating-form button[type=submit]').isEnabled(), true, 'the button is enabled again');
  const stored = await page.evaluate((p) => {
    try {
      return localStorage.getItem('medsite-rated:' + p);
    } catch {
      return null;
    }
  }, ILARIS);
  assert.equal(stored, null, 'a failed rating is not remembered');
}

describe('with JavaScript', { timeout: TIMEOUT }, () => {
  it('jumps to the rating, counts visits and saves a rating', async () => {
    const context = await newContext(env.browser);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
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

    // The counter appears once the service answers.
    assert.equal(await counterText(page), 'This page has had 1 visit today');
    await page.reload();
    assert.equal(await counterText(page), 'This page has had 2 visits today');
    assert.equal(env.server.visitsToday(ILARIS), 2);

    // Choosing nothing gives a message and sends nothing.
    await page.locator('.rating-form button[type=submit]').click();
    assert.equal(await text(page.locator('.rating-status')), 'Please choose a rating from 1 to 5.');
    assert.equal(env.server.ratings.length, 0);

    // Rate 4 with a comment; the button is disabled while sending.
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
    await page.locator('.rating-form button[type=submit]').click();
    await page.waitForFunction(() => document.querySelector('.rating-form button[type=submit]').disabled);
    release();
    await page.locator('.rating-status', { hasText: THANKS }).waitFor();
    assert.equal(await text(page.locator('.rating-status')), THANKS);
    assert.equal(await page.locator('.rating-form').isVisible(), false, 'the form is hidden after saving');
    assert.deepEqual(env.server.ratings, [{ page: ILARIS, rating: 4, comment, via: 'json' }]);
    await page.unroute('**/api/feedback/rating');

    // After a reload the page remembers (localStorage) and does not ask again.
    await page.reload();
    await page.locator('.rating-already').waitFor({ state: 'visible' });
    assert.equal(await page.locator('.rating-form').isVisible(), false);
    assert.match(await text(page.locator('.rating-already')), /already rated this page/);
    assert.equal(await counterText(page), 'This page has had 3 visits today');
    assert.equal(env.server.ratings.length, 1);
    await context.close();
  });

  it('remembers a plain form post that came back to #rated', async () => {
    const context = await newContext(env.browser);
    const page = await context.newPage();
    await page.goto(env.url(ILARIS + '#rated'));
    assert.equal(await displayed(page.locator('#rated')), true);
    await page.waitForFunction(() => document.querySelector('.rating-form').hidden);
    await page.goto(env.url(ILARIS));
    await page.locator('.rating-already').waitFor({ state: 'visible' });
    await context.close();
  });
});

describe('when the feedback service fails', { timeout: TIMEOUT }, () => {
  it('says the rating could not be sent when the service answers 500', async () => {
    env.server.fail.rating = 500;
    env.server.fail.visit = 500;
    const context = await newContext(env.browser);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const visit = page.waitForResponse('**/api/feedback/visit');
    await page.goto(env.url(ILARIS));
    assert.equal((await visit).status(), 500);
    await page.waitForTimeout(200);
    assert.equal(await page.locator('.visit-counter').isVisible(), false, 'the counter stays hidden');

    await page.locator('label[for="rating-3"]').click();
    const answer = page.waitForResponse('**/api/feedback/rating');
    await page.locator('.rating-form button[type=submit]').click();
    assert.equal((await answer).status(), 500);
    await page.locator('.rating-status', { hasText: FAILED }).waitFor();
    await assertNoThanks(page);
    assert.equal(env.server.ratings.length, 0);

    // The service recovers: a second try succeeds.
    env.server.fail.rating = null;
    await page.locator('.rating-form button[type=submit]').click();
    await page.locator('.rating-status', { hasText: THANKS }).waitFor();
    assert.deepEqual(env.server.ratings, [{ page: ILARIS, rating: 3, comment: '', via: 'json' }]);
    await context.close();
  });

  it('says the rating could not be sent when the service is unreachable', async () => {
    const port = await closedPort();
    const context = await newContext(env.browser);
    // Send every feedback request to a port where nothing listens.
    await context.route('**/api/feedback/**', (route) => {
      const u = new URL(route.request().url());
      u.port = String(port);
      return route.continue({ url: u.href });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(env.url(ILARIS));
    await page.locator('label[for="rating-2"]').click();
    await page.locator('#rating-comment').fill('unreachable');
    await page.locator('.rating-form button[type=submit]').click();
    await page.locator('.rating-status', { hasText: FAILED }).waitFor();
    await assertNoThanks(page);
    assert.equal(await page.locator('.visit-counter').isVisible(), false, 'the counter stays hidden');
    assert.equal(env.server.ratings.length, 0);
    assert.equal(env.server.visitsToday(ILARIS), 0);
    await context.close();
  });

  it('says the rating could not be sent when the connection is refused', async () => {
    const context = await newContext(env.browser);
    await context.route('**/api/feedback/**', (route) => route.abort('connectionrefused'));
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(env.url(ILARIS));
    await page.locator('label[for="rating-1"]').click();
    await page.locator('.rating-form button[type=submit]').click();
    await page.locator('.rating-status', { hasText: FAILED }).waitFor();
    await assertNoThanks(page);
    await context.close();
  });
});

describe('without JavaScript', { timeout: TIMEOUT }, () => {
  it('is readable and posts the rating as a plain form', async () => {
    const context = await newContext(env.browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
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

    // Without a choice the browser refuses to submit (required radio).
    await page.locator('.rating-form button[type=submit]').click();
    await page.waitForTimeout(300);
    assert.equal(new URL(page.url()).hash, '');
    assert.equal(env.server.ratings.length, 0);

    await page.locator('label[for="rating-5"]').click();
    await page.locator('#rating-comment').fill('Works without script');
    await Promise.all([
      page.waitForURL((u) => u.pathname === ILARIS && u.hash === '#rated'),
      page.locator('.rating-form button[type=submit]').click(),
    ]);
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).hash, ILARIS + '#rated');
    const thanks = page.locator('#rated');
    assert.equal(await displayed(thanks), true, 'the thank-you paragraph is shown by :target');
    assert.notEqual(await thanks.evaluate((el) => getComputedStyle(el).display), 'none');
    assert.equal(await text(thanks), THANKS);
    assert.deepEqual(env.server.ratings, [{ page: ILARIS, rating: 5, comment: 'Works without script', via: 'form' }]);
    assert.equal(env.server.visitsToday(ILARIS), 0, 'no visit is counted without JS');
    await context.close();
  });
});
