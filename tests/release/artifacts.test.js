'use strict';
// `./build.sh release` (tools/release.js over the built dist/): the three downloads, named by the
// Cargo.toml version, each with a SHA-256 file that matches; zips that Info-ZIP's unzip accepts
// and that hold exactly the built folder; the npm tarball with LICENSE, README and the fields
// npm shows; the version stamped into the JS and every package.json; the same bytes twice.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('./helpers.js');

let out;
let stdout;
before(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-release-'));
  stdout = await h.makeRelease(out);
});
after(() => fs.rmSync(out, { recursive: true, force: true }));

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test('three files named by the version, each with a .sha256 in sha256sum format that matches', () => {
  const names = Object.values(h.NAMES);
  assert.deepEqual(fs.readdirSync(out).sort(), names.flatMap((n) => [n, n + '.sha256']).sort());
  for (const name of names) {
    const sum = fs.readFileSync(path.join(out, name + '.sha256'), 'utf8');
    assert.equal(sum, `${sha256(path.join(out, name))}  ${name}\n`);
    assert.ok(stdout.includes(name), `the tool prints ${name}`);
  }
  // The system's own checker agrees (coreutils, present wherever bash is).
  execFileSync('sha256sum', ['-c', ...names.map((n) => n + '.sha256')], { cwd: out, stdio: 'pipe' });
});

test('the zips pass unzip -t and hold exactly dist/utils/ and dist/cloudfunctions/zhenzisms/, files at the root', (t) => {
  for (const [zip, dir] of [[h.NAMES.utils, 'dist/utils'], [h.NAMES.cloud, 'dist/cloudfunctions/zhenzisms']]) {
    execFileSync('unzip', ['-tq', path.join(out, zip)], { stdio: 'pipe' });
    const dest = h.tempDir(t, 'zhenzisms-unzip-');
    h.unzip(path.join(out, zip), dest);
    const want = h.listFiles(path.join(h.ROOT, dir));
    assert.deepEqual(h.listFiles(dest), want, zip);
    assert.ok(want.includes('zhenzisms.js') && want.length >= 5, `${dir} looks like a build`);
    // The function's config.json grants the one-tap 云调用 (上传并部署 applies it): it ships in the zip.
    if (zip === h.NAMES.cloud) assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dest, 'config.json'), 'utf8')).permissions.openapi, ['phonenumber.getPhoneNumber']);
    for (const f of want) {
      assert.ok(fs.readFileSync(path.join(dest, f)).equals(fs.readFileSync(path.join(h.ROOT, dir, f))), `${zip}: ${f} byte for byte`);
      assert.equal(fs.statSync(path.join(dest, f)).mode & 0o777, 0o644, `${zip}: ${f} is rw-r--r--`);
    }
  }
});

test('the version is stamped into the JS and every package.json of the downloads', (t) => {
  const utils = h.tempDir(t, 'zhenzisms-unzip-');
  h.unzip(path.join(out, h.NAMES.utils), utils);
  const cloud = h.tempDir(t, 'zhenzisms-unzip-');
  h.unzip(path.join(out, h.NAMES.cloud), cloud);
  const pkg = h.tempDir(t, 'zhenzisms-tar-');
  execFileSync('tar', ['xzf', path.join(out, h.NAMES.npm), '-C', pkg]);
  assert.equal(h.VERSION === '0.0.0-dev', false, 'Cargo.toml has a real version');
  for (const file of [path.join(cloud, 'zhenzisms_client.js'), path.join(pkg, 'package/zhenzisms_client.js')]) {
    assert.match(fs.readFileSync(file, 'utf8'), new RegExp(`var VERSION = '${h.VERSION.replace(/\./g, '\\.')}';`), file);
  }
  // The minified copies: the value the SDK exports, read by loading the file in Node.
  for (const dir of [utils, path.join(pkg, 'package'), path.join(pkg, 'package/miniprogram_dist')]) {
    assert.equal(require(path.join(dir, 'zhenzisms.js')).version, h.VERSION, dir);
  }
  for (const file of [path.join(cloud, 'package.json'), path.join(pkg, 'package/package.json')]) {
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).version, h.VERSION, file);
  }
  // One source: the templates carry no version of their own to drift from Cargo.toml's.
  for (const dir of ['npm', 'cloudfunction']) {
    assert.equal(JSON.parse(fs.readFileSync(path.join(h.ROOT, 'pkg-template', dir, 'package.json'), 'utf8')).version, undefined, dir);
  }
});

test('the npm tarball: entry points, LICENSE, README in both languages linking the guide, repository/homepage/bugs', (t) => {
  const dir = h.tempDir(t, 'zhenzisms-tar-');
  execFileSync('tar', ['xzf', path.join(out, h.NAMES.npm), '-C', dir]);
  const pkgDir = path.join(dir, 'package');
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const files = h.listFiles(pkgDir);
  for (const f of [pkg.main, pkg.types, 'zhenzisms_bg.wasm', `${pkg.miniprogram}/index.js`, `${pkg.miniprogram}/zhenzisms_bg.wasm.br`, 'LICENSE', 'README.md']) {
    assert.ok(files.includes(f), `the tarball has ${f}`);
  }
  assert.equal(pkg.name, 'zhenzisms-wasm');
  assert.equal(pkg.license, 'MIT');
  assert.equal(fs.readFileSync(path.join(pkgDir, 'LICENSE'), 'utf8'), fs.readFileSync(path.join(h.ROOT, 'LICENSE'), 'utf8'));
  assert.match(fs.readFileSync(path.join(h.ROOT, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) 2026 zhenzisms-wasm contributors\n/);
  const repo = 'https://github.com/zhenzisms-wasm/zhenzisms-wasm';
  assert.equal(pkg.repository.url, `git+${repo}.git`);
  assert.equal(pkg.bugs.url, `${repo}/issues`);
  assert.ok(pkg.homepage.startsWith(repo), pkg.homepage);

  const readme = fs.readFileSync(path.join(pkgDir, 'README.md'), 'utf8');
  const zh = readme.indexOf('\n## 中文');
  const en = readme.indexOf('\n## English');
  assert.ok(zh > 0 && en > zh, 'Chinese first, then English');
  // Every link into the repository points at a file that exists here (the guide above all).
  const links = [...readme.matchAll(new RegExp(`${repo}/blob/main/([^)#\\s]+)`, 'g'))].map((m) => m[1]);
  assert.ok(links.includes('docs/guide.md'), 'links the guide');
  for (const l of links) assert.ok(fs.existsSync(path.join(h.ROOT, l)), `${l} exists in the repository`);
  for (const half of [readme.slice(zh, en), readme.slice(en)]) {
    for (const s of ["require('zhenzisms-wasm')", '构建 npm', 'ZhenziClient', 'initCloud', `${repo}/blob/main/docs/guide.md`]) {
      assert.ok(half.includes(s), `each half mentions ${s}`);
    }
  }
  assert.ok(!files.some((f) => /(^|\/)(tests?|src)\//.test(f) || f.endsWith('.rs')), 'no tests or sources in the package');
});

test('the same dist/ gives the same bytes (sums a user can compare with a rebuild)', async (t) => {
  const again = h.tempDir(t, 'zhenzisms-release-');
  await h.makeRelease(again);
  for (const name of Object.values(h.NAMES)) {
    assert.equal(sha256(path.join(again, name)), sha256(path.join(out, name)), name);
  }
});

test('SOURCE_DATE_EPOCH sets the time of every zip entry', async (t) => {
  const dir = h.tempDir(t, 'zhenzisms-release-');
  await h.makeRelease(dir, { SOURCE_DATE_EPOCH: String(Date.UTC(2027, 4, 6, 7, 8, 10) / 1000) });
  const listing = execFileSync('unzip', ['-Z', '-T', path.join(dir, h.NAMES.utils)], { encoding: 'utf8', env: Object.assign({}, process.env, { TZ: 'UTC' }) });
  const stamps = [...listing.matchAll(/ (\d{8}\.\d{6}) /g)].map((m) => m[1]);
  assert.ok(stamps.length >= 5, listing);
  assert.deepEqual([...new Set(stamps)], ['20270506.070810']);
});

test('a dist/ built as another version is refused, not shipped under the wrong number', async (t) => {
  // A copy of the tool beside a Cargo.toml that says 9.9.9, over the real dist/ (a symlink).
  const root = h.tempDir(t, 'zhenzisms-stale-');
  fs.mkdirSync(path.join(root, 'tools'));
  for (const f of ['release.js', 'zip.js', 'version.js']) fs.copyFileSync(path.join(h.ROOT, 'tools', f), path.join(root, 'tools', f));
  fs.writeFileSync(path.join(root, 'Cargo.toml'), '[package]\nname = "zhenzisms"\nversion = "9.9.9"\n');
  fs.symlinkSync(path.join(h.ROOT, 'dist'), path.join(root, 'dist'));
  await assert.rejects(h.run(process.execPath, [path.join(root, 'tools/release.js'), '--out', path.join(root, 'out')]), (e) => {
    assert.match(e.stderr, new RegExp(`built as ${h.VERSION.replace(/\./g, '\\.')}, Cargo.toml says 9\\.9\\.9`));
    return true;
  });
  assert.ok(!fs.existsSync(path.join(root, 'out')), 'nothing written');
});
