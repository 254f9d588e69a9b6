// The static host the browser tests put the built site on: files, folders,
// 404.html, no way out of the site folder, a site under a path prefix
// (/sub/), and the feedback endpoint passed
// on unchanged to the real `medsite feedback serve` (502 without it).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildSite, startFeedbackService, tempDir, ILARIS, TIMEOUT } from './helpers.mjs';
import { startStatic } from './static.mjs';

let site;
let work;
let service;
let host;
before(async () => {
  site = buildSite();
  work = tempDir('static');
  service = await startFeedbackService({ db: path.join(work, 'f.sqlite'), site: site.dir, args: ['--rate-limit', '0'] });
  host = await startStatic({ root: site.dir, upstream: service.origin });
}, { timeout: TIMEOUT });
after(async () => {
  await host?.close();
  await service?.stop();
  site?.cleanup();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const postJSON = (p, body) =>
  fetch(host.url + '/api/feedback' + p, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    redirect: 'manual',
  });

describe('static host', { timeout: TIMEOUT }, () => {
  it('serves files, index.html for folders and 404.html for missing paths', async () => {
    let res = await fetch(host.url + ILARIS);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), fs.readFileSync(path.join(site.dir, 'medications', 'ilaris', 'index.html'), 'utf8'));
    res = await fetch(host.url + '/medications/ilaris', { redirect: 'manual' });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), ILARIS);
    res = await fetch(host.url + '/nope/');
    assert.equal(res.status, 404);
    assert.equal(await res.text(), fs.readFileSync(path.join(site.dir, '404.html'), 'utf8'));
    for (const out of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd']) {
      res = await fetch(host.url + out);
      assert.equal(res.status, 404, out);
      assert.doesNotMatch(await res.text(), /root:/, out);
    }
  });

  it("passes the feedback endpoint on to the service and brings back its answers", async () => {
    let res = await postJSON('/visit', { page: ILARIS });
    assert.equal(res.status, 200);
    const first = await res.json();
    assert.equal(first.page, ILARIS);
    res = await postJSON('/visit', { page: ILARIS });
    assert.equal((await res.json()).today, first.today + 1, 'the service counted the second visit');
    res = await postJSON('/visit', { page: '/no-such-page/' });
    assert.equal(res.status, 400, 'the service refuses an unknown page');
    res = await fetch(host.url + '/api/feedback/rating', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ page: ILARIS, rating: '5' }),
      redirect: 'manual',
    });
    assert.equal(res.status, 303, 'a form post is redirected by the service');
    assert.equal(res.headers.get('location'), `${ILARIS}#rated`);
    assert.equal(host.proxied.length, 4, JSON.stringify(host.proxied));
    assert.deepEqual(
      host.proxied.map((r) => r.status),
      [200, 200, 400, 303],
    );
  });

  it('serves the site under a path prefix, and nothing outside it', async () => {
    const sub = await startStatic({ root: site.dir, prefix: '/sub/' });
    try {
      let res = await fetch(sub.url + '/sub' + ILARIS);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), fs.readFileSync(path.join(site.dir, 'medications', 'ilaris', 'index.html'), 'utf8'));
      res = await fetch(sub.url + '/sub/medications/ilaris', { redirect: 'manual' });
      assert.equal(res.status, 301);
      assert.equal(res.headers.get('location'), '/sub' + ILARIS);
      res = await fetch(sub.url + '/sub', { redirect: 'manual' });
      assert.equal(res.status, 301);
      assert.equal(res.headers.get('location'), '/sub/');
      for (const out of [ILARIS, '/subx' + ILARIS, '/sub/../etc/passwd', '/sub/%2e%2e/%2e%2e/etc/passwd']) {
        res = await fetch(sub.url + out);
        assert.equal(res.status, 404, out);
        assert.doesNotMatch(await res.text(), /root:/, out);
      }
    } finally {
      await sub.close();
    }
  });

  it('answers 502 when no service is behind it', async () => {
    const upstream = host.upstream;
    host.upstream = null;
    try {
      const res = await postJSON('/visit', { page: ILARIS });
      assert.equal(res.status, 502);
    } finally {
      host.upstream = upstream;
    }
  });
});
