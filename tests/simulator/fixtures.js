'use strict';
// Shared by the *.test.js files: temporary mini-program folders and tiny
// hand-assembled wasm modules. (Named so node --test does not take it for a test file.)

const fs = require('fs');
const os = require('os');
const path = require('path');

/** Make a temp mini-program root holding `files` ({relPath: content}). */
function makeRoot(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-sim-'));
  for (const [rel, content] of Object.entries(files || {})) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}
function removeRoot(root) {
  fs.rmSync(root, { recursive: true, force: true });
}

// --- wasm assembly ---------------------------------------------------------
const leb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
const str = (s) => [...leb(Buffer.byteLength(s)), ...Buffer.from(s)];
const vec = (items) => [...leb(items.length), ...items.flat()];
const section = (id, body) => [id, ...leb(body.length), ...body];
const I32 = 0x7f, I64 = 0x7e, FUNCREF = 0x70, EXTERNREF = 0x6f;
const functype = (params, results) => [0x60, ...vec(params.map((p) => [p])), ...vec(results.map((r) => [r]))];
const body = (locals, code) => { const b = [...vec(locals), ...code, 0x0b]; return [...leb(b.length), ...b]; };
const wasmModule = (...sections) => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
const exportEntry = (name, kind, index) => [...str(name), kind, ...leb(index)];

const wasm = {
  // (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  mvpAdd: () => wasmModule(
    section(1, vec([functype([I32, I32], [I32])])),
    section(3, vec([[0]])),
    section(7, vec([exportEntry('add', 0, 0)])),
    section(10, vec([body([], [0x20, 0, 0x20, 1, 0x6a])])),
  ),
  // (global (export "g") i32 (i32.const 42))
  globalExport: () => wasmModule(
    section(6, vec([[I32, 0x00, 0x41, 42, 0x0b]])),
    section(7, vec([exportEntry('g', 3, 0)])),
  ),
  // (func (export "two") (result i32 i32) i32.const 1 i32.const 2)
  multiValue: () => wasmModule(
    section(1, vec([functype([], [I32, I32])])),
    section(3, vec([[0]])),
    section(7, vec([exportEntry('two', 0, 0)])),
    section(10, vec([body([], [0x41, 1, 0x41, 2])])),
  ),
  // (table 1 externref) plus the MVP add function, so it instantiates
  externrefTable: () => wasmModule(
    section(1, vec([functype([I32, I32], [I32])])),
    section(3, vec([[0]])),
    section(4, vec([[EXTERNREF, 0x00, 1]])),
    section(7, vec([exportEntry('add', 0, 0)])),
    section(10, vec([body([], [0x20, 0, 0x20, 1, 0x6a])])),
  ),
  // A function whose body uses ref.null extern / ref.is_null (reference types in code only)
  refOpsInCode: () => wasmModule(
    section(1, vec([functype([], [I32])])),
    section(3, vec([[0]])),
    section(7, vec([exportEntry('isnull', 0, 0)])),
    section(10, vec([body([], [0xd0, EXTERNREF, 0xd1])])),
  ),
  // A block whose type is a type index (multi-value in code only):
  // (func (result i32) (block (type 1) (i32.const 7)))  with type 1 = [] -> [i32]
  blockTypeIndex: () => wasmModule(
    section(1, vec([functype([], [I32]), functype([], [I32])])),
    section(3, vec([[0]])),
    section(7, vec([exportEntry('seven', 0, 0)])),
    section(10, vec([body([], [0x02, 0x01, 0x41, 7, 0x0b])])),
  ),
  // i32.extend8_s and memory.fill (sign-ext + bulk memory), with a memory
  signExtBulk: () => wasmModule(
    section(1, vec([functype([I32], [I32])])),
    section(3, vec([[0]])),
    section(5, vec([[0x00, 1]])),
    section(7, vec([exportEntry('ext', 0, 0)])),
    section(10, vec([body([], [0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 11, 0x00, 0x20, 0, 0xc0])])),
  ),
  // v128.const + i32x4.extract_lane 0 (SIMD)
  simd: () => wasmModule(
    section(1, vec([functype([], [I32])])),
    section(3, vec([[0]])),
    section(10, vec([body([], [0xfd, 12, ...new Array(16).fill(0), 0xfd, 27, 0])])),
  ),
  // imports a mutable global env.g
  mutableGlobalImport: () => wasmModule(
    section(2, vec([[...str('env'), ...str('g'), 3, I32, 0x01]])),
  ),
  // imports env.f : [] -> [] and exports "run" calling it
  importsEnvF: () => wasmModule(
    section(1, vec([functype([], [])])),
    section(2, vec([[...str('env'), ...str('f'), 0, 0]])),
    section(3, vec([[0]])),
    section(7, vec([exportEntry('run', 0, 1)])),
    section(10, vec([body([], [0x10, 0])])),
  ),
  // exports "id": i64 -> i64 (needs BigInt at the boundary) and an i32 "add"
  i64Export: () => wasmModule(
    section(1, vec([functype([I64], [I64]), functype([I32, I32], [I32])])),
    section(3, vec([[0], [1]])),
    section(7, vec([exportEntry('id', 0, 0), exportEntry('add', 0, 1)])),
    section(10, vec([body([], [0x20, 0]), body([], [0x20, 0, 0x20, 1, 0x6a])])),
  ),
};

module.exports = { makeRoot, removeRoot, wasm };
