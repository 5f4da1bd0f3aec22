'use strict';
// WXWebAssembly as the mini-program runtime offers it:
// - instantiate(path, imports) takes ONLY a string path inside the code
//   package ('/utils/x.wasm' or 'utils/x.wasm.br'); bytes, ArrayBuffer,
//   Module, URLs and wxfile:// are TypeErrors. '.wasm.br' is brotli.
// - resolves {instance, module} (what devices give).
// - refuses a module that exports a Global, always (iOS cannot load one and
//   the shipped file must run on iOS); in iOS mode also refuses reference
//   types and multi-value, which iOS reports as "invalid wasm file".
// - in no-BigInt mode, functions with i64 in their signature on the JS
//   boundary throw TypeError when called (as on engines without BigInt).
// - Memory, Table, Global, Module, Instance and the error classes exist;
//   compile, validate, instantiateStreaming, compileStreaming do not.
// The context's own WebAssembly (captured before it was deleted from the
// global) does the work, so results are objects of the context realm.

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { analyseWasm } = require('../../tools/wasm-features.js');

function createWXWebAssembly(sim) {
  const { realm } = sim;
  const WA = realm.WebAssembly;
  const WX = new realm.Object();

  const compileError = (detail) => new WA.CompileError(`invalid wasm file${detail ? ': ' + detail : ''}`);

  function readPackageWasm(p) {
    if (typeof p !== 'string') {
      throw new realm.TypeError('WXWebAssembly.instantiate: the first argument must be a path string of a .wasm/.wasm.br file in the code package');
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(p)) {
      throw new realm.TypeError(`WXWebAssembly.instantiate: "${p}" is not a code package path (no URLs, no wxfile://)`);
    }
    if (!/\.wasm(\.br)?$/.test(p)) {
      throw new realm.TypeError(`WXWebAssembly.instantiate: "${p}" is not a .wasm or .wasm.br file`);
    }
    const rel = path.posix.normalize(p.replace(/^\/+/, ''));
    if (rel === '..' || rel.startsWith('../')) throw new realm.Error(`WXWebAssembly.instantiate: "${p}" is outside the code package`);
    const abs = path.join(sim.root, rel);
    let bytes;
    try {
      bytes = fs.readFileSync(abs);
    } catch (e) {
      throw new realm.Error(`WXWebAssembly.instantiate: file not found: "${p}"`);
    }
    if (rel.endsWith('.br')) {
      try { bytes = zlib.brotliDecompressSync(bytes); } catch (e) { throw compileError(`"${p}" is not valid brotli`); }
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  function check(bytes, p) {
    let a;
    try { a = analyseWasm(bytes); } catch (e) { throw compileError(`${e.message} (${p})`); }
    const f = a.features;
    const why = (flag) => (a.byFlag[flag] || []).join('; ');
    if (f.exportsGlobal) throw compileError(`exported Globals are not supported on iOS: ${why('exportsGlobal')} (${p})`);
    if (sim.mode.ios && f.referenceTypes) throw compileError(`reference types (externref) are not supported: ${why('referenceTypes')} (${p})`);
    if (sim.mode.ios && f.multiValue) throw compileError(`multi-value is not supported: ${why('multiValue')} (${p})`);
    return a;
  }

  // No-BigInt engines: exports / imports with i64 throw TypeError when called.
  function withoutBigInt(result, analysis) {
    const { exports: exNames } = analysis.i64Boundary;
    if (!exNames.length) return result;
    const real = result.instance.exports;
    const exportsObj = Object.create(null);
    for (const name of Object.keys(real)) {
      exportsObj[name] = exNames.includes(name)
        ? realm.fn(() => { throw new realm.TypeError(`wasm function signature contains illegal type (i64): ${name}`); }, name)
        : real[name];
    }
    Object.freeze(exportsObj);
    // An Instance whose own `exports` shadows the prototype getter.
    const instance = Object.create(WA.Instance.prototype, { exports: { value: exportsObj, enumerable: true } });
    const out = new realm.Object();
    out.instance = instance;
    out.module = result.module;
    return out;
  }
  function importsWithoutBigInt(imports, analysis) {
    const names = analysis.i64Boundary.imports;
    if (!names.length || !imports) return imports;
    const copy = new realm.Object();
    for (const mod of Object.keys(imports)) {
      copy[mod] = Object.assign(new realm.Object(), imports[mod]);
    }
    for (const full of names) {
      const dot = full.indexOf('.');
      const mod = full.slice(0, dot), name = full.slice(dot + 1);
      if (copy[mod] && typeof copy[mod][name] === 'function') {
        copy[mod][name] = realm.fn(() => { throw new realm.TypeError(`wasm function signature contains illegal type (i64): ${full}`); }, name);
      }
    }
    return copy;
  }

  const instantiate = (p, imports) => new realm.Promise((resolve, reject) => {
    const endOp = sim.beginOp('WXWebAssembly.instantiate');
    try {
      const bytes = readPackageWasm(p);
      const analysis = check(bytes, p);
      const imp = sim.mode.noBigInt ? importsWithoutBigInt(imports, analysis) : imports;
      WA.instantiate(bytes, imp).then((result) => {
        endOp();
        resolve(sim.mode.noBigInt ? withoutBigInt(result, analysis) : result);
      }, (e) => { endOp(); reject(e); });
    } catch (e) {
      endOp();
      reject(e);
    }
  });

  WX.instantiate = realm.fn(instantiate, 'instantiate');
  for (const k of ['Memory', 'Table', 'Global', 'Module', 'Instance', 'CompileError', 'LinkError', 'RuntimeError']) {
    WX[k] = WA[k];
  }
  return WX;
}

module.exports = { createWXWebAssembly };
