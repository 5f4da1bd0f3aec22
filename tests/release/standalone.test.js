'use strict';
// The repository stands alone: a fresh clone builds and tests with nothing beside it. No file
// names a path outside the repository (a machine's home, a sibling folder of design notes), every
// NAME.md or repository path a tracked file cites exists, and the facts the tests need live in
// docs/ (zhenzi-api.md, runtime.md), which must be there.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '../..');
const SELF = path.relative(ROOT, __filename).split(path.sep).join('/');
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

// ---- every file or folder a tracked file cites is in the repository ----

// The tracked files (git's list: what a clone holds), and every folder they make.
function tracked() {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT }).toString().split('\0').filter(Boolean);
  const folders = new Set();
  for (const f of files) for (let d = path.posix.dirname(f); d !== '.'; d = path.posix.dirname(d)) folders.add(d);
  return { files, has: (p) => files.includes(p) || folders.has(p), tops: [...new Set(files.filter((f) => f.includes('/')).map((f) => f.split('/')[0]))] };
}

// What counts as a citation: any NAME.md, bare or with folders (`TOOLCHAIN.md`,
// `docs/zhenzi-api.md`), and any path under one of the repository's top folders
// (`src/api.rs`, `tests/cloud/README.md`, `tools/`).
function citations(text, tops) {
  const md = /(?<![\w./@-])((?:[\w.-]+\/)*[\w-]+\.md)\b/g;
  const under = new RegExp(`(?<![\\w./@:-])((?:${tops.map((t) => t.replace('.', '\\.')).join('|')})\\/[\\w./-]*[\\w-])`, 'g');
  return [...text.matchAll(md), ...text.matchAll(under)].map((m) => m[1]);
}

// Named on purpose although no clone holds them, each for its reason.
const NOT_OURS = {
  'tests/docs/conflict-markers.test.js': ['notes.md', 'ok.md', 'untracked.md'], // written into the test's scratch repository
  'tests/docs/runners.test.js': ['x.md', 'tools/nothing-here.js'], // a scratch file; a missing script the runner must refuse
  'tests/cloudbase/protobuf.js': ['src/protobuf/openapi.js'], // a file of the wx-server-sdk package, not of ours
  'tests/demo/page.test.js': ['sandbox/real'], // the demo's target switch (a label), not a path
  'build.sh': ['miniprogram-demo/miniprogram/utils'], // the folder the build makes for the demo's copy of dist/utils
};

// A path git ignores (or whose contents it ignores) is a build output or an installed package.
function ignored(p) {
  return [p, p + '/x'].some((q) => {
    try {
      execFileSync('git', ['check-ignore', '-q', q], { cwd: ROOT, stdio: 'ignore' }); // 0: ignored
      return true;
    } catch (e) {
      return false;
    }
  });
}

/** The citations of `file` (its text `text`) that name nothing in the repository. */
function missing(file, text, repo) {
  const dir = path.posix.dirname(file);
  const found = (c) => {
    if (repo.has(c) || repo.has(path.posix.join(dir, c))) return true;
    if (c.includes('/')) return false;
    // A bare NAME.md: beside the file, in a folder above it, or in docs/.
    for (let d = dir; ; d = path.posix.dirname(d)) {
      if (repo.has(d === '.' ? c : d + '/' + c)) return true;
      if (d === '.') return repo.has('docs/' + c);
    }
  };
  const allowed = NOT_OURS[file] || [];
  return [...new Set(citations(text, repo.tops))]
    .map((c) => c.replace(/\/$/, ''))
    .filter((c) => !found(c) && !allowed.includes(c) && !ignored(c));
}

test('every file or folder a tracked file cites is in the repository (no design notes from outside)', () => {
  const repo = tracked();
  assert.ok(repo.files.length > 100, `git lists the repository (${repo.files.length} files)`);
  const broken = [];
  for (const file of repo.files) {
    // npm's lock files list other packages' files; binaries cite nothing.
    // This file: its allow-list and its fixtures.
    if (/(^|\/)package-lock\.json$|\.(png|jpe?g|wasm|br|ico|zip|tgz)$/.test(file) || file === SELF) continue;
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    if (text.includes('\0')) continue;
    for (const c of missing(file, text, repo)) broken.push(`${file}: ${c}`);
  }
  assert.deepEqual(broken, []);
});

test('the citation check finds what it guards: a design note, a bare name, a moved path', () => {
  const repo = tracked();
  // Written in pieces so this file does not cite them itself.
  const note = ['TOOL', 'CHAIN.md'].join('');
  const text = [`(${note} gotcha 2)`, 'see docs/' + 'nowhere.md', 'moved to tools/' + 'sandbox.js', 'src/api.rs', 'README.md', 'guide.md', 'sandbox/README.md'].join('\n');
  assert.deepEqual(missing('src/x.rs', text, repo), [note, 'docs/' + 'nowhere.md', 'tools/' + 'sandbox.js']);
  assert.deepEqual(missing('tests/release/x.js', 'fuzz/' + 'artifacts/ and target/' + 'x', repo), [], 'build outputs git ignores');
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
