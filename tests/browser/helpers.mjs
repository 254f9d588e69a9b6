// Shared helpers for the browser tests: build the example site with the
// medsite binary, run the REAL services (`medsite feedback serve`, `medsite
// serve`), put the built site on a static host that passes the feedback
// endpoint on to the service, and launch Debian's chromium via
// playwright-core.
//
// Environment:
//   MEDSITE_BIN   medsite binary (default <repo>/target/release/medsite)
//   CHROMIUM      browser binary (default /usr/bin/chromium)

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStatic } from './static.mjs';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const AXE_PATH = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
export const VNU_JAR = path.join(HERE, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

export const ILARIS = '/medications/ilaris/';
export const THANKS = 'Thank you. Your rating has been saved.';
export const FAILED = 'Sorry, your rating could not be sent. Please try again later.';

// The pages every accessibility / privacy test walks; the condition page
// is found from /conditions/ at run time.
export const PAGES = ['/', '/medications/', ILARIS, '/conditions/', '/about/', '/404.html'];

// The machine's network is closed: nothing in the background, a fresh profile.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Upper bound for one suite or setup hook, so a hung browser fails the run. */
export const TIMEOUT = 180_000;

/** The medsite binary (MEDSITE_BIN or target/release/medsite); throws when missing. */
export function medsiteBin() {
  const bin = process.env.MEDSITE_BIN || path.join(REPO, 'target', 'release', 'medsite');
  if (!fs.existsSync(bin)) {
    throw new Error(`medsite binary not found at ${bin}: run \`cargo build --release\` or set MEDSITE_BIN`);
  }
  return bin;
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `medsite-browser-${prefix}-`));
}

/**
 * A copy of the example site (site.toml, content/, and templates/ and
 * static/ when there) in a temporary folder. `endpoint` replaces the
 * [feedback] endpoint of site.toml.
 */
export function copySite({ endpoint = null } = {}) {
  const root = tempDir('src');
  fs.copyFileSync(path.join(REPO, 'site.toml'), path.join(root, 'site.toml'));
  for (const dir of ['content', 'templates', 'static']) {
    if (fs.existsSync(path.join(REPO, dir))) fs.cpSync(path.join(REPO, dir), path.join(root, dir), { recursive: true });
  }
  if (endpoint) {
    const file = path.join(root, 'site.toml');
    const text = fs.readFileSync(file, 'utf8');
    const changed = text.replace(/^endpoint\s*=.*$/m, `endpoint = ${JSON.stringify(endpoint)}`);
    if (changed === text) throw new Error('the example site.toml has no [feedback] endpoint line to replace');
    fs.writeFileSync(file, changed);
  }
  return { root, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** A copy of the site folder tests/fixtures/NAME in a temporary folder. */
export function copyFixture(name) {
  const from = path.join(REPO, 'tests', 'fixtures', name);
  if (!fs.existsSync(path.join(from, 'site.toml'))) throw new Error(`no fixture site at ${from}`);
  const root = tempDir('fixture');
  fs.cpSync(from, root, { recursive: true });
  return { root, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** A new small site written by `medsite init` in a temporary folder. */
export function initSite({ title = 'Browser test site' } = {}) {
  const work = tempDir('init');
  const root = path.join(work, 'site');
  execFileSync(medsiteBin(), ['init', root, '--title', title], { stdio: ['ignore', 'pipe', 'pipe'] });
  return { root, cleanup: () => fs.rmSync(work, { recursive: true, force: true }) };
}

/** Builds the site folder `root` (default: the example site) into a temporary folder. */
export function buildSite({ root = REPO } = {}) {
  const dir = tempDir('site');
  try {
    execFileSync(medsiteBin(), ['build', '--root', root, '--output', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`\`medsite build --root ${root} --output ${dir}\` failed:\n${err.stdout || ''}${err.stderr || ''}`);
  }
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`medsite build wrote no index.html into ${dir}`);
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts `medsite ARGS...` and resolves once it printed a line matching
 * `ready` (at most `timeout` ms). Returns {child, match, output(), exited,
 * stop(signal)}; stop() sends the signal (SIGTERM by default) and waits for
 * the exit (SIGKILL after `timeout` ms), resolving with {code, signal}.
 */
export function startMedsite(args, ready, { timeout = 15_000, cwd = REPO } = {}) {
  const child = spawn(medsiteBin(), args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => (stderr += d));
  let exit = null;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exit = { code, signal }))));
  const output = () => `$ medsite ${args.join(' ')}\nstdout:\n${stdout}\nstderr:\n${stderr}`;

  async function stop(signal = 'SIGTERM') {
    if (exit) return exit;
    child.kill(signal);
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, timeout);
    });
    await Promise.race([exited, late]);
    clearTimeout(timer);
    return exited;
  }

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop('SIGKILL');
      reject(new Error(`medsite printed nothing matching ${ready} within ${timeout} ms\n${output()}`));
    }, timeout);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start medsite: ${err.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`medsite exited (code ${code}, signal ${signal}) before it was ready\n${output()}`));
    });
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = ready.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          match: m,
          output,
          stdout: () => stdout,
          stderr: () => stderr,
          get exited() {
            return exit;
          },
          stop,
        });
      }
    });
  });
}

/**
 * The real feedback service: `medsite feedback serve --db DB --site SITE
 * --bind 127.0.0.1:0 [...args]`. Returns startMedsite()'s handle plus
 * `url` (http://127.0.0.1:PORT/api/feedback), `origin` and `prefix`.
 */
export async function startFeedbackService({ db, site, args = [] }) {
  const s = await startMedsite(
    ['feedback', 'serve', '--db', db, '--site', site, '--bind', '127.0.0.1:0', ...args],
    /feedback service on (http:\/\/127\.0\.0\.1:\d+)(\/\S*?)\/? /,
  );
  return Object.assign(s, { origin: s.match[1], prefix: s.match[2], url: s.match[1] + s.match[2] });
}

/** `medsite feedback report --db DB --format json`, parsed. */
export function report(db) {
  const out = execFileSync(medsiteBin(), ['feedback', 'report', '--db', db, '--format', 'json'], {
    encoding: 'utf8',
    timeout: 15_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out);
}

/** The report's entry for `page` (zeros when the page has none). */
export function pageReport(db, page) {
  const found = report(db).pages.find((p) => p.page === page);
  return (
    found || {
      page,
      ratings: 0,
      distribution: [0, 0, 0, 0, 0],
      latest_comments: [],
      visits_today: 0,
    }
  );
}

/**
 * The report's entry for `page` once `ok(entry)` holds: visit counts reach
 * the database within a second (the service flushes them every 500 ms).
 * Gives up after `ms` and returns the last entry.
 */
export async function pollReport(db, page, ok, ms = 5_000) {
  const end = Date.now() + ms;
  for (;;) {
    const entry = pageReport(db, page);
    if (ok(entry) || Date.now() >= end) return entry;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Today's visits of `page` as the running service counts them (GET .../visits, which counts nothing). */
export async function visitsToday(service, page) {
  const res = await fetch(`${service.url}/visits?page=${encodeURIComponent(page)}`);
  if (res.status !== 200) throw new Error(`GET ${service.url}/visits: ${res.status} ${await res.text()}`);
  return (await res.json()).today;
}

/** A port on 127.0.0.1 where nothing listens. */
export async function closedPort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** Launches Debian's chromium with the flags every test uses and a fresh profile. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * The example site (or the site folder `root`) as deployed: built, on a
 * static host whose feedback endpoint goes to a real `medsite feedback
 * serve` (its own database, no rate limit unless `serviceArgs` set one),
 * and a browser. The site's [feedback] endpoint must be /api/feedback.
 *
 * env.url(p), env.origin, env.port, env.db, env.service, env.host (the
 * static host), env.report(page), env.startService(args) (stops the
 * current service and starts a new one on a fresh database, or on `db`),
 * env.teardown().
 */
export async function startSite({ serviceArgs = ['--rate-limit', '0'], root = REPO } = {}) {
  const site = buildSite({ root });
  const work = tempDir('feedback');
  const env = {
    site,
    work,
    db: null,
    service: null,
    host: null,
    browser: null,
    dbs: 0,
  };
  env.startService = async ({ args = serviceArgs, db = null, siteDir = site.dir } = {}) => {
    if (env.service) await env.service.stop();
    env.db = db || path.join(work, `feedback-${++env.dbs}.sqlite`);
    env.service = await startFeedbackService({ db: env.db, site: siteDir, args });
    if (env.host) env.host.upstream = env.service.origin;
    return env.service;
  };
  try {
    await env.startService();
    if (env.service.prefix !== '/api/feedback') {
      throw new Error(`the service runs under ${env.service.prefix}, not the site's endpoint /api/feedback`);
    }
    env.host = await startStatic({ root: site.dir, upstream: env.service.origin });
    env.browser = await launchBrowser();
  } catch (err) {
    await env.service?.stop();
    await env.host?.close();
    site.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
    throw err;
  }
  env.url = (p) => env.host.url + p;
  env.origin = env.host.url;
  env.port = env.host.port;
  env.report = (page) => pageReport(env.db, page);
  env.visitsToday = (page) => visitsToday(env.service, page);
  env.teardown = async () => {
    await env.browser?.close().catch(() => {});
    await env.host?.close().catch(() => {});
    await env.service?.stop().catch(() => {});
    site.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  };
  return env;
}

/**
 * The live preview, `medsite serve --root ROOT --port 0`; resolves once it
 * serves. Returns startMedsite()'s handle plus `url` (http://127.0.0.1:PORT).
 */
export async function startPreview(root, args = []) {
  const s = await startMedsite(['serve', '--root', root, '--port', '0', ...args], /Serving the site on (http:\/\/127\.0\.0\.1:\d+)\//, {
    timeout: 30_000,
  });
  return Object.assign(s, { url: s.match[1] });
}

/** A fresh context (own storage) with sensible defaults. */
export function newContext(browser, options = {}) {
  return browser.newContext({
    viewport: { width: 1280, height: 900 },
    serviceWorkers: 'block',
    ...options,
  });
}

/** Recursively lists the .html files under dir (the web editor's only with `editor: true`). */
export function htmlFiles(dir, { editor = false } = {}) {
  const walk = (d) => {
    const out = [];
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      // The web editor (/admin/, Decap CMS) is for the site's editors, not
      // a page patients read: left out unless asked for.
      if (entry.isDirectory() && d === dir && entry.name === 'admin' && !editor) continue;
      if (entry.isDirectory()) out.push(...walk(p));
      else if (entry.isFile() && entry.name.endsWith('.html')) out.push(p);
    }
    return out;
  };
  return walk(dir).sort();
}

/** Resolves the first condition page linked from /conditions/. */
export async function conditionPage(page, base) {
  await page.goto(base + '/conditions/');
  const href = await page
    .locator('.condition-list a[href]')
    .evaluateAll((as) => as.map((a) => new URL(a.getAttribute('href'), location.href).pathname)[0]);
  if (!href) throw new Error('no condition page is linked from /conditions/ (.condition-list a)');
  return href;
}

/** Whether an element is displayed (some box rendered, not display:none up the tree). */
export function displayed(locator) {
  return locator.evaluate((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden');
}

/** Whitespace-collapsed text of an element. */
export const text = (loc) => loc.evaluate((el) => el.textContent.replace(/\s+/g, ' ').trim());

/** Waits for the visit counter to show, and returns its text. */
export async function counterText(page, timeout = 10_000) {
  const counter = page.locator('.visit-counter');
  await counter.waitFor({ state: 'visible', timeout });
  return text(counter);
}

/** Asserts nothing on the page claims the rating was saved (and it is not remembered). */
export async function assertNoThanks(assert, page, where) {
  const status = await text(page.locator('.rating-status'));
  assert.ok(!/thank you/i.test(status), `${where}: the status must not thank after a failure, got ${JSON.stringify(status)}`);
  assert.equal(await displayed(page.locator('#rated')), false, `${where}: #rated must not be displayed`);
  const visible = await page.evaluate(() => document.body.innerText);
  assert.ok(!/thank you/i.test(visible), `${where}: no visible text may thank the reader`);
  assert.equal(await page.locator('.rating-form').isVisible(), true, `${where}: the form stays for another try`);
  assert.equal(await page.locator('.rating-form button[type=submit]').isEnabled(), true, `${where}: the button is enabled again`);
  const pagePath = new URL(page.url()).pathname;
  const stored = await page.evaluate((p) => {
    try {
      return localStorage.getItem('medsite-rated:' + p);
    } catch {
      return null;
    }
  }, pagePath);
  assert.equal(stored, null, `${where}: a failed rating is not remembered`);
}

/** The axe-core rule tags every accessibility test runs: WCAG 2.0-2.2 A/AA and best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Runs axe-core (AXE_TAGS) on the loaded page and returns its violations. */
export async function axeViolations(page, tags = AXE_TAGS) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(
    (values) => window.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] }),
    tags,
  );
  return result.violations;
}

/** axe-core violations as readable text: rule, impact, help, and each element with its failure. */
export function describeViolations(violations) {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`).join('\n'),
    )
    .join('\n');
}
