'use strict';
// Package-relative require, as the mini-program runtime resolves it.

const test = require('node:test');
const assert = require('node:assert');
const path = require('path');
const { createMiniProgram } = require('./index.js');
const { makeRoot, removeRoot } = require('./fixtures.js');

const root = makeRoot({
  'utils/a.js': `
    var b = require('./b');              // '.js' appended
    var conf = require('../config.json');
    var abs = require('/utils/b.js');    // absolute from the root
    exports.sum = b.n + 1;
    exports.same = b === abs;
    exports.conf = conf;
    exports.confIsObject = conf instanceof Object;
    exports.scope = [typeof module, typeof exports, typeof require, typeof __dirname, typeof __filename];
    exports.thisIsNotModuleExports = this !== exports;
  `,
  'utils/b.js': 'globalThis.bLoads = (globalThis.bLoads || 0) + 1; module.exports = { n: 41 };',
  'config.json': '{"name": "demo", "list": [1, 2]}',
  'pages/index/index.js': `
    var u = require('../../utils/a.js');
    Page({ data: { sum: u.sum }, onLoad: function (q) { this.setData({ loaded: q.x, 'deep.list[1]': 'y' }); } });
  `,
  'utils/cycle-a.js': "exports.early = 'a'; var b = require('./cycle-b.js'); exports.fromB = b.seen;",
  'utils/cycle-b.js': "var a = require('./cycle-a.js'); exports.seen = a.early;",
  'utils/bad.js': "globalThis.badRuns = (globalThis.badRuns || 0) + 1; throw new Error('bad module');",
  'utils/needs-fs.js': "module.exports = require('fs');",
  'miniprogram_npm/tiny-lib/index.js': "module.exports = 'npm ok';",
  'utils/uses-npm.js': "module.exports = require('tiny-lib');",
  'utils/req.js': 'module.exports = function (name) { return require(name); };',
});
const outside = path.join(path.dirname(root), 'outside-' + path.basename(root) + '.js');
require('fs').writeFileSync(outside, 'module.exports = "escaped"');
test.after(() => { removeRoot(root); require('fs').rmSync(outside, { force: true }); });

function withMp(fn) {
  return async () => {
    const mp = createMiniProgram({ root });
    try { await fn(mp); } finally { mp.dispose(); }
  };
}

test('relative, absolute, extension-less and .json requires; module scope', withMp((mp) => {
  const a = mp.require('/utils/a.js');
  assert.strictEqual(a.sum, 42);
  assert.strictEqual(a.same, true);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(a.conf)), { name: 'demo', list: [1, 2] });
  assert.strictEqual(a.confIsObject, true, 'JSON modules are objects of the context realm');
  assert.deepStrictEqual([...a.scope], ['object', 'object', 'function', 'undefined', 'undefined']);
  assert.strictEqual(a.thisIsNotModuleExports, true);
}));

test('modules are cached: each file runs once', withMp((mp) => {
  mp.require('utils/a.js');
  mp.require('/utils/b.js');
  assert.strictEqual(mp.global.bLoads, 1);
  assert.strictEqual(mp.require('utils/a.js'), mp.require('/utils/a.js'));
}));

test('circular requires see the partial exports, like CommonJS', withMp((mp) => {
  assert.strictEqual(mp.require('/utils/cycle-a.js').fromB, 'a');
}));

test('a module that throws is not cached', withMp((mp) => {
  assert.throws(() => mp.require('/utils/bad.js'), /bad module/);
  assert.throws(() => mp.require('/utils/bad.js'), /bad module/);
  assert.strictEqual(mp.global.badRuns, 2);
}));

test('Node built-ins are refused with WeChat\'s message', withMp((mp) => {
  assert.throws(() => mp.require('/utils/needs-fs.js'), (e) => e.message === 'module "fs" is not defined');
}));

test('refusals: missing files, escaping the root, non-strings', withMp((mp) => {
  assert.throws(() => mp.require('/utils/nope.js'), /module "utils\/nope\.js" is not defined/);
  const rel = '../../../' + path.basename(outside);
  assert.throws(() => mp.require(rel), /is not defined/);
  assert.throws(() => mp.require('../' + path.basename(outside)), /is not defined/);
  // A module's own require, called from outside with any name.
  const req = mp.require('/utils/req.js');
  for (const name of ['crypto', 'path', 'http', 'node:fs', 'zlib', 'wx-server-sdk']) {
    assert.throws(() => req(name), (e) => e.message === `module "${name}" is not defined`, name);
  }
  assert.throws(() => req('../../x.js'), /is not defined/);
  assert.throws(() => req(42), /is not defined/);
  assert.strictEqual(req('./b.js').n, 41);
}));

test('bare names resolve only to miniprogram_npm packages', withMp((mp) => {
  assert.strictEqual(mp.require('/utils/uses-npm.js'), 'npm ok');
}));

test('Page() is recorded under its route; openPage runs onLoad with setData', withMp((mp) => {
  const page = mp.openPage('pages/index/index', { x: '1' });
  assert.ok(mp.pages['pages/index/index']);
  assert.strictEqual(page.data.sum, 42);
  assert.strictEqual(page.data.loaded, '1');
  assert.deepStrictEqual([...page.data.deep.list], [undefined, 'y']);
  assert.strictEqual(mp.run('getCurrentPages().length'), 1);
}));

test('App() / getApp()', withMp((mp) => {
  assert.strictEqual(mp.run('getApp()'), undefined);
  mp.run('App({ globalData: { n: 1 }, onLaunch: function () { this.launched = true; } })');
  assert.strictEqual(mp.run('getApp().globalData.n'), 1);
  mp.launch();
  assert.strictEqual(mp.app.launched, true);
  mp.run("Component({ properties: {} }); globalThis.bh = Behavior({ data: {} });");
  assert.strictEqual(mp.behaviors.length, 1);
  assert.ok(mp.components['']);
}));
