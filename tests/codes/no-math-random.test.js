// Math.random is never used. The whole client-mode flow runs in the simulator with
// Math.random throwing (and counted), the cloud function runs with the host's Math.random
// throwing, and no shipped file refers to it (JS text, and the wasm imports nothing random).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { startSandbox } = require('../../sandbox/server.js');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { DIST, directClient, cloudClient, withEnv, cloudEnv, lastCode, phone } = require('./helpers.js');

const MATH_RANDOM = /Math\s*(\.\s*random|\[\s*['"`]random['"`]\s*\])/;

let sb;
test.before(async () => {
  sb = await startSandbox({ port: 0 });
});
test.after(() => sb.close());

function distFiles(dir = DIST) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? distFiles(p) : [p];
  });
}

test('no built JS file in dist/ mentions Math.random', () => {
  const js = distFiles().filter((f) => f.endsWith('.js'));
  // The three outputs are all there: mini-program utils, npm (Node + miniprogram_dist), cloud function.
  for (const must of ['utils/zhenzisms_codes.js', 'utils/zhenzisms_client.js', 'npm/zhenzisms_core.js', 'npm/miniprogram_dist/zhenzisms_wx.js', 'cloudfunctions/zhenzisms/index.js']) {
    assert.ok(js.includes(path.join(DIST, must)), `${must} is missing from dist/`);
  }
  const offenders = js.filter((f) => MATH_RANDOM.test(fs.readFileSync(f, 'utf8')));
  assert.deepStrictEqual(offenders, []);
  // The pattern finds what it is meant to find.
  assert.ok(MATH_RANDOM.test('var d = Math.floor(Math.random() * 9);') && MATH_RANDOM.test("Math['random']()"));
});

test('no shipped wasm imports anything random (it gets its bytes as an argument)', () => {
  const wasm = distFiles().filter((f) => /\.wasm(\.br)?$/.test(f));
  assert.ok(wasm.length >= 3, `wasm files: ${wasm}`);
  for (const f of wasm) {
    let bytes = fs.readFileSync(f);
    if (f.endsWith('.br')) bytes = zlib.brotliDecompressSync(bytes);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
    const random = imports.filter((i) => /random|crypto|math/i.test(i.module + '.' + i.name));
    assert.deepStrictEqual(random, [], `${path.relative(DIST, f)} imports ${JSON.stringify(random)}`);
  }
});

test('the whole client-mode flow runs with Math.random throwing, and never calls it', async (t) => {
  const c = await directClient(sb);
  t.after(() => c.mp.dispose());
  const { mp, client } = c;
  // The mode is really on…
  assert.throws(() => mp.run('Math.random()', 'probe.js'), /Math\.random is not allowed/);
  // …and every call is counted, in case the SDK caught the throw and fell back to something.
  const throwing = mp.global.Math.random;
  let calls = 0;
  mp.global.Math.random = function () {
    calls++;
    return throwing();
  };
  let now = Date.UTC(2025, 6, 1, 2, 0, 0);
  mp.global.Date.now = () => now;
  const n1 = phone('1360', 1);
  const n2 = phone('1360', 2);
  const n3 = phone('1360', 3);
  const results = [];
  results.push((await client.sendCode(null, n1, '码{code}', '', 300, 6)).data.code);
  results.push(client.validateCode(n1, lastCode(sb, n1)));
  now += 60000;
  results.push((await client.sendCode(null, { number: n2, message: '码{code}', seconds: 300, length: 8 })).data.code);
  results.push(await client.validateCode(() => {}, n2, lastCode(sb, n2)));
  now += 60000;
  results.push((await client.sendCode({ number: n3, templateId: '1001', templateParams: ['{code}', '5'] })).data.code);
  results.push(client.validateCode(lastCode(sb, n3)));
  const made = client.createCode(6, 300, n1);
  results.push((await client.send(null, { number: n1, templateId: '1001', templateParams: [made, '5'] })).data.code);
  results.push(client.validateCode(n1, lastCode(sb, n1)));
  // Enough codes to drain the 1024-byte entropy pool several times over (48 bytes a code).
  for (let i = 0; i < 60; i++) {
    now += 60000;
    const r = await client.sendCode(null, phone('1361', i), '码{code}', '', 300, 6);
    assert.strictEqual(r.data.code, 0, JSON.stringify(r.data));
  }
  results.push((await client.balance()).data.code);
  assert.deepStrictEqual(results, [0, 'ok', 0, 'ok', 0, 'ok', 0, 'ok', 0]);
  await mp.pending();
  assert.strictEqual(calls, 0, 'Math.random was called');
  assert.deepStrictEqual(mp.errors, []);
  assert.ok(!mp.logs.some((l) => /Math\.random/.test(l.text)), JSON.stringify(mp.logs));
});

test('the cloud function makes codes with the host Math.random throwing, and never calls it', async (t) => {
  const cloudSdk = createCloudSdk({ openid: 'openid-random' });
  const { mp, client } = cloudClient(cloudSdk);
  t.after(() => mp.dispose());
  const original = Math.random;
  let calls = 0;
  Math.random = () => {
    calls++;
    throw new Error('Math.random is not allowed');
  };
  try {
    await withEnv(cloudEnv(sb, { ZHENZI_COOLDOWN_SECONDS: 0 }), async () => {
      for (let i = 0; i < 3; i++) {
        const number = phone('1362', i);
        cloudSdk.context.OPENID = 'openid-random-' + i; // no two codes of one caller in one ms
        const res = await client.sendCode(null, { number, message: '码{code}' });
        assert.strictEqual(res.data.code, 0, JSON.stringify(res.data));
        assert.strictEqual((await client.validateCode({ number: number, code: lastCode(sb, number) })).result, 'ok');
      }
    });
  } finally {
    Math.random = original;
  }
  assert.strictEqual(calls, 0, 'Math.random was called');
});
