// Reads and rewrites the export section of a wasm binary.
// Used by the build to drop exported globals (iOS WeChat cannot load a module that
// exports one, docs/runtime.md) and to check that none remain.
'use strict';

function readLeb(bytes, pos) {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, pos];
}

function writeLeb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

// Yields {id, start, end, bodyStart} for every section.
function* sections(bytes) {
  let pos = 8; // magic + version
  while (pos < bytes.length) {
    const start = pos;
    const id = bytes[pos++];
    let size;
    [size, pos] = readLeb(bytes, pos);
    yield { id, start, bodyStart: pos, end: pos + size };
    pos += size;
  }
}

const KINDS = ['function', 'table', 'memory', 'global', 'tag'];

// [{name, kind, index, raw}] of the export section.
function listExports(bytes) {
  for (const s of sections(bytes)) {
    if (s.id !== 7) continue;
    let pos = s.bodyStart, count, len, index;
    [count, pos] = readLeb(bytes, pos);
    const list = [];
    for (let i = 0; i < count; i++) {
      const from = pos;
      [len, pos] = readLeb(bytes, pos);
      const name = Buffer.from(bytes.subarray(pos, pos + len)).toString('utf8');
      pos += len;
      const kind = KINDS[bytes[pos++]];
      [index, pos] = readLeb(bytes, pos);
      list.push({ name, kind, index, raw: bytes.subarray(from, pos) });
    }
    return list;
  }
  return [];
}

// A copy of the module without the exports `keep` refuses.
function filterExports(bytes, keep) {
  for (const s of sections(bytes)) {
    if (s.id !== 7) continue;
    const kept = listExports(bytes).filter(keep);
    const body = [...writeLeb(kept.length)];
    for (const e of kept) body.push(...e.raw);
    const section = [7, ...writeLeb(body.length), ...body];
    return Buffer.concat([bytes.subarray(0, s.start), Buffer.from(section), bytes.subarray(s.end)]);
  }
  return Buffer.from(bytes);
}

module.exports = { listExports, filterExports };

if (require.main === module) {
  // node tools/wasm-exports.js in.wasm out.wasm  → drops exported globals
  const fs = require('fs');
  const [input, output] = process.argv.slice(2);
  const bytes = fs.readFileSync(input);
  const dropped = listExports(bytes).filter((e) => e.kind === 'global').map((e) => e.name);
  fs.writeFileSync(output, filterExports(bytes, (e) => e.kind !== 'global'));
  console.log(`exports: dropped global(s) ${dropped.join(', ') || '(none)'}`);
}
