'use strict';
// The repository stands alone: a fresh clone builds and tests with nothing beside it. No file
// names a path outside the repository (a machine's home, a sibling folder of design notes); the
// facts the tests need live in docs/ (zhenzi-api.md, runtime.md), which must be there.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
// Built, fetched or ignored: not part of a clone.
const SKIP_DIRS = new Set(['.git', 'target', 'dist', 'dist.building', 'dist.old', 'node_modules', 'pkg']);
const TEXT = /\.(js|mjs|cjs|ts|rs|sh|md|json|toml|yml|yaml|wxml|wxss|txt)$|^(build\.sh|LICENSE)$/;

function repoFiles(dir = ROOT) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) out.push(...repoFiles(path.join(dir, e.name)));
    } else if (TEXT.test(e.name)) {
      out.push(path.join(dir, e.name));
    }
  }
  return out;
}

// Written in pieces so this file does not match itself.
const OUTSIDE = [
  ['an absolute path of this machine', new RegExp(['/wo', 'rk/|/ro', 'ot/|/ho', 'me/'].join(''))],
  ['the design notes beside the repository', new RegExp('\\.\\./' + 'shared/[A-Z][A-Z-]+\\.md')],
];

test('no file of the repository names a path outside it', () => {
  const files = repoFiles();
  assert.ok(files.length > 100, `walked the repository (${files.length} files)`);
  const found = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const [what, re] of OUTSIDE) {
      const m = re.exec(text);
      if (m) found.push(`${path.relative(ROOT, file)}: ${what} (${m[0]}…)`);
    }
  }
  assert.deepEqual(found, []);
});

test('the facts files the tests and users rely on are in docs/', () => {
  const api = fs.readFileSync(path.join(ROOT, 'docs/zhenzi-api.md'), 'utf8');
  for (const s of ['## Hosts and routes', '## Error codes', '## Rules', 'https://smsdeveloper.zhenzikj.com', '/sms/send.html', '/sms/send.do']) {
    assert.ok(api.includes(s), `docs/zhenzi-api.md: ${s}`);
  }
  const runtime = fs.readFileSync(path.join(ROOT, 'docs/runtime.md'), 'utf8');
  for (const s of ['WXWebAssembly', '2.14.0', '2.15.0', 'wx.getRandomValues', 'miniprogram_npm', 'Global', '3 s']) {
    assert.ok(runtime.includes(s), `docs/runtime.md: ${s}`);
  }
});
