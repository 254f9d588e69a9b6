// A small test server for the browser tests: serves a built site folder
// statically and implements the feedback endpoint (DESIGN.md, "Feedback
// protocol") in memory. node:http only.
//
//   const srv = await startServer({ root: '/tmp/site' });
//   srv.url            -> 'http://127.0.0.1:PORT'
//   srv.ratings        -> [{page, rating, comment, via: 'json'|'form'}]
//   srv.visits         -> Map page -> count (today)
//   srv.requests       -> [{method, url}]  every request received
//   srv.fail.rating = 500   // make /rating answer 500 (null: normal)
//   srv.fail.visit = 500
//   await srv.close()
//
// Proxy mode: startServer({ root, proxy: 'http://127.0.0.1:PORT' }) forwards
// every request under the endpoint (method, path and query, Content-Type,
// Content-Length, Accept, body) to a real `medsite feedback serve` (started
// with the same --prefix as the endpoint) and streams its status, headers
// (Location too) and body back, so the site and the service share one
// origin. The in-memory fake is then unused (ratings/visits stay empty,
// fail.* has no effect); srv.proxied lists {method, url, status} per
// forwarded request (status 502 when the service could not be reached,
// 504 when it did not answer in proxyTimeout ms).
//
// Standalone: node server.mjs SITE_DIR [PORT] [--proxy URL]

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const MAX_BODY = 16 * 1024;
const MAX_COMMENT = 1000;

// Request headers passed on to the real service, and response headers not
// passed back (hop-by-hop: they describe one connection, not the answer).
const PROXY_REQUEST_HEADERS = ['content-type', 'content-length', 'accept'];
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export async function startServer({ root, endpoint = '/api/feedback', port = 0, proxy = null, proxyTimeout = 10_000 } = {}) {
  if (!root) throw new Error('startServer: root is required');
  root = path.resolve(root);
  let upstream = null;
  if (proxy) {
    upstream = new URL(proxy);
    if (upstream.protocol !== 'http:') throw new Error(`startServer: proxy must be an http:// URL, got ${proxy}`);
  }
  const state = {
    ratings: [],
    visits: new Map(),
    requests: [],
    proxied: [],
    fail: { rating: null, visit: null },
  };

  function isKnownPage(page) {
    if (typeof page !== 'string' || !page.startsWith('/') || !page.endsWith('/')) return false;
    if (page.includes('..') || page.includes('\\') || page.includes('\0')) return false;
    const file = path.join(root, page, 'index.html');
    if (!file.startsWith(root + path.sep)) return false;
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  }

  function send(res, status, body, headers = {}) {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    res.writeHead(status, { 'Content-Length': buf.length, ...headers });
    res.end(buf);
  }
  function json(res, status, obj) {
    send(res, status, JSON.stringify(obj), {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
    });
  }

  function readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      // Too large bodies are read to the end (and dropped) so the client
      // gets the 413 answer rather than a reset connection.
      req.on('data', (c) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      req.on('end', () => {
        if (size > MAX_BODY) reject(Object.assign(new Error('body too large'), { status: 413 }));
        else resolve(Buffer.concat(chunks).toString('utf8'));
      });
      req.on('error', reject);
    });
  }

  // Returns {form: bool, fields: object} or throws {status: 400}.
  async function parseFields(req) {
    const type = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
    const text = await readBody(req);
    if (type === 'application/json') {
      let data;
      try {
        data = JSON.parse(text);
      } catch {
        throw Object.assign(new Error('body is not valid JSON'), { status: 400 });
      }
      if (!data || typeof data !== 'object' || Array.isArray(data)) {
        throw Object.assign(new Error('body must be a JSON object'), { status: 400 });
      }
      return { form: false, fields: data };
    }
    if (type === 'application/x-www-form-urlencoded') {
      return { form: true, fields: Object.fromEntries(new URLSearchParams(text)) };
    }
    throw Object.assign(new Error('unsupported content type'), { status: 415 });
  }

  function today(page) {
    const day = new Date().toISOString().slice(0, 10);
    return state.visits.get(`${day} ${page}`) || 0;
  }

  async function feedback(req, res, sub, query) {
    if (sub === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      return json(res, 200, { ok: true });
    }
    if (sub === '/visits' && req.method === 'GET') {
      const page = query.get('page');
      if (!isKnownPage(page)) return json(res, 400, { error: 'unknown page' });
      return json(res, 200, { page, today: today(page) });
    }
    if (sub === '/visit' && req.method === 'POST') {
      if (state.fail.visit) return json(res, state.fail.visit, { error: 'simulated failure' });
      const { fields } = await parseFields(req);
      const page = fields.page;
      if (!isKnownPage(page)) return json(res, 400, { error: 'unknown page' });
      const day = new Date().toISOString().slice(0, 10);
      const key = `${day} ${page}`;
      state.visits.set(key, (state.visits.get(key) || 0) + 1);
      return json(res, 200, { page, today: state.visits.get(key) });
    }
    if (sub === '/rating' && req.method === 'POST') {
      if (state.fail.rating) return json(res, state.fail.rating, { error: 'simulated failure' });
      const { form, fields } = await parseFields(req);
      const { page } = fields;
      if (!isKnownPage(page)) return json(res, 400, { error: 'unknown page' });
      const rating = form ? Number(fields.rating) : fields.rating;
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
        return json(res, 400, { error: 'rating must be a whole number from 1 to 5' });
      }
      const comment = fields.comment == null ? '' : fields.comment;
      if (typeof comment !== 'string') return json(res, 400, { error: 'comment must be text' });
      if ([...comment].length > MAX_COMMENT) {
        return json(res, 400, { error: `comment is longer than ${MAX_COMMENT} characters` });
      }
      state.ratings.push({ page, rating, comment, via: form ? 'form' : 'json' });
      if (form) {
        return send(res, 303, '', { Location: `${page}#rated`, 'Cache-Control': 'no-store' });
      }
      return json(res, 201, { ok: true });
    }
    const known = ['/health', '/visits', '/visit', '/rating'].includes(sub);
    return json(res, known ? 405 : 404, { error: known ? 'method not allowed' : 'not found' });
  }

  // Forwards one request to the real service and streams the answer back.
  function forward(req, res) {
    const record = { method: req.method, url: req.url, status: null };
    state.proxied.push(record);
    const headers = { host: upstream.host };
    for (const name of PROXY_REQUEST_HEADERS) {
      if (req.headers[name] != null) headers[name] = req.headers[name];
    }
    return new Promise((resolve) => {
      let settled = false;
      const finish = () => {
        if (!settled) {
          settled = true;
          resolve();
        }
      };
      const fail = (status, reason) => {
        if (settled) return;
        if (!res.headersSent) {
          record.status = status;
          json(res, status, { ok: false, error: reason });
        } else {
          res.destroy();
        }
        finish();
      };
      const up = http.request(
        {
          protocol: upstream.protocol,
          hostname: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url, // same path and query: the service runs under the same prefix
          headers,
          agent: false, // one connection per request: nothing pooled survives a stopped service
        },
        (upRes) => {
          record.status = upRes.statusCode;
          const out = [];
          for (let i = 0; i < upRes.rawHeaders.length; i += 2) {
            if (!HOP_BY_HOP.has(upRes.rawHeaders[i].toLowerCase())) {
              out.push(upRes.rawHeaders[i], upRes.rawHeaders[i + 1]);
            }
          }
          res.writeHead(upRes.statusCode, upRes.statusMessage, out);
          upRes.pipe(res);
          upRes.on('end', finish);
          upRes.on('error', () => fail(502, 'the feedback service broke off its answer'));
          res.on('close', () => {
            upRes.destroy();
            finish();
          });
        },
      );
      up.setTimeout(proxyTimeout, () => {
        fail(504, `the feedback service did not answer within ${proxyTimeout} ms`);
        up.destroy();
      });
      up.on('error', (err) => fail(502, `the feedback service cannot be reached (${err.code || err.message})`));
      req.on('error', () => up.destroy());
      req.pipe(up);
    });
  }

  function serveStatic(req, res, pathname) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    }
    let rel;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return send(res, 400, 'bad request');
    }
    if (rel.includes('\0')) return send(res, 400, 'bad request');
    let file = path.join(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) return notFound(req, res);
    let st;
    try {
      st = fs.statSync(file);
    } catch {
      return notFound(req, res);
    }
    if (st.isDirectory()) {
      if (!pathname.endsWith('/')) {
        return send(res, 301, '', { Location: pathname + '/' });
      }
      file = path.join(file, 'index.html');
      try {
        st = fs.statSync(file);
      } catch {
        return notFound(req, res);
      }
    }
    if (!st.isFile()) return notFound(req, res);
    const body = fs.readFileSync(file);
    const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function notFound(req, res) {
    let body = 'not found';
    let type = 'text/plain; charset=utf-8';
    try {
      body = fs.readFileSync(path.join(root, '404.html'));
      type = TYPES['.html'];
    } catch {
      /* no 404 page */
    }
    res.writeHead(404, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const server = http.createServer(async (req, res) => {
    state.requests.push({ method: req.method, url: req.url });
    const url = new URL(req.url, 'http://127.0.0.1');
    try {
      if (url.pathname === endpoint || url.pathname.startsWith(endpoint + '/')) {
        if (upstream) return await forward(req, res);
        await feedback(req, res, url.pathname.slice(endpoint.length), url.searchParams);
      } else {
        serveStatic(req, res, url.pathname);
      }
    } catch (err) {
      if (!res.headersSent) json(res, err.status || 500, { error: err.message });
      else res.destroy();
    }
  });
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const addr = server.address();

  return {
    url: `http://127.0.0.1:${addr.port}`,
    port: addr.port,
    root,
    proxy: upstream ? upstream.href : null,
    get ratings() {
      return state.ratings;
    },
    get visits() {
      return state.visits;
    },
    get requests() {
      return state.requests;
    },
    get proxied() {
      return state.proxied;
    },
    fail: state.fail,
    visitsToday: today,
    isKnownPage,
    reset() {
      state.ratings.length = 0;
      state.visits.clear();
      state.requests.length = 0;
      state.proxied.length = 0;
      state.fail.rating = null;
      state.fail.visit = null;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

// Standalone use: node server.mjs SITE_DIR [PORT] [--proxy URL]
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let proxy = null;
  const at = args.indexOf('--proxy');
  if (at >= 0) {
    proxy = args[at + 1];
    args.splice(at, 2);
  }
  const [root, port] = args;
  if (!root || (at >= 0 && !proxy)) {
    console.error('usage: node server.mjs SITE_DIR [PORT] [--proxy http://127.0.0.1:PORT]');
    process.exit(2);
  }
  const srv = await startServer({ root, port: Number(port || 0), proxy });
  const how = proxy ? `proxied to ${srv.proxy}` : 'fake, in memory';
  console.log(`serving ${srv.root} at ${srv.url}/ (feedback at ${srv.url}/api/feedback, ${how})`);
}
