'use strict';
// docs/architecture.md names the code it describes; every name must still be there (issue 20,
// item 6: it once named the deleted `validate::number`). Checked in its backticks:
//   - a path (`src/api.rs`, `pkg-template/shared/`, `dist/utils/…`): in the repository, or a build
//     output (git ignores it);
//   - a file name (`zhenzisms_client.js`): a tracked file of that name, or one the build made;
//   - a Rust path (`api::limits_take`, `request::Config::from_json`, `Request::to_json`): the
//     module's file defines each later part (a fn, struct, enum, const, impl…);
//   - a call or a dotted name (`kit.call(…)`, `storageStore.load`, `buildRequest(op, …)`): the
//     name is defined in the shim, the cloud function, the tools or the test helpers (the
//     core's exports in zhenzisms_core.d.ts), or a bare call is a Rust fn.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '../..');
const DOC = 'docs/architecture.md';

const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT }).toString().split('\0').filter(Boolean);
const folders = new Set();
for (const f of files) for (let d = path.posix.dirname(f); d !== '.'; d = path.posix.dirname(d)) folders.add(d);
const read = (f) => fs.readFileSync(path.join(ROOT, f), 'utf8');

function ignored(p) {
  try {
    execFileSync('git', ['check-ignore', '-q', p], { cwd: ROOT, stdio: 'ignore' });
    return true;
  } catch (e) {
    return false;
  }
}

// Where JS names are defined, and every Rust source with its text.
// (the core's exports by their JS names: zhenzisms_core.d.ts types each one).
const JS = files.filter((f) => /^(pkg-template|tools|tests\/node)\/.*\.(js|d\.ts)$/.test(f)).map(read).join('\n');
const RUST = new Map(files.filter((f) => /^src\/.*\.rs$/.test(f)).map((f) => [f, read(f)]));
// JS names that are the platform's or the language's, not ours.
const PLATFORM = new Set(['wx', 'WXWebAssembly', 'WebAssembly', 'crypto', 'fetch', 'require', 'JSON', 'Math', 'cloud', 'localStorage', 'globalThis', 'Date', 'Promise', 'setTimeout', 'clearTimeout']);

const defines = (text, name) => new RegExp(`\\b(fn|struct|enum|trait|type|const|static|mod)\\s+${name}\\b|\\bimpl(<[^>]*>)?\\s+${name}\\b`).test(text);
const jsDefines = (name) => new RegExp(`\\bfunction\\s+${name}\\b|\\b(var|let|const)\\s+${name}\\b|[{,\\s.]${name}\\s*[:=][^=]|\\b${name}\\s*\\([^)]*\\)\\s*\\{|@typedef\\s+\\{[^}]*\\}\\s+${name}\\b`).test(JS);

/** Why `token` (a backticked span of the doc) names nothing, or null. */
function broken(token) {
  const t = token.trim();
  // A path: has a folder, and is not a Rust path or a call.
  const asPath = /^([\w.-]+\/)+[\w.*…-]*$/.test(t) ? t.replace(/[*…].*$/, '').replace(/\/$/, '') : null;
  if (asPath) return files.includes(asPath) || folders.has(asPath) || ignored(asPath) ? null : 'no such file or folder';
  if (/^[\w.-]+\.(js|rs|ts|json|md|toml|sh)$/.test(t)) {
    const built = ['dist/npm', 'dist/utils', 'dist/cloudfunctions/zhenzisms'].some((d) => fs.existsSync(path.join(ROOT, d, t)));
    return files.some((f) => path.posix.basename(f) === t) || built ? null : 'no file of that name';
  }
  const rust = /^((?:[A-Za-z_]\w*::)+[A-Za-z_]\w*)(\(.*\))?$/.exec(t);
  if (rust) {
    const parts = rust[1].split('::');
    const head = parts[0];
    const module = `src/${head}.rs`;
    if (/^[a-z]/.test(head) && head !== 'wasm_bindgen') {
      if (!RUST.has(module)) return 'no module ' + module;
      const text = [...RUST].filter(([f]) => f === module || f.startsWith(`src/${head}/`)).map(([, s]) => s).join('\n');
      const missing = parts.slice(1).find((p) => !defines(text, p));
      return missing ? `${module} defines no ${missing}` : null;
    }
    // `Type::item`: one source defines both.
    const found = [...RUST.values()].some((s) => parts.every((p) => defines(s, p)));
    return found ? null : 'no source defines ' + parts.join(' and ');
  }
  const js = /^((?:[A-Za-z_$][\w$]*\.)*)([A-Za-z_$][\w$]*)(\(.*\))?$/.exec(t);
  if (js && (js[1] || js[3]) && !PLATFORM.has((js[1] || js[2]).split('.')[0])) {
    // A bare call may be a Rust fn's (the path of one number goes through both).
    const rustFn = !js[1] && [...RUST.values()].some((src) => new RegExp(`\\bfn\\s+${js[2]}\\b`).test(src));
    return jsDefines(js[2]) || rustFn ? null : 'no JS definition of ' + js[2];
  }
  // A bare name: a Rust module or item, a JS definition, or a word the code quotes (a field, an
  // outcome: `'code_expired'`, `("on", …)`).
  if (/^[A-Za-z_$][\w$]*$/.test(t) && !PLATFORM.has(t)) {
    const quoted = new RegExp(`['"]${t}['"]`);
    const known = RUST.has(`src/${t}.rs`) || [...RUST.values()].some((src) => defines(src, t) || quoted.test(src)) || jsDefines(t) || quoted.test(JS);
    return known ? null : 'no definition of ' + t;
  }
  return null;
}

function spans(text) {
  return [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
}

test('every path, file, Rust item and JS function docs/architecture.md names exists', () => {
  const names = [...new Set(spans(read(DOC)))];
  assert.ok(names.length > 100, `read the doc's names (${names.length})`);
  const stale = names.map((n) => [n, broken(n)]).filter(([, why]) => why).map(([n, why]) => `${n}: ${why}`);
  assert.deepEqual(stale, []);
});

test('the check finds what it guards: a deleted fn, a moved path, an unknown JS name', () => {
  // Written in pieces so the repository's citation check (tests/release/standalone.test.js) skips them.
  const stale = ['validate::number', 'tests/' + 'sandbox/server.js', 'kit.decode(text)', 'decodeAnswer', 'Request::to_text', 'zhenzisms_web_old.js'];
  for (const n of stale) assert.ok(broken(n), `${n} is reported`);
  for (const n of ['number::normalise', 'request::Config::from_json', 'Request::to_json', 'sandbox/server.js', 'dist/utils/', 'kit.call(config, op)', 'wx.request', 'zhenzisms_core.js', 'runDirect', 'code_expired', 'tc3']) {
    assert.equal(broken(n), null, n);
  }
});
