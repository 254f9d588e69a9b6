// A static host for the browser tests, as a site would be deployed: the
// built site folder served as files, and the site's feedback endpoint
// passed on (reverse proxy) to the REAL `medsite feedback serve`, so that
// the pages and the service share one origin. It knows nothing of the
// feedback protocol: method, path, query, body and the answer pass through
// unchanged. node:http only.
//
//   const srv = await startStatic({ root: '/tmp/site', upstream: service.origin });
//   srv.url          -> 'http://127.0.0.1:PORT'
//   srv.upstream     -> where /api/feedback/... goes (settable; null: 502)
//   srv.proxied      -> [{method, url, status}] every forwarded request
//   await srv.close()
//
// With `prefix: '/sub'` the site is served under /sub/ (as a site whose
// base_url has a path is deployed): /sub/a/ is the folder's a/index.html,
// and every path outside /sub/ is not found.
//
// When the service cannot be reached the host answers 502 (as nginx would),
// and 504 when it does not answer in proxyTimeout ms.
//
// Standalone: node static.mjs SITE_DIR [PORT] [--upstream http://127.0.0.1:PORT]

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// Request headers passed on, and response headers not passed back
// (hop-by-hop: they describe one connection, not the answer).
const PROXY_REQUEST_HEADERS = ['content-type', 'content-length', 'accept', 'origin'];
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

export async function startStatic({ root, endpoint = '/api/feedback', port = 0, upstream = null, proxyTimeout = 10_000, prefix = '' } = {}) {
  if (!root) throw new Error('startStatic: root is required');
  root = path.resolve(root);
  prefix = prefix.replace(/\/+$/, '');
  if (prefix && !prefix.startsWith('/')) throw new Error(`startStatic: prefix must start with /, got ${prefix}`);
  const proxied = [];
  let target = null;
  const setUpstream = (u) => {
    if (u == null) {
      target = null;
      return;
    }
    const url = new URL(u);
    if (url.protocol !== 'http:') throw new Error(`startStatic: upstream must be an http:// URL, got ${u}`);
    target = url;
  };
  setUpstream(upstream);

  function send(res, status, body, headers = {}) {
    const buf = Buffer.from(body);
    res.writeHead(status, { 'Content-Length': buf.length, ...headers });
    res.end(buf);
  }

  // Passes one request on to the service and streams the answer back.
  function forward(req, res) {
    const record = { method: req.method, url: req.url, status: null };
    proxied.push(record);
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
        record.status = status;
        if (!res.headersSent) send(res, status, `${reason}\n`, { 'Content-Type': 'text/plain; charset=utf-8' });
        else res.destroy();
        finish();
      };
      if (!target) {
        req.resume();
        return fail(502, 'no feedback service behind this host');
      }
      const headers = { host: target.host };
      for (const name of PROXY_REQUEST_HEADERS) {
        if (req.headers[name] != null) headers[name] = req.headers[name];
      }
      const up = http.request(
        {
          hostname: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url, // same path and query: the service runs under the same prefix
          headers,
          agent: false, // one connection per request: nothing pooled survives a stopped service
        },
        (upRes) => {
          record.status = upRes.statusCode;
          const out = [];
          for (let i = 0; i < upRes.rawHeaders.length; i += 2) {
            if (!HOP_BY_HOP.has(upRes.rawHeaders[i].toLowerCase())) out.push(upRes.rawHeaders[i], upRes.rawHeaders[i + 1]);
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

  function notFound(req, res) {
    let body = Buffer.from('not found');
    let type = 'text/plain; charset=utf-8';
    try {
      body = fs.readFileSync(path.join(root, '404.html'));
      type = TYPES['.html'];
    } catch {
      /* no 404 page */
    }
    res.writeHead(404, { 'Content-Type': type, 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function serveFile(req, res, pathname) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
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
      if (!pathname.endsWith('/')) return send(res, 301, '', { Location: prefix + pathname + '/' });
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

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    try {
      if (url.pathname === endpoint || url.pathname.startsWith(endpoint + '/')) await forward(req, res);
      else if (!prefix) serveFile(req, res, url.pathname);
      else if (url.pathname === prefix) send(res, 301, '', { Location: prefix + '/' });
      else if (url.pathname.startsWith(prefix + '/')) serveFile(req, res, url.pathname.slice(prefix.length));
      else notFound(req, res);
    } catch (err) {
      if (!res.headersSent) send(res, 500, `static host: ${err.message}`);
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
    prefix,
    get upstream() {
      return target ? target.origin : null;
    },
    set upstream(u) {
      setUpstream(u);
    },
    proxied,
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

// Standalone use: node static.mjs SITE_DIR [PORT] [--upstream URL]
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let upstream = null;
  const at = args.indexOf('--upstream');
  if (at >= 0) {
    upstream = args[at + 1];
    args.splice(at, 2);
  }
  const [root, port] = args;
  if (!root || (at >= 0 && !upstream)) {
    console.error('usage: node static.mjs SITE_DIR [PORT] [--upstream http://127.0.0.1:PORT]');
    process.exit(2);
  }
  const srv = await startStatic({ root, port: Number(port || 0), upstream });
  console.log(`serving ${srv.root} at ${srv.url}/ (feedback passed on to ${srv.upstream || 'nothing: 502'})`);
}
