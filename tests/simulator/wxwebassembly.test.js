'use strict';
// WXWebAssembly (path-only instantiate, .wasm/.wasm.br, iOS refusals) and
// wasmFeatures on hand-assembled modules.

const test = require('node:test');
const assert = require('node:assert');
const zlib = require('zlib');
const { createMiniProgram, wasmFeatures } = require('./index.js');
const { makeRoot, removeRoot, wasm } = require('./fixtures.js');

const br = (bytes) => zlib.brotliCompressSync(Buffer.from(bytes));
const root = makeRoot({
  'utils/add.wasm': Buffer.from(wasm.mvpAdd()),
  'utils/add.wasm.br': br(wasm.mvpAdd()),
  'utils/global.wasm': Buffer.from(wasm.globalExport()),
  'utils/multi.wasm.br': br(wasm.multiValue()),
  'utils/blocktype.wasm': Buffer.from(wasm.blockTypeIndex()),
  'utils/externref.wasm.br': br(wasm.externrefTable()),
  'utils/refops.wasm': Buffer.from(wasm.refOpsInCode()),
  'utils/imports.wasm': Buffer.from(wasm.importsEnvF()),
  'utils/i64.wasm': Buffer.from(wasm.i64Export()),
  'utils/garbage.wasm': Buffer.from('not wasm at all'),
  'utils/garbage.wasm.br': Buffer.from('not brotli'),
  'utils/add.bin': Buffer.from(wasm.mvpAdd()),
  'utils/loader.js': `
    module.exports = function (p, imports) {
      return WXWebAssembly.instantiate(p, imports);
    };`,
});
test.after(() => removeRoot(root));

function withMp(opts, fn) {
  return async () => {
    const mp = createMiniProgram(Object.assign({ root }, opts));
    try { await fn(mp); } finally { mp.dispose(); }
  };
}

// Instantiate from inside the context; resolve {ok, value|error}.
async function inst(mp, pathExpr, importsExpr = 'undefined') {
  mp.run(`globalThis.__w = null;
    WXWebAssembly.instantiate(${pathExpr}, ${importsExpr}).then(
      function (r) { __w = { ok: true, r: r }; },
      function (e) { __w = { ok: false, e: e, name: e && e.name, message: e && e.message }; });`);
  await mp.pending();
  return mp.global.__w;
}

test('an MVP .wasm loads from an absolute package path and resolves {instance, module}', withMp({}, async (mp) => {
  const w = await inst(mp, "'/utils/add.wasm'");
  assert.strictEqual(w.ok, true, w.message);
  assert.strictEqual(w.r.instance.exports.add(2, 3), 5);
  assert.strictEqual(mp.run('__w.r.instance instanceof WXWebAssembly.Instance'), true);
  assert.strictEqual(mp.run('__w.r.module instanceof WXWebAssembly.Module'), true);
  assert.strictEqual(mp.run('__w.r instanceof Object'), true);
}));

test('.wasm.br is brotli-decompressed; a root-relative path works too', withMp({}, async (mp) => {
  const w = await inst(mp, "'utils/add.wasm.br'");
  assert.strictEqual(w.ok, true, w.message);
  assert.strictEqual(w.r.instance.exports.add(20, 22), 42);
}));

test('instantiate returns a Promise of the context (also in old-iOS mode)', withMp({ mode: { oldIosPromise: true } }, async (mp) => {
  assert.strictEqual(mp.run("WXWebAssembly.instantiate('/utils/add.wasm') instanceof Promise"), true);
  const w = await inst(mp, "'/utils/add.wasm'");
  assert.strictEqual(w.ok, true);
}));

test('only a string package path is accepted: bytes, ArrayBuffer, Module, URLs → TypeError', withMp({}, async (mp) => {
  mp.global.__bytes = mp.realm.arrayBuffer(wasm.mvpAdd());
  const cases = [
    '__bytes',
    'new Uint8Array(__bytes)',
    'new WXWebAssembly.Module(new Uint8Array(__bytes))',
    "'http://127.0.0.1/utils/add.wasm'",
    "'https://example.com/add.wasm'",
    "'wxfile://usr/add.wasm'",
    "'/utils/add.bin'",
    'undefined',
  ];
  for (const c of cases) {
    const w = await inst(mp, c);
    assert.strictEqual(w.ok, false, c);
    assert.strictEqual(w.name, 'TypeError', `${c}: ${w.message}`);
    assert.strictEqual(mp.run('__w.e instanceof TypeError'), true, c);
  }
}));

test('a missing file rejects with an Error naming the path', withMp({}, async (mp) => {
  const w = await inst(mp, "'/utils/missing.wasm'");
  assert.strictEqual(w.ok, false);
  assert.match(w.message, /\/utils\/missing\.wasm/);
  const out = await inst(mp, "'../../etc/x.wasm'");
  assert.strictEqual(out.ok, false);
}));

test('a module exporting a Global is refused, in every mode', async () => {
  for (const mode of [{}, { ios: true }]) {
    const mp = createMiniProgram({ root, mode });
    try {
      const w = await inst(mp, "'/utils/global.wasm'");
      assert.strictEqual(w.ok, false);
      assert.strictEqual(w.name, 'CompileError');
      assert.match(w.message, /^invalid wasm file/);
      assert.match(w.message, /exports global "g"/);
    } finally {
      mp.dispose();
    }
  }
});

test('not wasm / not brotli → CompileError', withMp({}, async (mp) => {
  for (const p of ['/utils/garbage.wasm', '/utils/garbage.wasm.br']) {
    const w = await inst(mp, `'${p}'`);
    assert.strictEqual(w.ok, false, p);
    assert.strictEqual(w.name, 'CompileError', p);
  }
}));

test('iOS mode refuses reference types and multi-value; an MVP module still loads', withMp({ mode: { ios: true } }, async (mp) => {
  for (const [p, re] of [
    ['/utils/multi.wasm.br', /multi-value.*more than one result/],
    ['/utils/blocktype.wasm', /multi-value.*block type/],
    ['/utils/externref.wasm.br', /reference types.*externref table/],
    ['/utils/refops.wasm', /reference types.*ref\.null/],
  ]) {
    const w = await inst(mp, `'${p}'`);
    assert.strictEqual(w.ok, false, p);
    assert.strictEqual(w.name, 'CompileError', p);
    assert.match(w.message, /^invalid wasm file/, p);
    assert.match(w.message, re, p);
  }
  const ok = await inst(mp, "'/utils/add.wasm.br'");
  assert.strictEqual(ok.ok, true, ok.message);
}));

test('without iOS mode the same reference-types / multi-value modules load', withMp({}, async (mp) => {
  for (const p of ['/utils/multi.wasm.br', '/utils/blocktype.wasm', '/utils/externref.wasm.br', '/utils/refops.wasm']) {
    const w = await inst(mp, `'${p}'`);
    assert.strictEqual(w.ok, true, `${p}: ${w.message}`);
  }
}));

test('missing imports reject (LinkError / TypeError from the engine); given imports are called', withMp({}, async (mp) => {
  const none = await inst(mp, "'/utils/imports.wasm'");
  assert.strictEqual(none.ok, false);
  assert.ok(['TypeError', 'LinkError'].includes(none.name), none.name);
  const noFn = await inst(mp, "'/utils/imports.wasm'", '{ env: {} }');
  assert.strictEqual(noFn.ok, false);
  assert.strictEqual(noFn.name, 'LinkError');
  const ok = await inst(mp, "'/utils/imports.wasm'", '{ env: { f: function () { globalThis.called = true; } } }');
  assert.strictEqual(ok.ok, true);
  ok.r.instance.exports.run();
  assert.strictEqual(mp.global.called, true);
}));

test('WXWebAssembly members: Memory/Table/Global/Module/Instance/errors, no compile/validate/streaming', withMp({}, (mp) => {
  for (const k of ['instantiate', 'Memory', 'Table', 'Global', 'Module', 'Instance', 'CompileError', 'LinkError', 'RuntimeError']) {
    assert.strictEqual(mp.run(`typeof WXWebAssembly.${k}`), 'function', k);
  }
  for (const k of ['compile', 'validate', 'instantiateStreaming', 'compileStreaming']) {
    assert.strictEqual(mp.run(`typeof WXWebAssembly.${k}`), 'undefined', k);
  }
  assert.strictEqual(mp.run('new WXWebAssembly.Memory({ initial: 1 }).buffer instanceof ArrayBuffer'), true);
}));

test('works through a package module too', withMp({}, async (mp) => {
  mp.require('/utils/loader.js')('/utils/add.wasm').then((r) => { mp.global.viaModule = r.instance.exports.add(1, 1); });
  await mp.pending();
  assert.strictEqual(mp.global.viaModule, 2);
}));

test('noBigInt mode: an i64 export throws TypeError when called, i32 exports work', withMp({ mode: { noBigInt: true } }, async (mp) => {
  const w = await inst(mp, "'/utils/i64.wasm'");
  assert.strictEqual(w.ok, true, w.message);
  assert.strictEqual(w.r.instance.exports.add(1, 2), 3);
  assert.throws(() => mp.run('__w.r.instance.exports.id(1)'), (e) => e.name === 'TypeError');
  assert.strictEqual(mp.run('__w.r.instance instanceof WXWebAssembly.Instance'), true);
}));

test('wasmFeatures on the hand-assembled modules', () => {
  const flags = (bytes) => {
    const f = wasmFeatures(bytes);
    return Object.keys(f).filter((k) => f[k] === true).sort();
  };
  assert.deepStrictEqual(flags(wasm.mvpAdd()), []);
  assert.deepStrictEqual(flags(wasm.globalExport()), ['exportsGlobal']);
  assert.deepStrictEqual(flags(wasm.multiValue()), ['multiValue']);
  assert.deepStrictEqual(flags(wasm.blockTypeIndex()), ['multiValue']);
  assert.deepStrictEqual(flags(wasm.externrefTable()), ['referenceTypes']);
  assert.deepStrictEqual(flags(wasm.refOpsInCode()), ['referenceTypes']);
  assert.deepStrictEqual(flags(wasm.signExtBulk()), ['bulkMemory', 'signExt']);
  assert.deepStrictEqual(flags(wasm.simd()), ['simd']);
  assert.deepStrictEqual(flags(wasm.mutableGlobalImport()), ['mutableGlobals']);
  assert.deepStrictEqual(flags(wasm.importsEnvF()), []);
  const f = wasmFeatures(wasm.mvpAdd());
  for (const k of ['exportsGlobal', 'referenceTypes', 'multiValue', 'bulkMemory', 'signExt', 'simd', 'mutableGlobals']) {
    assert.strictEqual(f[k], false, k);
  }
  assert.ok(Array.isArray(f.details));
  // ArrayBuffer and Buffer inputs work too; garbage throws.
  assert.deepStrictEqual(flags(wasm.globalExport().buffer), ['exportsGlobal']);
  assert.deepStrictEqual(flags(Buffer.from(wasm.multiValue())), ['multiValue']);
  assert.throws(() => wasmFeatures(Buffer.from('nope')), /not a wasm/);
  assert.throws(() => wasmFeatures(wasm.mvpAdd().slice(0, 20)), /unexpected end|size mismatch|runs past/);
});

test('wasmFeatures: call_indirect with an overlong table index counts as reference types', () => {
  // (type 0 [] -> []) (table 1 funcref) (func (call_indirect (type 0) (i32.const 0)))
  // with the table index written as `tableIndex` bytes.
  const build = (tableIndex) => {
    const body = [0x00, 0x41, 0x00, 0x11, 0x00, ...tableIndex, 0x0b];
    const code = [1, body.length, ...body];
    return new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0,
      1, 4, 1, 0x60, 0, 0,
      3, 2, 1, 0,
      4, 4, 1, 0x70, 0, 1,
      10, code.length, ...code]);
  };
  const overlong = build([0x80, 0x80, 0x80, 0x80, 0x00]); // what LLVM writes
  const mvp = build([0x00]);
  assert.ok(new WebAssembly.Module(overlong)); // V8 takes both
  assert.ok(new WebAssembly.Module(mvp));
  const f = wasmFeatures(overlong);
  assert.strictEqual(f.referenceTypes, true);
  assert.match(f.details.join('\n'), /multi-byte LEB128/);
  assert.strictEqual(wasmFeatures(mvp).referenceTypes, false);
});
