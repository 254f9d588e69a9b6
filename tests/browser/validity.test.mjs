// Every built .html file passes the Nu HTML Checker (vnu-jar) without errors.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSite, htmlFiles, VNU_JAR, TIMEOUT } from './helpers.mjs';

let site;
before(() => {
  site = buildSite();
}, { timeout: TIMEOUT });
after(() => site?.cleanup());

function vnu(files) {
  return new Promise((resolve, reject) => {
    execFile(
      process.env.JAVA || 'java',
      ['-Xss8m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files],
      { maxBuffer: 64 * 1024 * 1024 },
      // vnu exits 1 when it finds errors; the JSON on stderr says which.
      (err, stdout, stderr) => {
        const out = stderr || stdout;
        try {
          resolve(JSON.parse(out));
        } catch {
          reject(new Error(`vnu did not answer JSON (${err ? err.message : 'exit 0'}):\n${out}`));
        }
      },
    );
  });
}

describe('HTML validity', { timeout: TIMEOUT }, () => {
  it('the Nu HTML Checker finds no errors in any built page', async () => {
    assert.ok(fs.existsSync(VNU_JAR), `vnu.jar not found at ${VNU_JAR}`);
    const files = htmlFiles(site.dir, { editor: true });
    assert.ok(files.length >= 6, `expected the example site's pages, found ${files.length} .html files`);
    const { messages } = await vnu(files);
    const errors = messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
    const report = errors
      .map((m) => `${path.relative(site.dir, new URL(m.url).pathname)}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}: ${m.message}\n    ${(m.extract || '').replace(/\n/g, ' ')}`)
      .join('\n');
    assert.equal(errors.length, 0, `vnu errors:\n${report}`);
  });
});
