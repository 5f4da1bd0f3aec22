'use strict';
// A small WebAssembly binary reader that reports which post-MVP features a
// module uses. WXWebAssembly (wxwebassembly.js) uses it to refuse what iOS
// refuses, and the build uses `wasmFeatures` to check the shipped module.
//
// It walks every section and decodes every instruction (MVP, sign-ext,
// 0xFC prefix ops, bulk memory, reference types, SIMD, atomics, tail calls),
// so a feature hidden in a function body is found, not guessed from names.
// Anything it cannot decode (GC, exception handling, ...) throws: callers
// treat an unreadable module as one the device would refuse.

const FUNCREF = 0x70;
const EXTERNREF = 0x6f;
const V128 = 0x7b;
const NUM_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c]); // i32 i64 f32 f64
const I64 = 0x7e;

class Reader {
  constructor(bytes) {
    this.b = bytes;
    this.p = 0;
  }
  eof() { return this.p >= this.b.length; }
  byte() {
    if (this.p >= this.b.length) throw new Error('unexpected end of wasm at byte ' + this.p);
    return this.b[this.p++];
  }
  u32() { // unsigned LEB128; numbers stay exact below 2^53
    let result = 0, mul = 1, b;
    do {
      b = this.byte();
      result += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    return result;
  }
  sleb() { // signed LEB128 (s32/s33/s64); only the sign and size matter here
    let result = 0, mul = 1, b;
    do {
      b = this.byte();
      result += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    if (b & 0x40) result -= mul;
    return result;
  }
  skip(n) {
    if (this.p + n > this.b.length) throw new Error('unexpected end of wasm at byte ' + this.p);
    this.p += n;
  }
  name() { const n = this.u32(); const s = Buffer.from(this.b.subarray(this.p, this.p + n)).toString('utf8'); this.skip(n); return s; }
  vec(fn) { const n = this.u32(); const out = []; for (let i = 0; i < n; i++) out.push(fn()); return out; }
}

// Immediates of the one-byte opcodes, by kind. Opcodes not listed take none;
// opcodes in no table and not in NO_IMMEDIATE are unknown and throw.
const IMM = {};
const set = (kind, ops) => ops.forEach((op) => { IMM[op] = kind; });
set('block', [0x02, 0x03, 0x04]);
set('u32', [0x0c, 0x0d, 0x10, 0x12, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0xd2]);
set('br_table', [0x0e]);
set('call_indirect', [0x11, 0x13]);
set('select_t', [0x1c]);
for (let op = 0x28; op <= 0x3e; op++) IMM[op] = 'memarg';
set('u32', [0x3f, 0x40]); // memory.size / memory.grow: memory index (a 0x00 byte in MVP)
set('sleb', [0x41, 0x42]);
IMM[0x43] = 'f32';
IMM[0x44] = 'f64';
IMM[0xd0] = 'heaptype';
IMM[0xfc] = 'prefix_fc';
IMM[0xfd] = 'prefix_fd';
IMM[0xfe] = 'prefix_fe';
const NO_IMMEDIATE = new Set([0x00, 0x01, 0x05, 0x0b, 0x0f, 0x1a, 0x1b, 0xd1]);
for (let op = 0x45; op <= 0xc4; op++) NO_IMMEDIATE.add(op);

// 0xFC sub-opcodes: number of u32 immediates.
const FC_ARGS = [0, 0, 0, 0, 0, 0, 0, 0, /*8 memory.init*/ 2, /*9 data.drop*/ 1, /*10 memory.copy*/ 2,
  /*11 memory.fill*/ 1, /*12 table.init*/ 2, /*13 elem.drop*/ 1, /*14 table.copy*/ 2, /*15 table.grow*/ 1,
  /*16 table.size*/ 1, /*17 table.fill*/ 1];

function newFeatures() {
  return {
    exportsGlobal: false,
    referenceTypes: false,
    multiValue: false,
    bulkMemory: false,
    signExt: false,
    simd: false,
    mutableGlobals: false,
    nontrappingFptoint: false,
    details: [],
  };
}

function analyse(input) {
  const bytes = toBytes(input);
  const f = newFeatures();
  // One details line per kind of finding, naming the first place seen.
  const seen = new Set();
  const byFlag = {}; // flag -> its details lines (for error messages)
  const note = (flag, what, where) => {
    if (flag) f[flag] = true;
    if (seen.has(what)) return;
    seen.add(what);
    const line = where ? `${what} (first in ${where})` : what;
    f.details.push(line);
    if (flag) (byFlag[flag] = byFlag[flag] || []).push(line);
  };
  const r = new Reader(bytes);
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  for (const m of magic) if (r.byte() !== m) throw new Error('not a wasm (version 1) binary');

  const types = []; // {params, results}
  const funcTypes = []; // type index of every function, imported first
  const globalTypes = []; // {valtype, mutable}, imported first
  const tableCount = { n: 0 };
  const exports = [];
  const imports = [];

  const valtype = (where) => {
    const t = r.byte();
    if (t === FUNCREF || t === EXTERNREF) note('referenceTypes', `${t === FUNCREF ? 'funcref' : 'externref'} value type`, where);
    else if (t === V128) note('simd', 'v128 value type', where);
    else if (!NUM_TYPES.has(t)) throw new Error(`unknown value type 0x${t.toString(16)} in ${where}`);
    return t;
  };
  const limits = () => {
    const flag = r.byte();
    if (flag & ~0x07) throw new Error('unknown limits flag 0x' + flag.toString(16));
    if (flag & 0x02) note(null, 'shared memory (threads)');
    if (flag & 0x04) note(null, 'memory64');
    r.u32();
    if (flag & 0x01) r.u32();
  };
  const tableType = (where) => {
    const t = r.byte();
    if (t !== FUNCREF && t !== EXTERNREF) throw new Error('unknown table element type 0x' + t.toString(16));
    if (t !== FUNCREF) note('referenceTypes', 'externref table', where);
    limits();
    tableCount.n++;
    if (tableCount.n > 1) note('referenceTypes', 'more than one table');
  };
  const blockType = (where) => {
    const t = r.b[r.p];
    if (t === 0x40) { r.p++; return; }
    if (NUM_TYPES.has(t) || t === V128 || t === FUNCREF || t === EXTERNREF) { valtype(`a block type in ${where}`); return; }
    const idx = r.sleb();
    if (idx < 0) throw new Error('unknown block type');
    note('multiValue', 'block type given by a type index', where);
  };
  const memarg = () => {
    const align = r.u32();
    if (align & 0x40) { r.u32(); note(null, 'multi-memory'); }
    r.u32(); // offset
  };

  // Decode instructions until the `end` that closes the outermost block.
  const expr = (where) => {
    let depth = 1;
    while (depth > 0) {
      const op = r.byte();
      if (op === 0x0b) { depth--; continue; }
      if (op === 0x02 || op === 0x03 || op === 0x04) depth++;
      if (op >= 0xc0 && op <= 0xc4) note('signExt', 'sign-extension operators', where);
      if (op === 0xd0 || op === 0xd1 || op === 0xd2) note('referenceTypes', `ref.${['null', 'is_null', 'func'][op - 0xd0]}`, where);
      if (op === 0x25 || op === 0x26) note('referenceTypes', `table.${op === 0x25 ? 'get' : 'set'}`, where);
      if (op === 0x12 || op === 0x13) note(null, 'tail calls', where);
      const kind = IMM[op];
      if (kind === undefined) {
        if (NO_IMMEDIATE.has(op)) continue;
        throw new Error(`unknown opcode 0x${op.toString(16)} at byte ${r.p - 1} in ${where}`);
      }
      switch (kind) {
        case 'block': blockType(where); break;
        case 'u32': r.u32(); break;
        case 'sleb': r.sleb(); break;
        case 'f32': r.skip(4); break;
        case 'f64': r.skip(8); break;
        case 'memarg': memarg(); break;
        case 'br_table': r.vec(() => r.u32()); r.u32(); break;
        case 'call_indirect': {
          r.u32();
          // MVP has a reserved 0x00 byte here; reference types make it a
          // LEB128 table index. LLVM writes it overlong (5 bytes, its
          // "call-indirect-overlong" feature), which an MVP decoder rejects.
          const at = r.p;
          if (r.u32() !== 0) note('referenceTypes', 'call_indirect through a table other than 0', where);
          else if (r.p - at > 1) note('referenceTypes', 'call_indirect table index written as a multi-byte LEB128 (MVP wants one 0x00 byte)', where);
          break;
        }
        case 'select_t': note('referenceTypes', 'typed select', where); r.vec(() => valtype(where)); break;
        case 'heaptype': r.sleb(); break;
        case 'prefix_fc': {
          const sub = r.u32();
          if (sub >= FC_ARGS.length) throw new Error(`unknown opcode 0xfc ${sub} in ${where}`);
          if (sub <= 7) note('nontrappingFptoint', 'non-trapping float-to-int conversions', where);
          else if (sub <= 11) note('bulkMemory', 'bulk memory operators (memory.init/data.drop/memory.copy/memory.fill)', where);
          if (sub >= 12) {
            // table.init/elem.drop/table.copy come with bulk memory, but touch
            // tables; counted as reference types too, conservatively (iOS).
            if (sub <= 14) note('bulkMemory', 'bulk table operators', where);
            note('referenceTypes', `table operator 0xfc ${sub}`, where);
          }
          for (let i = 0; i < FC_ARGS[sub]; i++) r.u32();
          break;
        }
        case 'prefix_fd': simdOp(where); break;
        case 'prefix_fe': {
          note(null, 'atomics (threads)', where);
          const sub = r.u32();
          if (sub === 0x03) r.byte(); else memarg();
          break;
        }
        default: throw new Error('decoder table error');
      }
    }
  };
  const simdOp = (where) => {
    note('simd', 'SIMD operators', where);
    const sub = r.u32();
    if (sub <= 11 || sub === 92 || sub === 93) memarg(); // loads/stores
    else if (sub === 12 || sub === 13) r.skip(16); // v128.const, i8x16.shuffle
    else if (sub >= 21 && sub <= 34) r.byte(); // extract/replace lane
    else if (sub >= 84 && sub <= 91) { memarg(); r.byte(); } // load/store lane
    else if (sub > 0x113) throw new Error(`unknown opcode 0xfd ${sub} in ${where}`);
  };

  // Section order is the engine's business; this only reads.
  while (!r.eof()) {
    const id = r.byte();
    const size = r.u32();
    const end = r.p + size;
    if (end > bytes.length) throw new Error('section runs past the end of the module');
    switch (id) {
      case 0: { // custom
        const name = r.name();
        if (name === 'target_features') {
          const feats = r.vec(() => { const prefix = String.fromCharCode(r.byte()); return prefix + r.name(); });
          note(null, 'target_features section: ' + feats.join(' '));
        }
        r.p = end; // the rest of a custom section is opaque
        break;
      }
      case 1: // type
        r.vec(() => {
          const form = r.byte();
          if (form !== 0x60) throw new Error('unknown type form 0x' + form.toString(16) + ' (GC types?)');
          const params = r.vec(() => valtype('a function type'));
          const results = r.vec(() => valtype('a function type'));
          if (results.length > 1) note('multiValue', 'function type with more than one result');
          types.push({ params, results });
        });
        break;
      case 2: // import
        r.vec(() => {
          const module = r.name(), name = r.name(), kind = r.byte();
          imports.push({ module, name, kind });
          if (kind === 0) funcTypes.push(r.u32());
          else if (kind === 1) tableType(`import ${module}.${name}`);
          else if (kind === 2) limits();
          else if (kind === 3) {
            const t = valtype(`import ${module}.${name}`);
            const mutable = r.byte() === 1;
            if (mutable) note('mutableGlobals', `imports mutable global ${module}.${name}`);
            globalTypes.push({ valtype: t, mutable });
          } else if (kind === 4) { note(null, 'exception tags'); r.byte(); r.u32(); }
          else throw new Error('unknown import kind ' + kind);
        });
        break;
      case 3: r.vec(() => funcTypes.push(r.u32())); break; // function
      case 4: r.vec(() => tableType('table section')); break;
      case 5: r.vec(() => limits()); break; // memory
      case 6: // global
        r.vec(() => {
          const t = valtype('a global');
          const mutable = r.byte() === 1;
          globalTypes.push({ valtype: t, mutable });
          expr('a global initialiser');
        });
        break;
      case 7: // export
        r.vec(() => {
          const name = r.name(), kind = r.byte(), index = r.u32();
          exports.push({ name, kind, index });
        });
        break;
      case 8: r.u32(); break; // start
      case 9: // element
        r.vec(() => {
          const flags = r.u32();
          if (flags > 7) throw new Error('unknown element segment flags ' + flags);
          if (flags === 1) note('bulkMemory', 'passive element segment');
          if (flags === 3) note('referenceTypes', 'declarative element segment');
          if (flags >= 4) note('referenceTypes', 'element segment of expressions');
          if (flags === 2 || flags === 6) { if (r.u32() !== 0) note('referenceTypes', 'element segment for a table other than 0'); }
          if ((flags & 1) === 0) expr('an element offset');
          if (flags & 3) { // explicit elemkind / reftype
            const k = r.byte();
            if (flags & 4) { if (k !== FUNCREF) note('referenceTypes', 'externref element segment'); }
            else if (k !== 0x00) throw new Error('unknown elemkind');
          }
          if (flags & 4) r.vec(() => expr('an element expression'));
          else r.vec(() => r.u32());
        });
        break;
      case 10: { // code
        let i = 0;
        const imported = imports.filter((im) => im.kind === 0).length;
        r.vec(() => {
          const bodySize = r.u32();
          const bodyEnd = r.p + bodySize;
          const where = `function ${imported + i++}`;
          r.vec(() => { r.u32(); valtype(`locals of ${where}`); });
          expr(where);
          if (r.p !== bodyEnd) throw new Error(`function body size mismatch in ${where}`);
        });
        break;
      }
      case 11: // data
        r.vec(() => {
          const flags = r.u32();
          if (flags === 1) note('bulkMemory', 'passive data segment');
          else if (flags === 2) { if (r.u32() !== 0) note(null, 'multi-memory'); }
          else if (flags !== 0) throw new Error('unknown data segment flags ' + flags);
          if (flags !== 1) expr('a data offset');
          r.skip(r.u32());
        });
        break;
      case 12: note('bulkMemory', 'data count section'); r.u32(); break;
      case 13: note(null, 'exception tags'); r.p = end; break;
      default: throw new Error('unknown section id ' + id);
    }
    if (r.p !== end) throw new Error(`section ${id} size mismatch`);
  }

  for (const e of exports) {
    if (e.kind === 3) {
      note('exportsGlobal', `exports global "${e.name}"`);
      const g = globalTypes[e.index];
      if (g && g.mutable) note('mutableGlobals', `exports mutable global "${e.name}"`);
    }
  }
  // Functions on the JS boundary whose signature has an i64: calling them
  // needs BigInt (JS-BigInt integration). Used by the no-BigInt mode.
  const i64Sig = (ti) => { const t = types[ti]; return !!t && [...t.params, ...t.results].includes(I64); };
  const boundary = { exports: [], imports: [] };
  let fi = 0;
  for (const im of imports) {
    if (im.kind === 0) { if (i64Sig(funcTypes[fi])) boundary.imports.push(`${im.module}.${im.name}`); fi++; }
  }
  for (const e of exports) if (e.kind === 0 && i64Sig(funcTypes[e.index])) boundary.exports.push(e.name);
  return { features: f, byFlag, i64Boundary: boundary, imports, exports };
}

function toBytes(input) {
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  // Cross-realm ArrayBuffers fail instanceof; the internal slot check below does not.
  try { return new Uint8Array(input); } catch (e) { throw new TypeError('wasmFeatures expects bytes'); }
}

/**
 * wasmFeatures(bytes) → {exportsGlobal, referenceTypes, multiValue, bulkMemory,
 * signExt, simd, mutableGlobals, nontrappingFptoint, details: string[]}.
 * Throws on a binary it cannot read.
 */
function wasmFeatures(bytes) {
  return analyse(bytes).features;
}

module.exports = { wasmFeatures, analyseWasm: analyse };
