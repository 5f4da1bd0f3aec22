'use strict';
// wx.cloud.callFunction to cloud function files run as plain Node.

const test = require('node:test');
const assert = require('node:assert');
const path = require('path');
const { createMiniProgram } = require('./index.js');
const { makeRoot, removeRoot } = require('./fixtures.js');

const root = makeRoot({ 'app.js': '' });
const cloudDir = makeRoot({
  'hello/index.js': `
    const cloud = require('wx-server-sdk');
    const helper = require('./helper.js');
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
    globalThis.helloLoads = (globalThis.helloLoads || 0) + 1;
    exports.main = async (event, context) => {
      const wxc = cloud.getWXContext();
      return {
        echo: event.x,
        userInfo: event.userInfo,
        openid: wxc.OPENID,
        helper: helper(),
        nodeThings: [typeof Buffer, typeof process, typeof WebAssembly, typeof require('zlib').brotliCompressSync],
        contextKeys: Object.keys(context),
        loads: globalThis.helloLoads,
      };
    };`,
  'hello/helper.js': "const sdk = require('wx-server-sdk'); module.exports = () => sdk.marker || 'builtin stand-in';",
  'boom/index.js': "exports.main = async () => { throw new Error('kaput'); };",
  'syncboom/index.js': "exports.main = () => { throw new TypeError('sync kaput'); };",
  'slow/index.js': 'exports.main = () => new Promise((r) => setTimeout(() => r(1), 500));',
  'undef/index.js': 'exports.main = async () => undefined;',
});
test.after(() => { removeRoot(root); removeRoot(cloudDir); });

const fns = {
  hello: path.join(cloudDir, 'hello/index.js'),
  boom: path.join(cloudDir, 'boom/index.js'),
  syncboom: path.join(cloudDir, 'syncboom/index.js'),
  slow: path.join(cloudDir, 'slow/index.js'),
  undef: path.join(cloudDir, 'undef/index.js'),
};

function withMp(opts, fn) {
  return async () => {
    const mp = createMiniProgram(Object.assign({ root, cloudFunctions: fns }, opts));
    try { await fn(mp); } finally { mp.dispose(); }
  };
}

const fakeSdk = {
  marker: 'fake sdk',
  DYNAMIC_CURRENT_ENV: 'dyn',
  inits: [],
  init(o) { this.inits.push(o); },
  getWXContext: () => ({ OPENID: 'from-fake-sdk' }),
};

test('callFunction with callbacks: event has data + userInfo, the stand-in sdk is used, loads once', withMp({
  openid: 'user-7', appid: 'wxapp', cloudRequire: (name) => (name === 'wx-server-sdk' ? fakeSdk : undefined),
}, async (mp) => {
  mp.run(`
    wx.cloud.init({ env: 'test-env' });
    globalThis.res = [];
    wx.cloud.callFunction({ name: 'hello', data: { x: 'hi' },
      success: function (r) { res.push(r); }, fail: function (e) { res.push(e); },
      complete: function () { res.push('complete'); } });
    wx.cloud.callFunction({ name: 'hello', data: { x: 'again' } }).then(function (r) { res.push(r.result.loads); });
  `);
  await mp.pending();
  const [r, complete, secondLoads] = mp.global.res;
  assert.strictEqual(complete, 'complete');
  assert.strictEqual(r.errMsg, 'cloud.callFunction:ok');
  assert.strictEqual(typeof r.requestID, 'string');
  assert.strictEqual(r.result.echo, 'hi');
  assert.deepStrictEqual(JSON.parse(JSON.stringify(r.result.userInfo)), { openId: 'user-7', appId: 'wxapp' });
  assert.strictEqual(r.result.openid, 'from-fake-sdk');
  assert.strictEqual(r.result.helper, 'fake sdk', 'relative requires of the cloud function see cloudRequire too');
  assert.deepStrictEqual([...r.result.nodeThings], ['function', 'object', 'object', 'function']);
  assert.deepStrictEqual([...r.result.contextKeys], []);
  assert.strictEqual(r.result.loads, 1);
  assert.strictEqual(secondLoads, 1, 'warm: the module is loaded once per simulator');
  assert.strictEqual(mp.run('res[0].result instanceof Object'), true);
  assert.deepStrictEqual(mp.cloudInits, [{ env: 'test-env' }]);
  assert.deepStrictEqual(fakeSdk.inits, [{ env: 'dyn' }]);
}));

test('without cloudRequire, wx-server-sdk is a built-in stand-in fed by mp.cloudContext', withMp({}, async (mp) => {
  mp.cloudContext.OPENID = 'ctx-openid';
  mp.run("wx.cloud.callFunction({ name: 'hello', data: {} }).then(function (r) { globalThis.r = r; })");
  await mp.pending();
  assert.strictEqual(mp.global.r.result.openid, 'ctx-openid');
  assert.strictEqual(mp.global.r.result.helper, 'builtin stand-in');
  assert.strictEqual(mp.global.r.result.userInfo.openId, 'sim-openid-1');
}));

test('a throwing cloud function (async or sync) fails with errCode -504002', withMp({}, async (mp) => {
  mp.run(`
    globalThis.errs = [];
    ['boom', 'syncboom'].forEach(function (n) {
      wx.cloud.callFunction({ name: n, fail: function (e) { errs.push(e); } });
    });
    wx.cloud.callFunction({ name: 'boom' }).catch(function (e) { errs.push(e); });
  `);
  await mp.pending();
  const errs = mp.global.errs;
  assert.strictEqual(errs.length, 3);
  for (const e of errs) {
    assert.strictEqual(e.errCode, -504002);
    assert.match(e.errMsg, /^cloud\.callFunction:fail .*kaput/);
  }
}));

test('unknown function name fails', withMp({}, async (mp) => {
  mp.run("wx.cloud.callFunction({ name: 'nope', fail: function (e) { globalThis.e = e; } })");
  await mp.pending();
  assert.match(mp.global.e.errMsg, /^cloud\.callFunction:fail/);
  assert.strictEqual(typeof mp.global.e.errCode, 'number');
}));

test('cloud timeout (options.cloudTimeout) fails with -504003', withMp({ cloudTimeout: 100 }, async (mp) => {
  mp.run("wx.cloud.callFunction({ name: 'slow', fail: function (e) { globalThis.e = e; }, success: function () { globalThis.s = true; } })");
  await mp.pending();
  assert.strictEqual(mp.global.e.errCode, -504003);
  await new Promise((r) => setTimeout(r, 450));
  assert.strictEqual(mp.global.s, undefined, 'a late result is not delivered');
}));

test('a result of undefined arrives as null', withMp({}, async (mp) => {
  mp.run("wx.cloud.callFunction({ name: 'undef' }).then(function (r) { globalThis.r = r; })");
  await mp.pending();
  assert.strictEqual(mp.global.r.result, null);
}));

test('each simulator has its own cloud module cache (a fresh cold start)', async () => {
  const a = createMiniProgram({ root, cloudFunctions: fns });
  const b = createMiniProgram({ root, cloudFunctions: fns });
  try {
    for (const mp of [a, b]) mp.run("wx.cloud.callFunction({ name: 'hello' }).then(function (r) { globalThis.n = r.result.loads; })");
    await Promise.all([a.pending(), b.pending()]);
    assert.strictEqual(b.global.n, a.global.n + 1);
  } finally {
    a.dispose();
    b.dispose();
  }
});
