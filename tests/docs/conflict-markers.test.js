'use strict';
// tools/conflict-markers.js, which `./build.sh test` runs before anything else: a tracked file with
// merge-conflict markers fails the build, naming the file and the lines; untracked files, binary
// files and lone '=======' lines (Markdown, banners) do not. The markers are built here from
// repeated characters so that this file itself has none.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { findMarkers } = require('../../tools/conflict-markers.js');

const ROOT = path.resolve(__dirname, '../..');
const TOOL = path.join(ROOT, 'tools/conflict-markers.js');
const OURS = `${'<'.repeat(7)} HEAD`;
const BASE = `${'|'.repeat(7)} merged common ancestors`;
const MID = '='.repeat(7);
const THEIRS = `${'>'.repeat(7)} demo`;

test('findMarkers: the lines of a conflict, and nothing in text without one', () => {
  assert.deepEqual(findMarkers(['a', OURS, 'b', MID, 'c', THEIRS, 'd'].join('\n')), [2, 4, 6]);
  assert.deepEqual(findMarkers(['a', OURS, 'b', BASE, 'x', MID, 'c', THEIRS].join('\r\n')), [2, 4, 6, 8]);
  assert.deepEqual(findMarkers(`${'<'.repeat(7)}\nx`), [1], 'a bare marker at the end of its line');
  assert.deepEqual(findMarkers(['Title', MID, 'text'].join('\n')), [], 'a Markdown heading underline alone is not a conflict');
  assert.deepEqual(findMarkers(`say ${OURS} mid-line`), [], 'only at the start of a line');
  assert.deepEqual(findMarkers(`${'<'.repeat(8)} eight`), [], 'eight is not seven');
});

function repo(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-markers-'));
  execFileSync('git', ['init', '-q', dir]);
  for (const [name, body, tracked] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
    if (tracked) execFileSync('git', ['add', name], { cwd: dir });
  }
  return dir;
}

test('the command fails on a tracked file with markers and names it; passes without', (t) => {
  const conflict = ['# Demo', OURS, '中文', MID, 'English', THEIRS, ''].join('\n');
  const dir = repo([
    ['miniprogram-demo/README.md', conflict, true],
    ['notes.md', ['Heading', MID, ''].join('\n'), true],
    ['untracked.md', conflict, false],
    ['image.png', Buffer.concat([Buffer.from([0x89, 0, 0]), Buffer.from(conflict)]), true],
  ]);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const bad = spawnSync(process.execPath, [TOOL, dir], { encoding: 'utf8' });
  assert.equal(bad.status, 1, bad.stdout + bad.stderr);
  assert.match(bad.stderr, /miniprogram-demo\/README\.md: line 2, 4, 6/);
  assert.doesNotMatch(bad.stderr, /notes\.md|untracked\.md|image\.png/);

  fs.writeFileSync(path.join(dir, 'miniprogram-demo/README.md'), '# Demo\n中文\nEnglish\n');
  const good = spawnSync(process.execPath, [TOOL, dir], { encoding: 'utf8' });
  assert.equal(good.status, 0, good.stderr);
  assert.match(good.stdout, /no merge-conflict markers in 3 tracked files/);
});

test('outside a git work tree every file counts, except what the build makes', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-markers-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const conflict = [OURS, 'a', MID, 'b', THEIRS, ''].join('\n');
  for (const [name, body] of [['docs/guide.md', conflict], ['dist/utils/x.js', conflict], ['target/y.txt', conflict], ['ok.md', 'fine\n']]) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
  }
  const run = spawnSync(process.execPath, [TOOL, dir], { encoding: 'utf8', env: Object.assign({}, process.env, { GIT_CEILING_DIRECTORIES: path.dirname(dir) }) });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /docs\/guide\.md: line 1, 3, 5/);
  assert.doesNotMatch(run.stderr, /dist\/|target\//);
});

test('this repository has none, and build.sh checks before the suites run', () => {
  const run = spawnSync(process.execPath, [TOOL], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const buildSh = fs.readFileSync(path.join(ROOT, 'build.sh'), 'utf8');
  const verb = /\n {2}test\)\n([\s\S]*?)\n {4};;/.exec(buildSh);
  assert.ok(verb, 'build.sh has a test verb');
  const steps = verb[1].trim().split(/\s+/);
  assert.equal(steps[0], 'check_conflict_markers', `first, before the set-up: ${steps.join(' ')}`);
  assert.match(buildSh, /\ncheck_conflict_markers\(\) \{\n[\s\S]*?node tools\/conflict-markers\.js/);
});
