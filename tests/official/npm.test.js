// The SDK as WeChat's own tools ship it, against the local sandbox (tests/release/helpers.js's
// vendor-D page: send a code, read it from the inbox, verify it):
//   - the upload's compile (miniprogram-ci getCompiledResult: ES6 → ES5, minified) of a project
//     holding dist/utils, and of one using the npm package built by packNpm: the compiled code
//     still sends and verifies in the simulator (iOS rules);
//   - what each check guards, broken: uncompiled code is not ES5; a package without its
//     mini-program build loses the wasm in 构建 npm.
// (install.test.js in tests/release runs the npm tarball through packNpm uncompiled.)
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { startSandbox } = require('../../sandbox/server.js');
const h = require('../release/helpers.js');
const ci = require('./ci.js');

// eslint-disable-next-line import/no-dynamic-require
const acorn = require(path.join(h.ROOT, 'tools', 'node_modules', 'acorn'));

let sb;
let tgz;
before(async () => {
  sb = await startSandbox({ port: 0 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-pack-'));
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir, path.join(h.ROOT, 'dist', 'npm')], { encoding: 'utf8' }).trim().split('\n').pop();
  tgz = path.join(dir, name);
});
after(async () => {
  if (tgz) fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
  if (sb) await sb.close();
});

// A whole mini-program around h.writePage's page, as the compile wants one.
function project(t, sdkPath) {
  const root = h.tempDir(t, 'zhenzisms-ci-');
  h.writePage(root, sdkPath, sb.url);
  fs.writeFileSync(path.join(root, 'app.js'), 'App({});\n');
  fs.writeFileSync(path.join(root, 'pages/login/login.json'), '{}');
  fs.writeFileSync(path.join(root, 'pages/login/login.wxml'), '<view>{{sent.data}}</view><view>{{result}}</view>\n');
  fs.writeFileSync(path.join(root, 'project.config.json'), JSON.stringify({ appid: 'touristappid', compileType: 'miniprogram', setting: { es6: true, minified: true } }));
  return root;
}

// npm install of the packed tarball, then packNpm: miniprogram_npm/ as 构建 npm makes it.
async function withNpmPackage(root, editPackage) {
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tgz], { cwd: root, stdio: 'ignore' });
  if (editPackage) editPackage(path.join(root, 'node_modules/zhenzisms-wasm'));
  const packed = await ci.packNpm(root);
  assert.equal(packed.error, undefined, 'packNpm');
}

async function compiled(t, root, setting) {
  const out = h.tempDir(t, 'zhenzisms-ci-out-');
  const r = await ci.compile(root, path.join(out, 'app'), setting);
  assert.equal(r.error, undefined, 'the compile');
  return { dir: path.join(out, 'app'), files: r.ok.files };
}

const isEs5 = (file) => {
  try {
    acorn.parse(fs.readFileSync(file, 'utf8'), { ecmaVersion: 5, sourceType: 'script' });
    return true;
  } catch (e) {
    return false;
  }
};

function assertFlow(seen) {
  assert.equal(seen.version, h.VERSION, 'zhenzisms.version');
  assert.deepEqual(seen.sent, { code: 0, data: '发送成功' });
  assert.equal(seen.result, 'ok', `the received code ${seen.code} is accepted`);
  assert.equal(seen.again, 'code_used', 'and only once');
}

test('the upload\'s compile of a project holding dist/utils (ES5, minified): a code still sends and verifies', async (t) => {
  sb.reset();
  const root = project(t, '../../utils/zhenzisms.js');
  fs.cpSync(path.join(h.ROOT, 'dist/utils'), path.join(root, 'utils'), { recursive: true });
  const out = await compiled(t, root);
  const js = out.files.filter((f) => f.startsWith('utils/') && f.endsWith('.js'));
  assert.ok(js.length >= 5, 'the SDK files: ' + js.join(', '));
  for (const f of js) assert.ok(isEs5(path.join(out.dir, f)), f + ' is ES5 after the compile');
  assert.ok(out.files.includes('utils/zhenzisms_bg.wasm.br'), 'the module ships with it');
  assertFlow(await h.sendAndVerify(t, out.dir, sb));
});

test('the upload\'s compile of a project using the npm package (packNpm): require(\'zhenzisms-wasm\') still sends and verifies', async (t) => {
  sb.reset();
  const root = project(t, 'zhenzisms-wasm');
  await withNpmPackage(root);
  const out = await compiled(t, root);
  assert.ok(out.files.includes('miniprogram_npm/zhenzisms-wasm/zhenzisms_bg.wasm.br'), 'the module ships: ' + out.files.filter((f) => f.startsWith('miniprogram_npm')).join(', '));
  assert.ok(isEs5(path.join(out.dir, 'miniprogram_npm/zhenzisms-wasm/zhenzisms_client.js')), 'ES5');
  assertFlow(await h.sendAndVerify(t, out.dir, sb));
});

test('broken on purpose: code not put through the compile is not ES5 (what the ES5 check catches)', () => {
  const src = path.join(h.ROOT, 'dist/utils');
  const files = fs.readdirSync(src).filter((f) => f.endsWith('.js'));
  assert.ok(files.some((f) => !isEs5(path.join(src, f))), 'dist/utils as built uses ES2015+ syntax somewhere');
});

test('broken on purpose: a package without its mini-program build (no "miniprogram" field, no miniprogram_dist/) loses the wasm in 构建 npm, and the page cannot send', async (t) => {
  sb.reset();
  const root = project(t, 'zhenzisms-wasm');
  await withNpmPackage(root, (dir) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    delete pkg.miniprogram;
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
    fs.rmSync(path.join(dir, 'miniprogram_dist'), { recursive: true });
  });
  assert.equal(fs.existsSync(path.join(root, 'miniprogram_npm/zhenzisms-wasm/zhenzisms_bg.wasm.br')), false, 'packNpm bundles main into index.js and drops the module');
  const seen = await h.sendAndVerify(t, root, sb).catch((e) => ({ error: e }));
  assert.ok(seen.error || (seen.sent && seen.sent.code !== 0), 'no code goes out: ' + JSON.stringify(seen.sent));
  assert.equal(sb.inbox(h.NUMBER).length, 0);
});
