// Signing keys and signing code never reach phones: the mini-program's module (dist/utils and
// the npm package's miniprogram_dist) has no TC3 code, no Tencent rows and no Tencent export,
// while Node's module (npm top level, cloud function) has all three. The second half is what
// makes the first able to fail.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const DIST = path.resolve(__dirname, '../../dist');
// Byte strings only the Tencent code paths contain.
const MARKERS = ['TC3-HMAC-SHA256', 'tc3_request', 'PhoneNumberSet', 'X-TC-Timestamp', 'SendStatusSet', '腾讯云密钥错误'];

function read(rel) {
  const file = path.join(DIST, rel);
  assert.ok(fs.existsSync(file), `${rel} is missing: run ./build.sh build first`);
  const bytes = fs.readFileSync(file);
  return rel.endsWith('.br') ? zlib.brotliDecompressSync(bytes) : bytes;
}

function exportNames(bytes) {
  return WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
}

function markersIn(bytes) {
  return MARKERS.filter((m) => bytes.includes(Buffer.from(m, 'utf8')));
}

for (const rel of ['utils/zhenzisms_bg.wasm.br', 'npm/miniprogram_dist/zhenzisms_bg.wasm.br']) {
  test(`${rel}: no TC3 code, no Tencent rows, no Tencent export`, () => {
    const wasm = read(rel);
    assert.deepEqual(markersIn(wasm), []);
    assert.deepEqual(exportNames(wasm).filter((n) => /tencent|tc3/i.test(n)), []);
  });
}

for (const rel of ['utils/zhenzisms_core.js', 'npm/miniprogram_dist/zhenzisms_core.js']) {
  test(`${rel}: the glue exposes no Tencent function`, () => {
    assert.doesNotMatch(read(rel).toString('utf8'), /tencent/i);
  });
}

for (const dir of ['npm', 'cloudfunctions/zhenzisms']) {
  test(`${dir}: Node's module signs and knows the Tencent rows`, () => {
    const wasm = read(dir + '/zhenzisms_bg.wasm');
    assert.deepEqual(markersIn(wasm), MARKERS);
    const names = exportNames(wasm);
    assert.ok(names.includes('tencentBuildRequest') && names.includes('tencentParseReply'), names.join(','));
    assert.match(read(dir + '/zhenzisms_core.js').toString('utf8'), /tencentBuildRequest: typed\('tencentBuildRequest', 'ssn'\)/);
  });
}
