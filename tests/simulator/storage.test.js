'use strict';
// wx storage semantics.

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

test('sync set/get/remove/clear; a missing key reads as ""', withMp({}, (mp) => {
  const r = mp.run(`
    var out = {};
    out.missing = wx.getStorageSync('nope');
    wx.setStorageSync('n', 5);
    wx.setStorageSync('s', 'text');
    wx.setStorageSync('o', { a: [1, { b: 2 }] });
    out.n = wx.getStorageSync('n');
    out.s = wx.getStorageSync('s');
    out.o = wx.getStorageSync('o');
    out.oIsObject = out.o instanceof Object && out.o.a instanceof Array;
    wx.removeStorageSync('n');
    out.afterRemove = wx.getStorageSync('n');
    out.keys = wx.getStorageInfoSync().keys.slice().sort();
    out;
  `);
  assert.strictEqual(r.missing, '');
  assert.strictEqual(r.n, 5);
  assert.strictEqual(r.s, 'text');
  assert.deepStrictEqual(JSON.parse(JSON.stringify(r.o)), { a: [1, { b: 2 }] });
  assert.strictEqual(r.oIsObject, true);
  assert.strictEqual(r.afterRemove, '');
  assert.deepStrictEqual([...r.keys], ['o', 's']);
  mp.run("wx.clearStorageSync()");
  assert.strictEqual(mp.storage.size, 0);
}));

test('values are JSON-cloned on write and on read', withMp({}, (mp) => {
  const r = mp.run(`
    var v = { d: new Date(0), f: function () {}, u: undefined, list: [1] };
    wx.setStorageSync('k', v);
    v.list.push(2);                       // later changes do not reach the store
    var read1 = wx.getStorageSync('k');
    read1.list.push(3);                   // nor do changes to what was read
    var read2 = wx.getStorageSync('k');
    ({ read2: read2, hasF: 'f' in read2, hasU: 'u' in read2 });
  `);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(r.read2)), { d: '1970-01-01T00:00:00.000Z', list: [1] });
  assert.strictEqual(r.hasF, false);
  assert.strictEqual(r.hasU, false);
  assert.deepStrictEqual(mp.storage.get('k'), { d: '1970-01-01T00:00:00.000Z', list: [1] });
}));

test('storage is per simulator, and options.storage seeds it', async () => {
  const a = createMiniProgram({ root, storage: { seeded: { x: 1 } } });
  const b = createMiniProgram({ root });
  try {
    a.run("wx.setStorageSync('only-a', 1)");
    assert.strictEqual(b.run("wx.getStorageSync('only-a')"), '');
    assert.strictEqual(a.run("wx.getStorageSync('seeded').x"), 1);
    b.storage.set('from-test', [1, 2]);
    assert.strictEqual(b.run("wx.getStorageSync('from-test').length"), 2);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test('a non-string key throws', withMp({}, (mp) => {
  assert.throws(() => mp.run('wx.setStorageSync(1, 2)'), /setStorageSync:fail parameter error: parameter.key should be String instead of Number/);
  assert.throws(() => mp.run('wx.getStorageSync()'), /should be String instead of Undefined/);
}));

test('an item over 1 MB is refused', withMp({}, (mp) => {
  assert.throws(() => mp.run("wx.setStorageSync('big', new Array(1024 * 1024 + 1).join('x') + 'x')"), /exceed storage item max length/);
  assert.strictEqual(mp.storage.has('big'), false);
}));

test('async forms: callbacks on a later macrotask, getStorage of a missing key fails, Promise form', withMp({}, async (mp) => {
  mp.run(`
    globalThis.log = [];
    wx.setStorage({ key: 'a', data: { v: 1 }, success: function (r) { log.push('set ' + r.errMsg); },
      complete: function () { log.push('set complete'); } });
    wx.getStorage({ key: 'a', success: function (r) { log.push('get ' + r.data.v + ' ' + r.errMsg); } });
    wx.getStorage({ key: 'zzz', fail: function (r) { log.push(r.errMsg); } });
    wx.removeStorage({ key: 'a', success: function (r) { log.push(r.errMsg); } });
    wx.getStorage({ key: 'a' }).catch(function (e) { log.push('promise ' + e.errMsg); });
    log.push('sync end');
  `);
  assert.deepStrictEqual([...mp.global.log], ['sync end']);
  await mp.pending();
  assert.deepStrictEqual([...mp.global.log], [
    'sync end', 'set setStorage:ok', 'set complete', 'get 1 getStorage:ok', 'getStorage:fail data not found',
    'removeStorage:ok', 'promise getStorage:fail data not found',
  ]);
}));
