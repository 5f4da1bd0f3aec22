'use strict';
// The docs runner must be able to fail: each block here is wrong in a way users met (the snippets
// issue 21 found broken: a top-level await under require, initCloud + send with the route off, a
// TypeScript example that --strict refuses) or in a way the convention forbids, and each is refused.
// The right versions of the same blocks pass, so the refusals are about the fault and nothing else.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { ROOT, parseMarker, blocksOf } = require('./blocks.js');
const runners = require('./runners.js');
const { checkShell } = require('./shell.js');

let sandbox = null;
let n = 0;
const block = (marker, code) => ({ id: `self-test:${++n}`, file: 'self-test', line: 1, code, marker: parseMarker(marker), previous: null });

before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist/npm/zhenzisms.js')), 'dist/ is not built: run ./build.sh build first');
  sandbox = await runners.startDocSandbox();
});
after(async () => {
  if (sandbox) await sandbox.close();
});

test('markers: kind, flags, options; none keeps its reason; a fence without one has no marker', () => {
  const m = parseMarker('page cloud tap=getCode,verify expect=0,ok env.ZHENZI_ROUTES=send');
  assert.equal(m.kind, 'page');
  assert.ok(m.flags.has('cloud'));
  assert.deepEqual(m.options, { tap: 'getCode,verify', expect: '0,ok', 'env.ZHENZI_ROUTES': 'send' });
  assert.equal(parseMarker('none: the output of ./build.sh').reason, 'the output of ./build.sh');
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'zhenzisms-docs-md-'));
  const rel = path.relative(ROOT, path.join(dir, 'x.md'));
  fs.writeFileSync(path.join(dir, 'x.md'), ['# x', '', '```js', 'a()', '```', '<!-- run: node -->', '  ```js', '  b()', '  ```', ''].join('\n'));
  try {
    const [first, second] = blocksOf(rel);
    assert.equal(first.marker, null);
    assert.equal(second.marker.kind, 'node');
    assert.equal(second.code, 'b()', 'the fence indentation is removed');
    assert.equal(second.previous, first);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('node: a top-level await under require fails (the old README snippet); the same in a function passes', async () => {
  const head = "const { ZhenziClient } = require('zhenzisms-wasm');\nconst sms = new ZhenziClient({ apiUrl: 'https://sms_developer.zhenzikj.com', appId, appSecret });\n";
  await assert.rejects(runners.runNode(block('node', `${head}await sms.send({ number: '15811111111', message: '您的订单已发货' });`), sandbox), /node exited 1/);
  const ok = await runners.runNode(block('node', `${head}sms.send({ number: '15811111111', message: '您的订单已发货' }).then(console.log);`), sandbox);
  assert.deepEqual(ok.calls.map((c) => c.answers[0]), ['ok']);
  assert.equal(sandbox.inbox('15811111111').length, 1, 'it really reached the sandbox');
});

test('node: a refused call fails unless expected; nothing leaves loopback', async () => {
  const code = "const { ZhenziClient } = require('zhenzisms-wasm');\nnew ZhenziClient({ apiUrl: 'https://sms_developer.zhenzikj.com', appId, appSecret: 'wrong' }).balance().catch(() => {});";
  await assert.rejects(runners.runNode(block('node', code), sandbox), /not a success: ZhenziClient.balance → 110/);
  await runners.runNode(block('node expect=110', code), sandbox);
  await assert.rejects(runners.runNode(block('node expect=none', "require('https').get('https://example.com/').on('error', (e) => { console.error(e.message); process.exit(3); });"), sandbox), /only loopback is allowed/);
});

test('page: initCloud + send with the route off fails (the old npm README); turned on, or sendCode, passes', async () => {
  const send = "const zhenzisms = require('zhenzisms-wasm');\nzhenzisms.client.initCloud({ name: 'zhenzisms' });\nzhenzisms.client.send(function (res) {}, '15811111111', '您的订单已发货');";
  await assert.rejects(runners.runPage(block('page cloud', send), sandbox), /send → 9001/);
  await runners.runPage(block('page cloud env.ZHENZI_ROUTES=send', send), sandbox);
  await runners.runPage(block('page cloud', "const zhenzisms = require('zhenzisms-wasm');\nzhenzisms.client.initCloud({ name: 'zhenzisms' });\nzhenzisms.client.sendCode(function (res) {}, { number: number, message: '您的验证码为{code}' });"), sandbox);
});

test('page: taps run in order with what the user typed; a wrong expectation, a missing handler or a typo fail', async () => {
  const page = "var zhenzisms = require('../../utils/zhenzisms.js');\nPage({\n  onLoad: function () { zhenzisms.client.init(apiUrl, appId, appSecret); },\n  getCode: function () { zhenzisms.client.sendCode(function () {}, number, '验证码{code}', '', 300, 6); },\n  verify: function () { zhenzisms.client.validateCode(number, inputCode); },\n});";
  const r = await runners.runPage(block('page tap=getCode,verify,verify expect=0,ok,code_used', page), sandbox);
  assert.deepEqual(r.calls.map((c) => c.answers[0]), [0, 'ok', 'code_used']);
  await assert.rejects(runners.runPage(block('page tap=getCode,verify,verify', page), sandbox), /not a success: validateCode → code_used/);
  await assert.rejects(runners.runPage(block('page tap=getCode,check', page), sandbox), /no handler check/);
  await assert.rejects(runners.runPage(block('page expect=none', page.replace('Page(', 'Paeg(')), sandbox), /Paeg is not defined/);
  await assert.rejects(runners.runPage(block('page', 'var x = 1;'), sandbox), /no SDK call was answered/);
  await assert.rejects(runners.runPage(block('page expect=none', 'console.log(undefinedName);'), sandbox), /undefinedName is not defined/);
});

test('page phone: the tap is the getPhoneNumber button\'s event with a fresh code; without the flag the tap has none and falls back to SMS', async () => {
  const page = "var zhenzisms = require('../../utils/zhenzisms.js');\nzhenzisms.client.initCloud({ name: 'zhenzisms' });\nPage({\n  onPhone: function (e) { zhenzisms.client.verifyPhoneNumber(function () {}, e); },\n});";
  const r = await runners.runPage(block('page cloud phone tap=onPhone,onPhone', page), sandbox);
  assert.deepEqual(r.calls.map((c) => c.answers[0]), ['success', 'success'], 'each tap a new code');
  await assert.rejects(runners.runPage(block('page cloud tap=onPhone', page), sandbox), /not a success: verifyPhoneNumber → no_code/);
  await assert.rejects(runners.runPage(block('page phone tap=onPhone', page), sandbox), /phone needs cloud/);
});

test('cloud: a function that answers {ok: false} fails; the guide\'s sign-in function passes', async () => {
  const login = "// cloudfunctions/login/index.js\nconst cloud = require('wx-server-sdk');\ncloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });\nexports.main = async (event) => {\n  const r = await cloud.callFunction({ name: 'zhenzisms', data: { $url: 'checkVerified', number: event.number } });\n  return { ok: r.result.code === 'success' };\n};";
  assert.equal((await runners.runCloud(block('cloud', login), sandbox)).result.ok, true);
  await assert.rejects(runners.runCloud(block('cloud', login.replace('event.number', "'13900000000'")), sandbox), /answered \{"ok":false\}/);
});

test('ts and node blocks under --strict: the old Tencent example fails, the checked one passes', () => {
  const head = "const { TencentSmsClient } = require('zhenzisms-wasm');\nconst sms = new TencentSmsClient({ secretId, secretKey, sdkAppId: '1400006666', signName: '腾讯云' });\n";
  const old = block('node', `${head}sms.send({ number: '13800138000', templateId: '123456', templateParams: ['4321', '5'] }).then(({ statuses }) => {\n  if (!statuses[0].ok) console.log(statuses[0].error.reason);\n});`);
  const fixed = block('node', `${head}sms.send({ number: '13800138000', templateId: '123456', templateParams: ['4321', '5'] }).then(({ statuses }) => {\n  for (const s of statuses) if (!s.ok && s.error) console.log(s.error.reason);\n});`);
  const ts = block('ts', "import { ZhenziClient } from 'zhenzisms-wasm';\nconst sms = new ZhenziClient({ appId: 'a', appSecret: 'b' });\nconst n: string = sms.balance();");
  const found = runners.typeCheck([old, fixed, ts]);
  assert.match(found.get(old.id), /possibly 'undefined'/);
  assert.equal(found.get(fixed.id), '');
  assert.match(found.get(ts.id), /Promise<number>' is not assignable to type 'string'/);
});

test('sh: unknown verbs, commands, files, flags and hosts are refused; the real ones pass', () => {
  const ctx = { ownFiles: new Set(['try.js']) };
  assert.deepEqual(checkShell('./build.sh\n./build.sh demo   # the demo\nnode sandbox/server.js --port 8787\nnode try.js\nnode --test tests/demo/\nsha256sum -c zhenzisms-wasm-utils-<version>.zip.sha256\nnpm install ./zhenzisms-wasm-<version>.tgz\ncurl http://127.0.0.1:8787/__inbox/13800138000', ctx), []);
  const bad = (code) => checkShell(code, ctx).join('\n');
  assert.match(bad('./build.sh deploy'), /no such verb/);
  assert.match(bad('make all'), /does not know/);
  assert.match(bad('node tools/nothing-here.js'), /no such file/);
  assert.match(bad('node sandbox/server.js --listen 8787'), /does not read --listen/);
  assert.match(bad('curl https://sms_developer.zhenzikj.com/sms/send.do'), /only name the local sandbox/);
  assert.match(bad('npm install left-pad'), /only this package/);
  assert.match(bad('unzip zhenzisms-wasm-tools-<version>.zip'), /not a download/);
  assert.match(bad('npm install <path>/dist/nothing'), /dist\/nothing: no such file/);
  assert.deepEqual(checkShell('npm install <path>/dist/npm', ctx), []);
});
