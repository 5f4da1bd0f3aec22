'use strict';
// Loading the wasm in the mini-program: WXWebAssembly.instantiate is asynchronous, so calls
// made right after require are queued and answered; when the wasm is missing or broken every
// queued call fails cleanly with 9104 (callback once, nothing hangs) and ready() rejects.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const h = require('./helpers.js');

const WASM = 'utils/zhenzisms_bg.wasm.br';

let sb;
test.before(async () => {
  sb = await h.startSandbox();
});
test.after(() => sb.close());
test.beforeEach(() => sb.reset());

// A page's first moments: require, init, and calls at once, before the wasm has loaded.
function startCalls(zhenzisms) {
  const calls = { send: [], balance: [], sendCode: [], find: [] };
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  const returned = [
    zhenzisms.client.send((res) => calls.send.push(res), h.NUMBER, '您好，这是第一条短信。', 'first-1'),
    zhenzisms.client.balance((res) => calls.balance.push(res)),
    zhenzisms.client.sendCode((res) => calls.sendCode.push(res), '13900139000', '您的验证码为{code}。'),
    zhenzisms.client.findSmsByMessageId((res) => calls.find.push(res), 'first-1'),
  ];
  return { calls, returned };
}

// Fails the test instead of hanging when `p` does not settle within `ms`.
function within(p, ms, what) {
  let timer;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
    }),
  ]);
}

async function assertAllFailWith9104(t, mp, zhenzisms) {
  const { calls, returned } = startCalls(zhenzisms);
  const results = await within(Promise.all(returned), 3000, 'the queued calls');
  await within(mp.pending(), 3000, 'the mini-program');
  await h.sleep(30);
  for (const name of Object.keys(calls)) {
    assert.strictEqual(calls[name].length, 1, `${name}: callback called ${calls[name].length} times`);
    const res = calls[name][0];
    assert.strictEqual(res.data.code, 9104, `${name}: ${JSON.stringify(res.data)}`);
    assert.strictEqual(res.data.data, 'SDK 未就绪（WebAssembly 未加载或加载失败）');
    assert.ok(res.error instanceof zhenzisms.ZhenziError, `${name}: res.error`);
    assert.strictEqual(res.error.code, 9104);
    assert.strictEqual(res.error.kind, 'load');
    assert.strictEqual(res.error.retriable, false);
    assert.ok(res.error.solution.includes('wasm'), res.error.solution);
  }
  assert.deepStrictEqual(results.map((r) => r.data.code), [9104, 9104, 9104, 9104]);
  const err = await within(zhenzisms.client.ready().then(() => null, (e) => e), 3000, 'ready()');
  assert.ok(err, 'ready() resolved although the wasm did not load');
  assert.ok(err instanceof zhenzisms.ZhenziError);
  assert.strictEqual(err.code, 9104);
  assert.strictEqual(err.kind, 'load');
  assert.ok(err.detail, 'the rejection says what failed');
  assert.strictEqual(mp.requests.length, 0);
  assert.strictEqual(h.vendorRequests(sb).length, 0);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
  return err;
}

test('calls made right after require, before the wasm is ready, are queued and answered', async (t) => {
  const mp = h.openMiniProgram(t, sb);
  const zhenzisms = h.loadSdk(mp, sb);
  const { calls, returned } = startCalls(zhenzisms);
  // Nothing can have been answered yet: instantiate is asynchronous.
  assert.strictEqual(calls.send.length + calls.balance.length + calls.sendCode.length + calls.find.length, 0);
  assert.throws(() => zhenzisms.client.createCode(6, 60, h.NUMBER), (e) => e.code === 9104);
  await within(Promise.all(returned), 5000, 'the queued calls');
  await h.sleep(30);
  assert.deepStrictEqual(calls.send.map((r) => h.plain(r.data)), [{ code: 0, data: '发送成功' }]);
  assert.strictEqual(calls.balance.length, 1);
  assert.strictEqual(calls.balance[0].data.code, 0);
  assert.ok([999, 1000, 998].includes(calls.balance[0].data.data));
  assert.deepStrictEqual(calls.sendCode.map((r) => h.plain(r.data)), [{ code: 0, data: '发送成功' }]);
  assert.strictEqual(calls.find.length, 1);
  assert.strictEqual(calls.find[0].data.code, 0);
  assert.match(h.lastMessage(sb, '13900139000'), /^您的验证码为\d{6}。$/);
  assert.deepStrictEqual(sb.inbox(h.NUMBER).map((m) => m.message), ['您好，这是第一条短信。']);
  assert.strictEqual(await zhenzisms.client.ready(), true);
  assert.strictEqual(await zhenzisms.ready(), true);
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});

test('ready() resolves to true, and after it the sync helpers work', async (t) => {
  const mp = h.openMiniProgram(t, sb);
  const zhenzisms = h.loadSdk(mp, sb);
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  assert.strictEqual(await within(zhenzisms.client.ready(), 5000, 'ready()'), true);
  const code = zhenzisms.client.createCode(6, 60, h.NUMBER);
  assert.match(code, /^\d{6}$/);
  assert.strictEqual(zhenzisms.client.validateCode(h.NUMBER, code), 'ok');
  assert.strictEqual(zhenzisms.errorInfo(108).reason, '短信余额不足');
  assert.ok(zhenzisms.errorTable().some((e) => e.code === 9104));
});

test('sync createCode and validateCode before ready throw a clear ZhenziError (9104)', async (t) => {
  const mp = h.openMiniProgram(t, sb);
  const zhenzisms = h.loadSdk(mp, sb);
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  for (const call of [() => zhenzisms.client.createCode(6, 60, h.NUMBER), () => zhenzisms.client.validateCode(h.NUMBER, '123456')]) {
    let thrown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown, 'no error was thrown');
    assert.ok(thrown instanceof zhenzisms.ZhenziError);
    assert.strictEqual(thrown.name, 'ZhenziError');
    assert.strictEqual(thrown.code, 9104);
    assert.match(thrown.message, /ready\(\)/, 'the message says to wait for ready()');
  }
  // …and the wasm still loads normally afterwards.
  assert.strictEqual(await zhenzisms.client.ready(), true);
});

test('a missing .wasm.br: every queued call fails with 9104, ready() rejects, nothing hangs', async (t) => {
  const root = h.makeRoot(t);
  fs.rmSync(path.join(root, WASM));
  const mp = h.openMiniProgram(t, sb, { root });
  const zhenzisms = h.loadSdk(mp, sb);
  const err = await assertAllFailWith9104(t, mp, zhenzisms);
  assert.match(err.detail, /zhenzisms_bg\.wasm\.br/);
  // The sync helpers keep throwing the same clear error.
  assert.throws(() => zhenzisms.client.createCode(6, 60, h.NUMBER), (e) => e instanceof zhenzisms.ZhenziError && e.code === 9104);
});

test("a configured wasmPath that is wrong, and no .wasm.br in any probed folder: 9104 naming every path tried", async (t) => {
  const root = h.makeRoot(t);
  fs.rmSync(path.join(root, WASM));
  const mp = h.openMiniProgram(t, sb, { root });
  const zhenzisms = h.loadSdk(mp, sb);
  zhenzisms.client.configure({ wasmPath: '/nope.wasm.br' });
  const err = await assertAllFailWith9104(t, mp, zhenzisms);
  assert.match(err.detail, /nope\.wasm\.br/);
  for (const dir of ['/utils/', '/util/', '/common/', '/lib/', '/pages/utils/', '/static/', '/miniprogram_npm/zhenzisms-wasm/']) {
    assert.ok(err.detail.includes(dir + 'zhenzisms_bg.wasm.br'), `${dir} is not named in: ${err.detail}`);
  }
  assert.match(err.detail, /uni-app/);
  assert.match(err.message, /^SDK 未就绪（WebAssembly 未加载或加载失败） \/ the WebAssembly module is not loaded/);
});

test("a wrong configured wasmPath with the file where the SDK is: the probe finds it", async (t) => {
  const mp = h.openMiniProgram(t, sb);
  const zhenzisms = h.loadSdk(mp, sb);
  zhenzisms.client.configure({ wasmPath: '/nope.wasm.br' });
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  const res = await within(zhenzisms.client.send(null, h.NUMBER, '探测。'), 5000, 'the send');
  assert.deepStrictEqual(h.plain(res.data), { code: 0, data: '发送成功' });
});

test('a corrupt .wasm.br (not brotli): 9104 for every call, ready() rejects', async (t) => {
  const root = h.makeRoot(t);
  fs.writeFileSync(path.join(root, WASM), Buffer.from('this is not a wasm file, nor brotli'));
  const mp = h.openMiniProgram(t, sb, { root });
  await assertAllFailWith9104(t, mp, h.loadSdk(mp, sb));
});

test('a corrupt module inside valid brotli: 9104 for every call, ready() rejects', async (t) => {
  const root = h.makeRoot(t);
  const bytes = zlib.brotliDecompressSync(fs.readFileSync(path.join(root, WASM)));
  // Keep the header, cut the module in the middle of a section.
  fs.writeFileSync(path.join(root, WASM), zlib.brotliCompressSync(bytes.subarray(0, Math.floor(bytes.length / 2))));
  const mp = h.openMiniProgram(t, sb, { root });
  await assertAllFailWith9104(t, mp, h.loadSdk(mp, sb));
});

test('after a failed load, the next call tries again (the file put back)', async (t) => {
  const root = h.makeRoot(t);
  const file = path.join(root, WASM);
  const good = fs.readFileSync(file);
  fs.rmSync(file);
  const mp = h.openMiniProgram(t, sb, { root });
  const zhenzisms = h.loadSdk(mp, sb);
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  const failed = await zhenzisms.client.send(null, h.NUMBER, '第一次。');
  assert.strictEqual(failed.data.code, 9104);
  fs.writeFileSync(file, good);
  const ok = await zhenzisms.client.send(null, h.NUMBER, '第二次。');
  assert.deepStrictEqual(h.plain(ok.data), { code: 0, data: '发送成功' });
  assert.deepStrictEqual(sb.inbox(h.NUMBER).map((m) => m.message), ['第二次。']);
});

test("the wasm moved elsewhere in the package: configure({wasmPath}) right after init finds it", async (t) => {
  const root = h.makeRoot(t);
  fs.mkdirSync(path.join(root, 'libs'));
  fs.renameSync(path.join(root, WASM), path.join(root, 'libs/sms.wasm.br'));
  const mp = h.openMiniProgram(t, sb, { root });
  const zhenzisms = mp.require('/utils/zhenzisms.js');
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001'); // starts loading the default path
  zhenzisms.client.configure({ relayUrl: sb.url, wasmPath: '/libs/sms.wasm.br' });
  const res = await within(zhenzisms.client.send(null, h.NUMBER, '路径测试。'), 5000, 'the send');
  assert.deepStrictEqual(h.plain(res.data), { code: 0, data: '发送成功' });
  assert.strictEqual(await zhenzisms.client.ready(), true);
  assert.match(zhenzisms.client.createCode(6, 60, h.NUMBER), /^\d{6}$/);
});
