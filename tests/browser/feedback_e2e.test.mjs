// End to end with the REAL feedback service: the built example site on a
// static host that passes /api/feedback/... on to `medsite feedback serve`
// (one origin, as deployed behind a reverse proxy); chromium counts visits
// and rates with and without JavaScript, `medsite feedback report` must
// show what was sent, and once the service is stopped the widget must say
// so.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, newContext, displayed, text, counterText, report, pollReport, ILARIS, THANKS, FAILED, TIMEOUT } from './helpers.mjs';

const COMMENT = 'End to end: clear and helpful.';
const WAIT = 10_000; // every single browser wait

let env;
before(async () => {
  env = await startSite();
}, { timeout: TIMEOUT });
after(async () => {
  await env?.teardown();
});

const url = (p) => env.url(p);

async function page(options) {
  const context = await newContext(env.browser, options);
  const p = await context.newPage();
  p.setDefaultTimeout(WAIT);
  p.setDefaultNavigationTimeout(WAIT);
  return { context, page: p };
}

describe('with the real feedback service', { timeout: TIMEOUT }, () => {
  it('counts visits and saves ratings with and without JavaScript', async () => {
    // 1. The counter appears once the service answers, and counts reloads.
    const { context, page: p } = await page();
    const firstVisit = p.waitForResponse('**/api/feedback/visit', { timeout: WAIT });
    await p.goto(url(ILARIS));
    assert.equal(
      await p.locator('.visit-counter').getAttribute('data-endpoint'),
      env.service.prefix,
      "the site's [feedback] endpoint is where the service runs",
    );
    assert.equal((await firstVisit).status(), 200, 'the visit went through the proxy to the service');
    assert.equal(await counterText(p, WAIT), 'This page has had 1 visit today');
    await p.reload();
    assert.equal(await counterText(p, WAIT), 'This page has had 2 visits today');

    // 2. JavaScript on: rate 4 with a comment.
    await p.locator('label[for="rating-4"]').click();
    assert.equal(await p.locator('#rating-4').isChecked(), true);
    await p.locator('#rating-comment').fill(COMMENT);
    const answer = p.waitForResponse('**/api/feedback/rating', { timeout: WAIT });
    await p.locator('.rating-form button[type=submit]').click();
    assert.equal((await answer).status(), 201, 'the service stored the rating');
    await p.locator('.rating-status', { hasText: THANKS }).waitFor({ timeout: WAIT });
    assert.equal(await text(p.locator('.rating-status')), THANKS);
    assert.equal(await p.locator('.rating-form').isVisible(), false, 'the form is hidden after saving');
    await context.close();

    // 3. JavaScript off: a plain form post, 303 back to the page's #rated.
    const noJs = await page({ javaScriptEnabled: false });
    await noJs.page.goto(url(ILARIS));
    assert.equal(await noJs.page.locator('.visit-counter').isVisible(), false, 'no counter without JS');
    await noJs.page.locator('label[for="rating-2"]').click();
    assert.equal(await noJs.page.locator('#rating-2').isChecked(), true);
    const posted = noJs.page.waitForResponse(
      (r) => r.url().endsWith('/api/feedback/rating') && r.request().method() === 'POST',
      { timeout: WAIT },
    );
    await Promise.all([
      noJs.page.waitForURL((u) => u.pathname === ILARIS && u.hash === '#rated', { timeout: WAIT }),
      noJs.page.locator('.rating-form button[type=submit]').click(),
    ]);
    const res = await posted;
    assert.equal(res.status(), 303, 'a form post gets 303');
    assert.equal(res.headers()['location'], `${ILARIS}#rated`);
    const landed = new URL(noJs.page.url());
    assert.equal(landed.origin, env.origin, 'the redirect stays on the site');
    assert.equal(landed.pathname + landed.hash, ILARIS + '#rated');
    const thanks = noJs.page.locator('#rated');
    assert.equal(await displayed(thanks), true, 'the thank-you is shown by :target');
    assert.equal(await text(thanks), THANKS);
    await noJs.context.close();

    // 4. The report shows both ratings, the comment and the visits.
    // Visit counts reach the database within a second.
    await pollReport(env.db, ILARIS, (x) => x.visits_today >= 2);
    const r = report(env.db);
    const ilaris = r.pages.find((x) => x.page === ILARIS);
    assert.ok(ilaris, `the report lists ${ILARIS}: ${JSON.stringify(r)}`);
    assert.equal(ilaris.ratings, 2, JSON.stringify(ilaris));
    assert.deepEqual(ilaris.distribution, [0, 1, 0, 1, 0]);
    assert.equal(ilaris.mean, 3);
    assert.ok(
      ilaris.latest_comments.some((c) => c.text === COMMENT && c.rating === 4),
      `the comment is among latest_comments: ${JSON.stringify(ilaris.latest_comments)}`,
    );
    assert.equal(ilaris.visits_today, 2, 'two visits with JavaScript, none without');
    assert.ok(ilaris.visits_7_days >= ilaris.visits_today && ilaris.visits_30_days >= ilaris.visits_7_days);
    const others = r.pages.filter((x) => x.page !== ILARIS && x.ratings > 0);
    assert.deepEqual(others, [], 'no other page got a rating');
    assert.deepEqual(
      env.host.proxied.map((x) => x.status).filter((s) => s >= 400),
      [],
      `every forwarded request succeeded: ${JSON.stringify(env.host.proxied)}`,
    );

    // 5. The service stops: the widget must not claim success.
    const exit = await env.service.stop();
    assert.ok(exit, 'the service stopped');
    const down = await page();
    const visit = down.page.waitForResponse('**/api/feedback/visit', { timeout: WAIT });
    await down.page.goto(url(ILARIS));
    assert.equal((await visit).status(), 502, 'the proxy answers 502 without the service');
    assert.equal(
      await down.page.evaluate((pg) => localStorage.getItem('medsite-rated:' + pg), ILARIS),
      null,
      'a new context starts without a remembered rating',
    );
    assert.equal(await down.page.locator('.rating-form').isVisible(), true, 'the form is offered');
    await down.page.locator('label[for="rating-5"]').click();
    const failed = down.page.waitForResponse('**/api/feedback/rating', { timeout: WAIT });
    await down.page.locator('.rating-form button[type=submit]').click();
    assert.equal((await failed).status(), 502);
    await down.page.locator('.rating-status', { hasText: FAILED }).waitFor({ timeout: WAIT });
    assert.equal(await text(down.page.locator('.rating-status')), FAILED);
    const visible = await down.page.evaluate(() => document.body.innerText);
    assert.ok(!/thank you/i.test(visible), 'no visible "Thank you" after a failure');
    assert.equal(await displayed(down.page.locator('#rated')), false, '#rated is not displayed');
    assert.equal(await down.page.locator('.rating-form').isVisible(), true, 'the form stays for another try');
    assert.equal(await down.page.locator('.visit-counter').isVisible(), false, 'the counter stays hidden');
    assert.equal(
      await down.page.evaluate((pg) => localStorage.getItem('medsite-rated:' + pg), ILARIS),
      null,
      'a failed rating is not remembered',
    );
    await down.context.close();

    // Nothing sent after the stop reached the database.
    const final = report(env.db).pages.find((x) => x.page === ILARIS);
    assert.deepEqual(final.distribution, [0, 1, 0, 1, 0], 'the failed rating was not stored');
  });
});
