'use strict';
// What a new user reads first: the README's first screen and the guide's install section say how to
// get the SDK without Rust (the release zip), then npm, then building — in that order, naming the
// files tools/release.js really makes. The README still opens with ./build.sh and ./build.sh test.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const RELEASES = 'https://github.com/zhenzisms-wasm/zhenzisms-wasm/releases';
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const guide = fs.readFileSync(path.join(ROOT, 'docs/guide.md'), 'utf8');
const releaseTool = fs.readFileSync(path.join(ROOT, 'tools/release.js'), 'utf8');

function inOrder(text, parts, where) {
  let at = -1;
  for (const p of parts) {
    const i = text.indexOf(p, at + 1);
    assert.ok(i > at, `${where}: "${p}" comes after the previous step`);
    at = i;
  }
}

test('the README opens with the two commands', () => {
  const lines = readme.split('\n');
  assert.equal(lines[2], '```sh');
  assert.match(lines[3], /^\.\/build\.sh +#/);
  assert.match(lines[4], /^\.\/build\.sh test +#/);
  assert.equal(lines[5], '```');
});

test('the README\'s first screen: download, then npm, then building', () => {
  const screen = readme.split('\n').slice(0, 40).join('\n');
  inOrder(screen, [`${RELEASES})`, 'zhenzisms-wasm-utils-', '`utils/`', 'npm install zhenzisms-wasm', './build.sh`', './build.sh release'], 'README');
});

test('the guide\'s install section starts the same way, in both languages', () => {
  for (const [heading, next] of [['### 1. 安装到 utils/', '### 3.'], ['### 1. Installing into utils/', '### 3.']]) {
    const start = guide.indexOf(heading);
    assert.ok(start >= 0, heading);
    const section = guide.slice(start, guide.indexOf(next, start));
    inOrder(section, ['Rust', `(${RELEASES})`, 'zhenzisms-wasm-utils-<', '.sha256', '`./build.sh`', '### 2.', 'npm install zhenzisms-wasm'], heading);
  }
});

test('the file names the docs give are the ones the release tool writes', () => {
  for (const name of ['zhenzisms-wasm-utils-${version}.zip', 'zhenzisms-wasm-cloudfunction-${version}.zip']) {
    assert.ok(releaseTool.includes(name), `tools/release.js writes ${name}`);
  }
  for (const text of [readme, guide]) {
    assert.ok(text.includes('zhenzisms-wasm-utils-<') && text.includes('zhenzisms-wasm-cloudfunction-<'));
  }
});
