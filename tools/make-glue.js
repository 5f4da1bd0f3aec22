// Turns wasm-bindgen's `--target web` glue into a CommonJS module every runtime can load
// (docs/runtime.md): no TextEncoder/TextDecoder, no WebAssembly global, no fetch,
// no import.meta, no ES module syntax. The loaders instantiate the wasm themselves and hand
// the instance to `attach`.
//
// It is also the typed boundary: every export takes text, bytes or numbers and answers JSON
// text, so one `invoke` (below) replaces wasm-bindgen's near-identical body per export (each
// checked here against the body it replaces), sends an object argument as its JSON text and
// parses each answer once: the shim gets objects, and no caller parses the core's text.
//
// wasm-bindgen is pinned exactly, so every edit below must match exactly once; if a new
// version changes the glue, the build stops here instead of shipping something half-edited.
//
// usage: node tools/make-glue.js <wasm-bindgen js> <tools/glue-utf8.js> <out.js>
'use strict';
const fs = require('fs');

function replaceOnce(text, pattern, replacement, what) {
  const matches = text.match(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g'));
  if (!matches || matches.length !== 1) {
    throw new Error(`make-glue: expected exactly one ${what}, found ${matches ? matches.length : 0}`);
  }
  return text.replace(pattern, replacement);
}

// The kinds of an export's arguments, in order: 's' text, 'b' bytes, 'n' a number; read from
// wasm-bindgen's body for it, which must have exactly the shape `invoke` repeats (a return
// pointer, each text or bytes as (pointer, length), numbers as they are, a string answer
// freed after it is read). Anything else stops the build.
function argumentKinds(name, params, body) {
  const names = params.split(',').map((p) => p.trim()).filter(Boolean);
  const call = body.match(new RegExp(`\\bwasm\\.${name}\\(retptr((?:, \\w+)*)\\);`));
  const shape = ['__wbindgen_add_to_stack_pointer(-16)', 'getStringFromWasm0(r0, r1)', '__wbindgen_add_to_stack_pointer(16)', '__wbindgen_free(deferred'];
  if (!call || shape.some((s) => !body.includes(s))) throw new Error(`make-glue: ${name} is not a text-answering export of the expected shape`);
  const tokens = call[1].split(', ').filter(Boolean);
  let kinds = '';
  for (const p of names) {
    const passed = body.match(new RegExp(`(ptr\\d+) = (passStringToWasm0|passArray8ToWasm0)\\(${p}, `));
    const token = tokens.shift();
    if (passed) {
      const len = tokens.shift();
      if (token !== passed[1] || len !== passed[1].replace('ptr', 'len')) throw new Error(`make-glue: ${name}: ${p} is not passed as (pointer, length) in order`);
      kinds += passed[2] === 'passStringToWasm0' ? 's' : 'b';
    } else {
      const converted = body.match(new RegExp(`const (\\w+) = \\+?${p};`));
      if (token !== p && !(converted && token === converted[1])) throw new Error(`make-glue: ${name}: ${p} is neither text, bytes nor a number in place`);
      kinds += 'n';
    }
  }
  if (tokens.length) throw new Error(`make-glue: ${name} passes more than its arguments`);
  return kinds;
}

// What replaces the bodies: one call for every export, and its typed form.
const INVOKE = `
function invoke(name, kinds, args) {
  const retptr = wasm.__wbindgen_add_to_stack_pointer(-16) >>> 0;
  const flat = [retptr];
  let r0 = 0, r1 = 0;
  try {
    try {
      for (let i = 0; i < kinds.length; i++) {
        const a = args[i];
        if (kinds[i] === 'n') {
          flat.push(+a);
          continue;
        }
        flat.push(passArray8ToWasm0(kinds[i] === 'b' ? a : utf8Encode(typeof a === 'string' ? a : JSON.stringify(a)), wasm.__wbindgen_malloc), WASM_VECTOR_LEN);
      }
    } catch (e) {
      for (let i = 1; i < flat.length; i += 2) wasm.__wbindgen_free(flat[i], flat[i + 1], 1);
      throw e;
    }
    wasm[name].apply(null, flat);
    const slot = new DataView(wasm.memory.buffer);
    r0 = slot.getInt32(retptr, true);
    r1 = slot.getInt32(retptr + 4, true);
    return JSON.parse(getStringFromWasm0(r0, r1));
  } finally {
    wasm.__wbindgen_add_to_stack_pointer(16);
    wasm.__wbindgen_free(r0, r1, 1);
  }
}

function typed(name, kinds) {
  return function () {
    return invoke(name, kinds, arguments);
  };
}
`;

function makeGlue(glue, utf8) {
  let js = glue;
  // Everything from the loader helpers on is for fetch/WebAssembly: the loaders replace it.
  js = replaceOnce(js, /async function __wbg_load\([\s\S]*$/, '', 'loader tail');
  // The text codec block, from the decoder to the encoder's encodeInto polyfill.
  js = replaceOnce(
    js,
    /let cachedTextDecoder = new TextDecoder[\s\S]*?\n}\n(?=\nlet WASM_VECTOR_LEN)/,
    'function decodeText(bytes) { return utf8Decode(bytes); }\n',
    'text codec block'
  );
  // Text goes in as its UTF-8 bytes, copied once into memory malloc'ed to their length (the
  // phone pays for every byte of JS: this is wasm-bindgen's realloc dance, shorter).
  js = replaceOnce(
    js,
    /function passStringToWasm0\(arg, malloc, realloc\) \{\n[\s\S]*?\n\}\n/,
    'function passStringToWasm0(arg, malloc) {\n' +
      '    return passArray8ToWasm0(utf8Encode(arg), malloc);\n' +
      '}\n',
    'passStringToWasm0'
  );
  // The return slot is read once per call in `invoke`: no cached DataView.
  js = replaceOnce(js, /let cachedDataViewMemory0 = null;\nfunction getDataViewMemory0\(\) \{\n[\s\S]*?\n\}\n/, '', 'getDataViewMemory0');
  js = replaceOnce(js, /\n    cachedDataViewMemory0 = null;/, '', 'DataView reset');
  js = js.replace(/^\/\* @ts-self-types=.*\*\/\n/m, '');
  js = js.replace(/^\/\*\*[\s\S]*?\*\/\n/gm, ''); // JSDoc: the typings live in zhenzisms.d.ts
  const exported = [];
  js = js.replace(/^export function (\w+)\(([^)]*)\) \{\n[\s\S]*?\n\}\n/gm, (body, name, params) => {
    exported.push({ name, kinds: argumentKinds(name, params, body) });
    return '';
  });
  if (exported.length === 0) throw new Error('make-glue: no exported functions found');
  if (/^export /m.test(js)) throw new Error('make-glue: an export of an unexpected form is left');
  const banned = /\b(TextDecoder|TextEncoder|WebAssembly|fetch|import\.meta|export|eval|Function|require|process|Buffer)\b/;
  const found = js.match(banned);
  if (found) throw new Error(`make-glue: "${found[0]}" is still in the glue`);
  return [
    '// Generated by tools/make-glue.js from wasm-bindgen\'s glue: do not edit.',
    "'use strict';",
    utf8.trim(),
    js.trim(),
    INVOKE.trim(),
    '',
    'module.exports = {',
    '  imports: __wbg_get_imports,',
    '  attach: __wbg_finalize_init,',
    ...exported.map(({ name, kinds }) => `  ${name}: typed('${name}', '${kinds}'),`),
    '};',
    '',
  ].join('\n');
}

module.exports = { makeGlue };

if (require.main === module) {
  const [glue, utf8, out] = process.argv.slice(2);
  fs.writeFileSync(out, makeGlue(fs.readFileSync(glue, 'utf8'), fs.readFileSync(utf8, 'utf8')));
}
