'use strict';
// .github/workflows/release.yml is never run here, so the little that can be checked without GitHub
// is: a tag push starts it, the tag must match Cargo.toml, every suite runs before the release is
// made, and what it attaches is what tools/release.js writes.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const yml = fs.readFileSync(path.join(ROOT, '.github/workflows/release.yml'), 'utf8');

test('a tag push runs the tag check, ./build.sh test, ./build.sh release, then attaches dist/release/*', () => {
  assert.match(yml, /^on:\n {2}push:\n {4}tags: \['v\*'\]$/m);
  assert.match(yml, /^permissions:\n {2}contents: write/m);
  // Steps, not the header comment: the run lines as they are indented under a step.
  const steps = ['version=$(node tools/version.js)', 'run: ./build.sh test', '\n          ./build.sh release', 'files: dist/release/*'].map((s) => {
    const i = yml.indexOf(s);
    assert.ok(i > 0, `the workflow has ${s}`);
    return i;
  });
  assert.deepEqual([...steps].sort((a, b) => a - b), steps, 'in this order');
  assert.ok(!/\t/.test(yml), 'YAML indents with spaces only');
});

test('tools/version.js prints the Cargo.toml version the tag is compared with', () => {
  const { execFileSync } = require('node:child_process');
  const printed = execFileSync(process.execPath, [path.join(ROOT, 'tools/version.js')], { encoding: 'utf8' }).trim();
  const toml = fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8');
  assert.equal(printed, /^version = "([^"]+)"/m.exec(toml)[1]);
  assert.match(printed, /^\d+\.\d+\.\d+/);
});
