'use strict';
// The JavaScript environment: what exists, what does not, eval, modes.

const test = require('node:test');
const assert = require('node:assert');
const { createMiniProgram } = require('./index.js');
const { makeRoot, removeRoot } = require('./fixtures.js');

const root = makeRoot({ 'app.js': 'App({})' });
test.after(() => removeRoot(root));

function withMp(opts, fn) {
  return async () => {
    const mp = createMiniProgram(Object.assign({ root }, opts));
    try { await fn(mp); } finally { mp.dispose(); }
  };
}

const ABSENT = ['WebAssembly', 'TextEncoder', 'TextDecoder', 'fetch', 'XMLHttpRequest', 'process', 'Buffer',
  'crypto', 'window', 'document', 'self', 'require', 'queueMicrotask', 'setImmediate', 'structuredClone',
  'atob', 'btoa', 'module', 'exports', '__dirname', '__filename'];

for (const name of ABSENT) {
  test(`${name} is absent: typeof is 'undefined' and reading it is a ReferenceError`, withMp({}, (mp) => {
    assert.strictEqual(mp.run(`typeof ${name}`), 'undefined');
    assert.throws(() => mp.run(`${name}`), (e) => e.name === 'ReferenceError');
    assert.strictEqual(mp.run(`'${name}' in globalThis`), false);
  }));
}

test('present globals', withMp({}, (mp) => {
  const types = mp.run(`({ wx: typeof wx, getApp: typeof getApp, App: typeof App, Page: typeof Page,
    Component: typeof Component, Behavior: typeof Behavior, getCurrentPages: typeof getCurrentPages,
    console: typeof console, setTimeout: typeof setTimeout, clearTimeout: typeof clearTimeout,
    setInterval: typeof setInterval, clearInterval: typeof clearInterval, Promise: typeof Promise,
    Uint8Array: typeof Uint8Array, JSON: typeof JSON, Math: typeof Math, WXWebAssembly: typeof WXWebAssembly,
    BigInt: typeof BigInt })`);
  for (const [k, v] of Object.entries(types)) assert.notStrictEqual(v, 'undefined', k);
  assert.strictEqual(mp.run('globalThis === global'), true);
  assert.strictEqual(mp.global, mp.run('globalThis'));
  assert.strictEqual(mp.run('wx === globalThis.wx'), true);
  // Values handed in are of the context realm.
  assert.strictEqual(mp.run('wx instanceof Object && wx.request instanceof Function'), true);
}));

test('eval and new Function throw EvalError; only new Function("return this") works', withMp({}, (mp) => {
  assert.throws(() => mp.run('eval("1")'), (e) => e.name === 'EvalError');
  assert.throws(() => mp.run('new Function("a", "return a")'), (e) => e.name === 'EvalError');
  assert.throws(() => mp.run('Function("return 1")'), (e) => e.name === 'EvalError');
  assert.throws(() => mp.run('(function () {}).constructor("return 1")'), (e) => e.name === 'EvalError');
  assert.throws(() => mp.run('new Function("return this;")'), (e) => e.name === 'EvalError');
  assert.strictEqual(mp.run('new Function("return this")()'), mp.global);
  assert.strictEqual(mp.run('Function("return this")()'), mp.global);
  assert.strictEqual(mp.run('(function () {}).constructor("return this")()'), mp.global);
  // Function is still the constructor functions answer to.
  assert.strictEqual(mp.run('(function () {}) instanceof Function && (() => 1) instanceof Function'), true);
  assert.strictEqual(mp.run('(function (a) { return this.x + a; }).call({ x: 1 }, 2)'), 3);
  assert.strictEqual(mp.run('(function (a, b) { return a + b; }).apply(null, [1, 2])'), 3);
  assert.strictEqual(mp.run('(function () { return this.y; }).bind({ y: 5 })()'), 5);
}));

test('console is recorded in mp.logs', withMp({}, (mp) => {
  mp.run('console.log("hello", 1); console.error("bad %s", "thing")');
  assert.deepStrictEqual(mp.logs.map((l) => [l.level, l.text]), [['log', 'hello 1'], ['error', 'bad thing']]);
}));

test('timers: numeric ids, order, clearTimeout/clearInterval, exceptions go to mp.errors', withMp({}, async (mp) => {
  mp.run(`
    globalThis.order = [];
    var a = setTimeout(function () { order.push('a'); }, 50); // far after b's 0 ms, even on a loaded machine
    var b = setTimeout(function () { order.push('b'); }, 0);
    var c = setTimeout(function () { order.push('never'); }, 1);
    clearTimeout(c);
    setTimeout(function () { throw new Error('boom'); }, 0);
    var n = 0;
    var iv = setInterval(function () { order.push('tick'); if (++n === 2) clearInterval(iv); }, 1);
    globalThis.ids = [typeof a, typeof b];
  `);
  // Until everything due has run (no fixed wait: a loaded machine runs timers late).
  while (!(mp.global.order.includes('a') && mp.global.order.filter((x) => x === 'tick').length === 2 && mp.errors.length)) {
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 10));
  assert.deepStrictEqual([...mp.global.ids], ['number', 'number']);
  const order = [...mp.global.order];
  assert.ok(!order.includes('never'));
  assert.strictEqual(order.filter((x) => x === 'tick').length, 2);
  assert.ok(order.indexOf('b') < order.indexOf('a'));
  assert.strictEqual(mp.errors.length, 1);
  assert.strictEqual(mp.errors[0].message, 'boom');
}));

test('dispose clears pending timers', async () => {
  const mp = createMiniProgram({ root });
  mp.run('globalThis.fired = false; setTimeout(function () { fired = true; }, 5); setInterval(function () {}, 1);');
  mp.dispose();
  await new Promise((r) => setTimeout(r, 20));
  assert.strictEqual(mp.global.fired, false);
});

test('noBigInt mode removes BigInt and the 64-bit typed arrays', withMp({ mode: { noBigInt: true } }, (mp) => {
  for (const name of ['BigInt', 'BigInt64Array', 'BigUint64Array']) {
    assert.strictEqual(mp.run(`typeof ${name}`), 'undefined', name);
  }
  assert.strictEqual(mp.run('typeof DataView.prototype.getBigInt64'), 'undefined');
}));

test('BigInt exists without noBigInt', withMp({}, (mp) => {
  assert.strictEqual(mp.run('typeof BigInt'), 'function');
}));

test('mathRandomThrows mode', withMp({ mode: { mathRandomThrows: true } }, (mp) => {
  assert.throws(() => mp.run('Math.random()'), /Math.random is not allowed/);
}));

test('Math.random works normally otherwise', withMp({}, (mp) => {
  assert.strictEqual(typeof mp.run('Math.random()'), 'number');
}));

test('native Promise: then runs before an already-queued setTimeout 0 (microtask)', withMp({}, async (mp) => {
  mp.run(`globalThis.seen = []; setTimeout(function () { seen.push('timeout'); }, 0);
    Promise.resolve().then(function () { seen.push('then'); });`);
  await mp.pending();
  assert.deepStrictEqual([...mp.global.seen], ['then', 'timeout']);
}));

test('oldIosPromise mode: then runs after an already-queued setTimeout 0 (macrotask)', withMp({ mode: { oldIosPromise: true } }, async (mp) => {
  mp.run(`globalThis.seen = []; setTimeout(function () { seen.push('timeout'); }, 0);
    Promise.resolve().then(function () { seen.push('then'); });
    seen.push('sync');`);
  assert.deepStrictEqual([...mp.global.seen], ['sync']);
  await mp.pending();
  assert.deepStrictEqual([...mp.global.seen], ['sync', 'timeout', 'then']);
}));

test('oldIosPromise mode: the polyfill behaves like a Promise', withMp({ mode: { oldIosPromise: true } }, async (mp) => {
  mp.run(`
    globalThis.out = {};
    Promise.all([1, Promise.resolve(2), new Promise(function (r) { setTimeout(function () { r(3); }, 1); })])
      .then(function (v) { out.all = v; });
    Promise.race([new Promise(function () {}), Promise.resolve('fast')]).then(function (v) { out.race = v; });
    Promise.allSettled([Promise.reject(new Error('x')), 1]).then(function (v) { out.settled = v.map(function (s) { return s.status; }); });
    Promise.reject(new Error('no')).catch(function (e) { return 'caught ' + e.message; })
      .finally(function () { out.fin = true; }).then(function (v) { out.caught = v; });
    new Promise(function () { throw new Error('in executor'); }).then(null, function (e) { out.executor = e.message; });
    Promise.resolve({ then: function (res) { res('thenable'); } }).then(function (v) { out.thenable = v; });
    out.isPolyfill = Promise.resolve(1) instanceof Promise && Object.prototype.toString.call(Promise.resolve(1));
  `);
  await mp.pending();
  const out = JSON.parse(JSON.stringify(mp.global.out));
  assert.deepStrictEqual(out, {
    all: [1, 2, 3], race: 'fast', settled: ['rejected', 'fulfilled'], caught: 'caught no', fin: true,
    executor: 'in executor', thenable: 'thenable', isPolyfill: '[object Promise]',
  });
}));

test('errors thrown by host-side APIs arrive as errors of the context realm', withMp({}, (mp) => {
  const r = mp.run(`
    var cyclic = {}; cyclic.self = cyclic;
    var caught;
    try { wx.setStorageSync('c', cyclic); } catch (e) { caught = e; }
    [caught instanceof TypeError, caught instanceof Error, typeof caught.message];
  `);
  assert.deepStrictEqual([...r], [true, true, 'string']);
  // ...so their constructor chain leads to the context's Function, which cannot build code.
  assert.throws(() => mp.run(`try { wx.setStorageSync('c', (function () { var o = {}; o.o = o; return o; })()); }
    catch (e) { e.constructor.constructor('return process')(); }`), (e) => e.name === 'EvalError');
}));
