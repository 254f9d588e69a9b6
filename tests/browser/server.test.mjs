// The test server's feedback endpoint follows the protocol in DESIGN.md, so
// the browser tests exercise the theme against the real contract.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';

let dir;
let srv;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsite-server-'));
  fs.mkdirSync(path.join(dir, 'medications', 'ilaris'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!DOCTYPE html><title>home</title>');
  fs.writeFileSync(path.join(dir, 'medications', 'ilaris', 'index.html'), '<!DOCTYPE html><title>ilaris</title>');
  fs.writeFileSync(path.join(dir, '404.html'), '<!DOCTYPE html><title>missing</title>');
  srv = await startServer({ root: dir });
});
after(async () => {
  await srv?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const api = (p, init) => fetch(srv.url + '/api/feedback' + p, { redirect: 'manual', ...init });
const postJSON = (p, body) =>
  api(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const postForm = (p, body) =>
  api(p, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });

describe('test server', () => {
  it('serves files, index.html for folders and 404.html for missing paths', async () => {
    let res = await fetch(srv.url + '/medications/ilaris/');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /ilaris/);
    res = await fetch(srv.url + '/medications/ilaris', { redirect: 'manual' });
    assert.equal(res.status, 301);
    res = await fetch(srv.url + '/nope/');
    assert.equal(res.status, 404);
    assert.match(await res.text(), /missing/);
    res = await fetch(srv.url + '/../../etc/passwd');
    assert.equal(res.status, 404);
  });

  it('answers health, counts visits and reads counts without counting', async () => {
    srv.reset();
    assert.equal((await api('/health')).status, 200);
    let res = await postJSON('/visit', { page: '/medications/ilaris/' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { page: '/medications/ilaris/', today: 1 });
    res = await postJSON('/visit', { page: '/medications/ilaris/' });
    assert.deepEqual(await res.json(), { page: '/medications/ilaris/', today: 2 });
    res = await api('/visits?page=' + encodeURIComponent('/medications/ilaris/'));
    assert.deepEqual(await res.json(), { page: '/medications/ilaris/', today: 2 });
    res = await api('/visits?page=' + encodeURIComponent('/medications/ilaris/'));
    assert.deepEqual(await res.json(), { page: '/medications/ilaris/', today: 2 });
    assert.equal((await postJSON('/visit', { page: '/unknown/' })).status, 400);
  });

  it('stores ratings from JSON (201) and forms (303 to #rated)', async () => {
    srv.reset();
    let res = await postJSON('/rating', { page: '/medications/ilaris/', rating: 4, comment: 'ok' });
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { ok: true });
    res = await postForm('/rating', { page: '/', rating: '5', comment: '' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/#rated');
    assert.deepEqual(srv.ratings, [
      { page: '/medications/ilaris/', rating: 4, comment: 'ok', via: 'json' },
      { page: '/', rating: 5, comment: '', via: 'form' },
    ]);
  });

  it('refuses bad input', async () => {
    srv.reset();
    for (const body of [
      { page: '/medications/ilaris/', rating: 0 },
      { page: '/medications/ilaris/', rating: 6 },
      { page: '/medications/ilaris/', rating: 2.5 },
      { page: '/medications/ilaris/', rating: '4' },
      { page: '/medications/ilaris/', rating: 3, comment: 'x'.repeat(1001) },
      { page: '/unknown/', rating: 3 },
      { page: '/../', rating: 3 },
      { rating: 3 },
    ]) {
      const res = await postJSON('/rating', body);
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
      assert.ok((await res.json()).error);
    }
    assert.equal((await api('/rating', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' })).status, 400);
    assert.equal((await api('/rating', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'x'.repeat(20000) })).status, 413);
    assert.equal(srv.ratings.length, 0);
  });

  it('can simulate failure', async () => {
    srv.reset();
    srv.fail.rating = 500;
    assert.equal((await postJSON('/rating', { page: '/', rating: 3 })).status, 500);
    srv.fail.rating = null;
    assert.equal((await postJSON('/rating', { page: '/', rating: 3 })).status, 201);
  });
});
