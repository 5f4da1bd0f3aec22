'use strict';
// getRandomValues, UI recording, system/account info.

const test = require('node:test');
const assert = require('node:assert');
const { createMiniProgram } = require('./index.js');
const { makeRoot, removeRoot } = require('./fixtures.js');

const root = makeRoot({});
test.after(() => removeRoot(root));

function withMp(opts, fn) {
  return async () => {
    const mp = createMiniProgram(Object.assign({ root }, opts));
    try { await fn(mp); } finally { mp.dispose(); }
  };
}

test('getRandomValues is asynchronous and gives an ArrayBuffer of the context', withMp({}, async (mp) => {
  mp.run(`
    globalThis.r = { order: [] };
    wx.getRandomValues({ length: 16, success: function (res) {
      r.order.push('success');
      r.isAB = res.randomValues instanceof ArrayBuffer;
      r.len = res.randomValues.byteLength;
      r.bytes = Array.prototype.slice.call(new Uint8Array(res.randomValues));
      r.errMsg = res.errMsg;
    }, complete: function () { r.order.push('complete'); } });
    r.order.push('sync');
  `);
  assert.deepStrictEqual([...mp.global.r.order], ['sync']);
  await mp.pending();
  const r = mp.global.r;
  assert.deepStrictEqual([...r.order], ['sync', 'success', 'complete']);
  assert.strictEqual(r.isAB, true);
  assert.strictEqual(r.len, 16);
  assert.strictEqual(r.errMsg, 'getRandomValues:ok');
  assert.ok(r.bytes.some((b) => b !== 0));
}));

test('getRandomValues: callback comes after an already-queued setTimeout 0', withMp({}, async (mp) => {
  mp.run(`globalThis.seq = []; setTimeout(function () { seq.push('timer'); }, 0);
    wx.getRandomValues({ length: 1, success: function () { seq.push('random'); } });`);
  await mp.pending();
  assert.deepStrictEqual([...mp.global.seq], ['timer', 'random']);
}));

test('getRandomValues lengths: 1 and 1048576 work; 0, 1048577, 1.5, "8" fail', withMp({}, async (mp) => {
  mp.run(`
    globalThis.res = {};
    [1, 1048576, 0, 1048577, 1.5, '8', undefined].forEach(function (n) {
      wx.getRandomValues({ length: n,
        success: function (r) { res[String(n)] = r.randomValues.byteLength; },
        fail: function (e) { res[String(n)] = e.errMsg; } });
    });
  `);
  await mp.pending();
  const res = mp.global.res;
  assert.strictEqual(res['1'], 1);
  assert.strictEqual(res['1048576'], 1048576);
  for (const k of ['0', '1048577', '1.5', '8', 'undefined']) assert.match(res[k], /^getRandomValues:fail invalid length/, k);
}));

test('getRandomValues Promise form', withMp({}, async (mp) => {
  mp.run(`wx.getRandomValues({ length: 4 }).then(function (r) { globalThis.pl = r.randomValues.byteLength; });`);
  await mp.pending();
  assert.strictEqual(mp.global.pl, 4);
}));

test('showToast / showModal / showLoading / hideLoading / navigateTo are recorded', withMp({}, async (mp) => {
  mp.modalAnswer = false;
  mp.run(`
    wx.showToast({ title: '已发送', icon: 'success' });
    wx.showLoading({ title: 'wait' });
    wx.hideLoading();
    wx.showModal({ title: 'T', content: 'C', success: function (r) { globalThis.modal = [r.confirm, r.cancel]; } });
    wx.navigateTo({ url: '/pages/x/x' });
  `);
  await mp.pending();
  assert.deepStrictEqual(mp.toasts, [{ title: '已发送', icon: 'success' }]);
  assert.deepStrictEqual(mp.ui.map((u) => u.api), ['showToast', 'showLoading', 'hideLoading', 'showModal']);
  assert.deepStrictEqual([...mp.global.modal], [false, true]);
  assert.deepStrictEqual(mp.navigations, [{ api: 'navigateTo', url: '/pages/x/x' }]);
}));

test('system and account info', withMp({ sdkVersion: '2.14.0', envVersion: 'release' }, (mp) => {
  const r = mp.run('[wx.getSystemInfoSync(), wx.getAccountInfoSync(), wx.canIUse("getRandomValues")]');
  assert.strictEqual(r[0].SDKVersion, '2.14.0');
  assert.strictEqual(r[0].platform, 'devtools');
  assert.strictEqual(r[1].miniProgram.envVersion, 'release');
  assert.strictEqual(r[1].miniProgram.appId, 'wxsimulator');
  assert.strictEqual(r[2], true);
  assert.strictEqual(mp.run('wx.getSystemInfoSync() instanceof Object'), true);
}));

test('ios mode reports platform ios; default SDKVersion is 3.6.0', withMp({ mode: { ios: true } }, (mp) => {
  assert.strictEqual(mp.run('wx.getSystemInfoSync().platform'), 'ios');
  assert.strictEqual(mp.run('wx.getSystemInfoSync().SDKVersion'), '3.6.0');
}));

test('an exception in a callback is recorded, and later callbacks still run', withMp({}, async (mp) => {
  mp.run(`
    wx.getRandomValues({ length: 1, success: function () { throw new Error('cb boom'); },
      complete: function () { globalThis.completed = true; } });
    wx.getRandomValues({ length: 1, success: function () { globalThis.second = true; } });
  `);
  await mp.pending();
  assert.strictEqual(mp.errors.length, 1);
  assert.strictEqual(mp.errors[0].message, 'cb boom');
  assert.strictEqual(mp.global.completed, true);
  assert.strictEqual(mp.global.second, true);
}));

test('base library 2.14.x: no wx.getRandomValues (it came with 2.15.0)', (t) => {
  const root = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'sim-214-'));
  t.after(() => require('node:fs').rmSync(root, { recursive: true, force: true }));
  const old = createMiniProgram({ root, sdkVersion: '2.14.1' });
  const now = createMiniProgram({ root, sdkVersion: '2.15.0' });
  t.after(() => { old.dispose(); now.dispose(); });
  assert.strictEqual(old.run('typeof wx.getRandomValues'), 'undefined');
  assert.strictEqual(old.run('wx.getSystemInfoSync().SDKVersion'), '2.14.1');
  assert.strictEqual(now.run('typeof wx.getRandomValues'), 'function');
});
