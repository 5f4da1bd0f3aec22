// The cloud suites once more, on the real wx-server-sdk 4.0.2 (installed into a copy of the built
// function) against our local CloudBase endpoint: every test file that takes its backend from
// tests/cloud/wx-server-sdk-standin.js runs again with ZHENZISMS_TEST_CLOUD=real, each of its
// tests reported here under the file's name. Each file must have made requests to the endpoint:
// proof it really went through the real SDK.
'use strict';
const { test } = require('node:test');
const { spawn } = require('child_process');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '../..');

// Test files that load the cloud function with the stand-in's createCloudSdk, directly or through
// tests/cloudmode/helpers.js's cloudFunction (the stand-in's own tests and this folder's excepted).
function cloudSuites() {
  const found = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && p !== path.join(ROOT, 'tests', 'cloud') && p !== __dirname) walk(p);
      } else if (e.name.endsWith('.test.js') && /wx-server-sdk-standin|\bcloudFunction\(/.test(fs.readFileSync(p, 'utf8'))) found.push(p);
    }
  };
  walk(path.join(ROOT, 'tests'));
  return found.sort();
}

const suites = cloudSuites();

// `node --test` on one file in a child process → its TAP output.
function runFile(file, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=tap', file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { out += c; });
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

// The file's own tests (TAP lines at column 0), each with the YAML block that follows it.
function topLevelResults(tap) {
  const lines = tap.split('\n');
  const results = [];
  lines.forEach((line, i) => {
    const m = /^(ok|not ok) \d+ - (.*?)(?: # (SKIP|TODO)\b.*)?$/.exec(line);
    if (!m) return;
    let j = i + 1;
    while (j < lines.length && lines[j].startsWith('  ')) j++;
    results.push({ name: m[2].replace(/\\#/g, '#'), ok: m[1] === 'ok', skip: m[3] === 'SKIP', detail: lines.slice(i + 1, j).join('\n') });
  });
  return results;
}

test('the cloud suites are found by their backend (the stand-in\'s createCloudSdk)', () => {
  const names = suites.map((f) => path.relative(ROOT, f).split(path.sep).join('/'));
  for (const expected of ['tests/cloudmode/function.test.js', 'tests/cloudmode/attacks.test.js', 'tests/codes/cloud.test.js', 'tests/tencent/cloud-function.test.js', 'tests/cloudmode/phone.test.js']) {
    assert.ok(names.includes(expected), expected + ' runs on the real SDK too');
  }
});

for (const file of suites) {
  const name = path.relative(ROOT, file).split(path.sep).join('/');
  test(name + ' on the real wx-server-sdk', { timeout: 10 * 60 * 1000 }, async (t) => {
    const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzi-real-')), 'report.jsonl');
    const env = Object.assign({}, process.env, { ZHENZISMS_TEST_CLOUD: 'real', ZHENZISMS_TEST_CLOUD_REPORT: report });
    delete env.NODE_TEST_CONTEXT; // set by node --test for its children: this child is a runner of its own
    const tap = await runFile(file, env);
    const results = topLevelResults(tap);
    assert.ok(results.length > 0, name + ' ran no test');
    for (const r of results) {
      await t.test(r.name, { skip: r.skip }, () => {
        if (!r.ok) throw new Error('failed on the real wx-server-sdk:\n' + r.detail);
      });
    }
    const lines = fs.existsSync(report) ? fs.readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map(JSON.parse) : [];
    const requests = lines.reduce((n, l) => n + l.requests, 0);
    assert.ok(requests > 0, name + ' made no request to the local CloudBase endpoint: it did not run on the real SDK');
  });
}
