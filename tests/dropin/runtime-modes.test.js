'use strict';
// The shipped dist/utils under the runtime's harder rules: iOS (the simulator refuses a module
// that exports a Global or uses reference types / multi-value), old iOS (Promise.then on
// setTimeout), no BigInt, Math.random forbidden; and a request-domain whitelist holding only
// the relay. The whole verification-code flow must work in each, with no uncaught error and no
// look-up of a global the mini-program runtime lacks.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { wasmFeatures } = require('../simulator');
const h = require('./helpers.js');

// Globals a phone does not have (docs/runtime.md; the simulator removes them).
const MISSING = [
  'WebAssembly', 'TextEncoder', 'TextDecoder', 'fetch', 'XMLHttpRequest', 'process', 'Buffer', 'crypto',
  'window', 'document', 'self', 'queueMicrotask', 'setImmediate', 'structuredClone', 'atob', 'btoa',
  'SharedArrayBuffer', 'Atomics', 'navigator', 'location', 'localStorage', 'performance',
  'BigInt', 'BigInt64Array', 'BigUint64Array',
];
// The wasm-bindgen glue feature-tests these with `typeof` and falls back to its own UTF-8 code.
const FEATURE_TESTED = new Set(['TextEncoder', 'TextDecoder']);

let sb;
test.before(async () => {
  sb = await h.startSandbox();
});
test.after(() => sb.close());
test.beforeEach(() => sb.reset());

// Turns each missing global into a getter that records the look-up and still gives undefined
// (so `typeof x` stays 'undefined'). Installed before the SDK is required.
function probeMissingGlobals(mp) {
  const touched = new Set();
  for (const name of MISSING) {
    if (Object.prototype.hasOwnProperty.call(mp.global, name)) continue; // present in this mode
    Object.defineProperty(mp.global, name, {
      configurable: true,
      get() {
        touched.add(name);
        return undefined;
      },
    });
  }
  return touched;
}

// The flow a login page runs: sendCode, the code read off the phone, validateCode twice; plus a
// plain send, balance and find. Returns what the page saw.
async function fullFlow(mp, zhenzisms, number) {
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  const sent = await new Promise((resolve) => zhenzisms.client.sendCode(resolve, number, '您的验证码为{code}，5分钟内有效。', '', 300, 6));
  assert.deepStrictEqual(h.plain(sent.data), { code: 0, data: '发送成功' });
  const code = h.codeIn(h.lastMessage(sb, number), '6');
  assert.ok(code, 'no code reached the phone');
  assert.strictEqual(zhenzisms.client.validateCode(number, code === '000000' ? '000001' : '000000'), 'code_error');
  assert.strictEqual(zhenzisms.client.validateCode(number, code), 'ok');
  assert.strictEqual(zhenzisms.client.validateCode(number, code), 'code_used');

  const plainSend = await new Promise((resolve) => zhenzisms.client.send(resolve, { number, message: '模式测试。', messageId: 'mode-' + number }));
  assert.strictEqual(plainSend.data.code, 0);
  const template = await new Promise((resolve) => zhenzisms.client.send(resolve, { number, templateId: '1001', templateParams: [zhenzisms.client.createCode(4, 60, number), '5'] }));
  assert.strictEqual(template.data.code, 0);
  const balance = await new Promise((resolve) => zhenzisms.client.balance(resolve));
  assert.deepStrictEqual(h.plain(balance.data), { code: 0, data: 997 });
  const found = await new Promise((resolve) => zhenzisms.client.findSmsByMessageId(resolve, 'mode-' + number));
  assert.strictEqual(found.data.data.message, '模式测试。');
  await mp.pending();
}

function assertClean(mp, touched) {
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0] && mp.errors[0].stack));
  const errorLogs = mp.logs.filter((l) => l.level === 'error' || l.uncaught);
  assert.deepStrictEqual(errorLogs.map((l) => l.text), []);
  const unexpected = [...touched].filter((n) => !FEATURE_TESTED.has(n));
  assert.deepStrictEqual(unexpected, [], 'the SDK looked up globals a mini-program does not have');
}

const MODES = [
  ['iOS', { ios: true }],
  ['old-iOS Promise', { oldIosPromise: true }],
  ['no BigInt', { noBigInt: true }],
  ['Math.random throws', { mathRandomThrows: true }],
  ['all at once', { ios: true, oldIosPromise: true, noBigInt: true, mathRandomThrows: true }],
];

MODES.forEach(([name, mode], i) => {
  test(`mode ${name}: the full send + validate flow works, with no error and no missing global touched`, async (t) => {
    const mp = h.openMiniProgram(t, sb, { mode });
    const touched = probeMissingGlobals(mp);
    const zhenzisms = h.loadSdk(mp, sb);
    await fullFlow(mp, zhenzisms, '1390013900' + i);
    assertClean(mp, touched);
    if (mode.mathRandomThrows) {
      // The mode is really on: page code calling Math.random would fail.
      assert.throws(() => mp.run('Math.random()'), /Math\.random is not allowed/);
    }
    if (mode.noBigInt) assert.strictEqual(mp.run('typeof BigInt'), 'undefined');
  });
});

test('the probe sees a look-up of a missing global (so the checks above can fail)', async (t) => {
  const mp = h.openMiniProgram(t, sb);
  const touched = probeMissingGlobals(mp);
  mp.run('typeof process === "object" && process.version');
  assert.deepStrictEqual([...touched], ['process']);
});

test('the shipped wasm exports no Global and uses no reference types or multi-value', () => {
  const bytes = zlib.brotliDecompressSync(fs.readFileSync(path.join(h.DIST_UTILS, 'zhenzisms_bg.wasm.br')));
  const f = wasmFeatures(bytes);
  assert.strictEqual(f.exportsGlobal, false, f.details.join('; '));
  assert.strictEqual(f.referenceTypes, false, f.details.join('; '));
  assert.strictEqual(f.multiValue, false, f.details.join('; '));
  assert.strictEqual(f.simd, false, f.details.join('; '));
});

test('requestDomains holding only the relay: the relay is the only host contacted', async (t) => {
  const mp = h.openMiniProgram(t, sb, { requestDomains: [sb.url], mode: { ios: true } });
  const zhenzisms = h.loadSdk(mp, sb);
  await fullFlow(mp, zhenzisms, '13700137000');
  assert.ok(mp.requests.length >= 5);
  const origins = new Set(mp.requests.map((r) => new URL(r.url).origin));
  assert.deepStrictEqual([...origins], [sb.url]);
  assert.strictEqual(h.vendorRequests(sb).length, mp.requests.length);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('without configure({relayUrl}) the default relay is outside this whitelist: refused with 9100, nothing sent anywhere', async (t) => {
  const mp = h.openMiniProgram(t, sb, { requestDomains: [sb.url] });
  const zhenzisms = mp.require('/utils/zhenzisms.js');
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  const res = await zhenzisms.client.send(null, h.NUMBER, '默认中转测试。');
  assert.strictEqual(res.data.code, 9100);
  assert.match(res.errMsg, /url not in domain list/);
  assert.strictEqual(mp.requests.length, 0);
  assert.strictEqual(h.vendorRequests(sb).length, 0);
});
