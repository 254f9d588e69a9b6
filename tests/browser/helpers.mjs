// Shared helpers for the browser tests: build the example site with the
// medsite binary, serve it, and launch Debian's chromium via playwright-core.
//
// Environment:
//   MEDSITE_BIN   medsite binary (default <repo>/target/release/medsite)
//   MEDSITE_SITE  an already built site folder to use instead of building
//   CHROMIUM      browser binary (default /usr/bin/chromium)

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const AXE_PATH = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
export const VNU_JAR = path.join(HERE, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

export const ILARIS = '/medications/ilaris/';

// The pages every accessibility / privacy test walks; the condition page
// is found from /conditions/ at run time.
export const PAGES = ['/', '/medications/', ILARIS, '/conditions/', '/about/', '/404.html'];

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

/** The medsite binary (MEDSITE_BIN or target/release/medsite); throws when missing. */
export function medsiteBin() {
  const bin = process.env.MEDSITE_BIN || path.join(REPO, 'target', 'release', 'medsite');
  if (!fs.existsSync(bin)) {
    throw new Error(`medsite binary not found at ${bin}: run \`cargo build --release\` or set MEDSITE_BIN`);
  }
  return bin;
}

/** Builds the example site (repo root) into a temporary folder. */
export function buildSite() {
  if (process.env.MEDSITE_SITE) {
    return { dir: path.resolve(process.env.MEDSITE_SITE), cleanup() {} };
  }
  const bin = medsiteBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsite-browser-'));
  try {
    execFileSync(bin, ['build', '--output', dir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    const out = `${err.stdout || ''}${err.stderr || ''}`;
    throw new Error(`\`medsite build --output ${dir}\` failed:\n${out}`);
  }
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`medsite build wrote no index.html into ${dir}`);
  }
  return {
    dir,
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches Debian's chromium with the flags every test uses. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Starts the real feedback service, `medsite feedback serve --db DB --site
 * SITE --bind 127.0.0.1:0 [...args]`, and resolves once it printed its
 * address (at most `timeout` ms). Returns {url, origin, prefix, child,
 * output(), stop()}: `url` is the endpoint (http://127.0.0.1:PORT/api/feedback),
 * `origin` http://127.0.0.1:PORT; stop() sends SIGTERM and waits for the
 * exit (SIGKILL after `timeout` ms), resolving with {code, signal}.
 */
export function startFeedbackService({ db, site, args = [], timeout = 15_000 }) {
  const child = spawn(
    medsiteBin(),
    ['feedback', 'serve', '--db', db, '--site', site, '--bind', '127.0.0.1:0', ...args],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let exit = null;
  exited.then((e) => (exit = e));
  const output = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;

  async function stop() {
    if (exit) return exit;
    child.kill('SIGTERM');
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
      stop();
      reject(new Error(`medsite feedback serve printed no address within ${timeout} ms\n${output()}`));
    }, timeout);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start medsite feedback serve: ${err.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`medsite feedback serve exited (code ${code}, signal ${signal}) before listening\n${output()}`));
    });
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /medsite feedback service on (http:\/\/[^/\s]+)(\/\S*?)\/? \(database/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1] + m[2],
          origin: m[1],
          prefix: m[2],
          child,
          output,
          get exited() {
            return exit;
          },
          stop,
        });
      }
    });
  });
}

/** Builds, serves and launches the browser; returns everything a test needs. */
export async function setup() {
  const site = buildSite();
  const server = await startServer({ root: site.dir });
  const browser = await launchBrowser();
  return {
    site,
    server,
    browser,
    url: (p) => server.url + p,
    async teardown() {
      await browser.close().catch(() => {});
      await server.close().catch(() => {});
      site.cleanup();
    },
  };
}

/** A fresh context (own storage) with sensible defaults. */
export function newContext(browser, options = {}) {
  return browser.newContext({
    viewport: { width: 1280, height: 900 },
    serviceWorkers: 'block',
    ...options,
  });
}

/** Recursively lists the .html files under dir. */
export function htmlFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(p));
    else if (entry.isFile() && entry.name.endsWith('.html')) out.push(p);
  }
  return out.sort();
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

/** Upper bound for one suite or setup hook, so a hung browser fails the run. */
export const TIMEOUT = 180_000;
