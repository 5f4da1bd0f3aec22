'use strict';
// The downloads used the way the README tells a user to use them, against the local sandbox:
//   - the utils zip unzipped into a mini-program's utils/: a page sends a code and verifies it;
//   - the npm tarball installed into an empty project (npm install <tgz>, offline): Node sends by
//     CommonJS and by an .mjs that imports every public name;
//   - the same installed package built by 构建 npm (miniprogram-ci's packNpm, the official tool,
//     into miniprogram_npm/zhenzisms-wasm/): a page that require('zhenzisms-wasm') sends and verifies.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSandbox } = require('../../sandbox/server.js');
const h = require('./helpers.js');
const { packNpm } = require('../official/ci.js');

let out;
let sb;
let project; // an empty npm project with the tarball installed
before(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-release-'));
  await h.makeRelease(out);
  sb = await startSandbox({ port: 0 });
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-user-'));
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
  // --offline: the package has no dependencies, so nothing may be fetched.
  await h.run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(out, h.NAMES.npm)], { cwd: project });
});
after(async () => {
  for (const dir of [out, project]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (sb) await sb.close();
});

function assertFlow(seen) {
  assert.equal(seen.version, h.VERSION, 'zhenzisms.version');
  assert.deepEqual(seen.sent, { code: 0, data: '发送成功' });
  assert.match(seen.received, /^您的验证码为\d{6}，5分钟内有效。$/);
  assert.equal(seen.result, 'ok', `the received code ${seen.code} is accepted`);
  assert.equal(seen.again, 'code_used', 'and only once');
}

test('the utils zip, unzipped into utils/: a page sends a code and verifies it', async (t) => {
  sb.reset();
  const root = h.tempDir(t, 'zhenzisms-mp-');
  h.unzip(path.join(out, h.NAMES.utils), path.join(root, 'utils'));
  h.writePage(root, '../../utils/zhenzisms.js', sb.url);
  assertFlow(await h.sendAndVerify(t, root, sb));
});

test('npm install <tgz> into an empty project: the package, its LICENSE and no dependencies', () => {
  const installed = path.join(project, 'node_modules/zhenzisms-wasm');
  assert.equal(JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')).version, h.VERSION);
  assert.ok(fs.existsSync(path.join(installed, 'LICENSE')));
  assert.deepEqual(fs.readdirSync(path.join(project, 'node_modules')).filter((n) => !n.startsWith('.')), ['zhenzisms-wasm']);
});

test('Node, CommonJS: require(\'zhenzisms-wasm\') sends through ZhenziClient and the vendor client', async () => {
  const script = path.join(project, 'send.cjs');
  fs.writeFileSync(script, `
const { ZhenziClient, ZhenziError, client, version } = require('zhenzisms-wasm');
(async () => {
  const sms = new ZhenziClient({ apiUrl: process.argv[2], appId: '${h.APP.appId}', appSecret: '${h.APP.appSecret}' });
  const sent = await sms.send({ number: '${h.NUMBER}', message: 'cjs promise' });
  let refused = null;
  try { await sms.send({ number: '123', message: 'x' }); } catch (e) { refused = { isZhenziError: e instanceof ZhenziError, code: e.code }; }
  client.init(process.argv[2], '${h.APP.appId}', '${h.APP.appSecret}');
  const res = await new Promise((resolve) => client.send(resolve, '${h.NUMBER}', 'cjs callback'));
  console.log(JSON.stringify({ version, sent, refused, vendor: res.data }));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
`);
  sb.reset();
  const { stdout } = await h.run(process.execPath, [script, sb.url], { cwd: project });
  assert.deepEqual(JSON.parse(stdout), { version: h.VERSION, sent: '发送成功', refused: { isZhenziError: true, code: 100 }, vendor: { code: 0, data: '发送成功' } });
  assert.deepEqual(sb.inbox(h.NUMBER).map((m) => m.message), ['cjs promise', 'cjs callback']);
});

test('Node, ESM: an .mjs imports every public name of the CommonJS entry by name and sends', async () => {
  const script = path.join(project, 'send.mjs');
  fs.writeFileSync(script, `
import { client, ZhenziClient, ZhenziError, ready, configure, errorInfo, errorTable, version, TencentSmsClient, server } from 'zhenzisms-wasm';
import * as ns from 'zhenzisms-wasm';
import { createRequire } from 'node:module';
const cjs = createRequire(import.meta.url)('zhenzisms-wasm');
const named = { client, ZhenziClient, ZhenziError, ready, configure, errorInfo, errorTable, version, TencentSmsClient, server };
await ready();
const sms = new ZhenziClient({ apiUrl: process.argv[2], appId: '${h.APP.appId}', appSecret: '${h.APP.appSecret}' });
const sent = await sms.send({ number: '${h.NUMBER}', message: 'esm' });
console.log(JSON.stringify({
  // every public name of require('zhenzisms-wasm') is a named export, and these are the same values
  publicNames: Object.keys(cjs).filter((k) => !k.startsWith('_')).sort(),
  namespace: Object.keys(ns).filter((k) => k !== 'default').sort(),
  importedHere: Object.keys(named).sort(),
  same: Object.keys(named).filter((k) => named[k] !== cjs[k]),
  version, sent, reason: errorInfo(108).reason, table: errorTable().length > 10, errorClass: typeof ZhenziError
}));
process.exit(0);
`);
  sb.reset();
  const { stdout } = await h.run(process.execPath, [script, sb.url], { cwd: project });
  const got = JSON.parse(stdout);
  assert.deepEqual(got.namespace, got.publicNames, 'ESM sees every public name');
  assert.deepEqual(got.importedHere, got.publicNames, 'this test imports every public name');
  assert.deepEqual(got.same, [], 'each named import is the CommonJS value itself');
  assert.equal(got.version, h.VERSION);
  assert.equal(got.sent, '发送成功');
  assert.ok(got.reason && got.table && got.errorClass === 'function');
  assert.deepEqual(sb.inbox(h.NUMBER).map((m) => m.message), ['esm']);
});

test('after 构建 npm (miniprogram-ci packNpm, the official tool): require(\'zhenzisms-wasm\') in a page sends and verifies', async (t) => {
  sb.reset();
  const root = h.tempDir(t, 'zhenzisms-mp-npm-');
  // The user's project as 构建 npm finds it: package.json and node_modules beside the pages.
  fs.cpSync(project, root, { recursive: true });
  const packed = await packNpm(root);
  assert.equal(packed.error, undefined, 'packNpm');
  assert.ok(fs.existsSync(path.join(root, 'miniprogram_npm/zhenzisms-wasm/zhenzisms_bg.wasm.br')), 'the module went along');
  h.writePage(root, 'zhenzisms-wasm', sb.url);
  assertFlow(await h.sendAndVerify(t, root, sb));
});
