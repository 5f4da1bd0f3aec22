'use strict';
// docs/guide.md and miniprogram-demo/README.md: both languages complete, Chinese first; the error
// tables list every code the core's table defines (src/errors.rs) and the server codes of the API
// notes (docs/zhenzi-api.md, whose table agrees with the core's); every JS snippet at least parses.
// Everything read here is in the repository; a missing file fails, it does not shrink the test.
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const ROOT = path.resolve(__dirname, '../..');
const guide = fs.readFileSync(path.join(ROOT, 'docs/guide.md'), 'utf8');
const readme = fs.readFileSync(path.join(ROOT, 'miniprogram-demo/README.md'), 'utf8');

/** [chinese, english] halves, split at the "## English" heading that follows "## 中文". */
function halves(text) {
  const zh = text.indexOf('\n## 中文');
  const en = text.indexOf('\n## English');
  assert.ok(zh >= 0 && en >= 0, 'has ## 中文 and ## English');
  assert.ok(zh < en, 'Chinese first');
  return [text.slice(zh, en), text.slice(en)];
}

/** Codes listed as the first cell of a table row: "| 9101 | …". */
function tableCodes(text) {
  return new Set([...text.matchAll(/^\|\s*(\d+)\s*\|/gm)].map((m) => Number(m[1])));
}

/** code → zh reason of the core's table, asked of the built core (the Node module carries every
 *  row, Tencent's included): the table has one source, src/errors.rs, and this reads it as users do. */
function coreTable() {
  const sdk = require(path.join(ROOT, 'dist/npm/zhenzisms.js'));
  const rows = sdk.errorTable();
  assert.ok(rows.length >= 20, `read the core's error table (${rows.length} rows)`);
  return new Map(rows.map((r) => [r.code, r.reason]));
}

/** code → vendor text of the server error table in docs/zhenzi-api.md ("## Error codes"). */
function apiServerTable() {
  const text = fs.readFileSync(path.join(ROOT, 'docs/zhenzi-api.md'), 'utf8');
  const start = text.indexOf('\n## Error codes');
  assert.ok(start >= 0, 'docs/zhenzi-api.md has ## Error codes');
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const rows = [...section.matchAll(/^\|\s*(\d+)\s*\|\s*([^|]+?)\s*\|/gm)];
  assert.ok(rows.length >= 11, `found the API table (${rows.length} rows)`);
  return new Map(rows.map((m) => [Number(m[1]), m[2]]));
}

describe('docs/guide.md', () => {
  const [zh, en] = halves(guide);

  test('both halves have every section, in the same order', () => {
    const zhSections = [...zh.matchAll(/^### (\d+)\./gm)].map((m) => m[1]);
    const enSections = [...en.matchAll(/^### (\d+)\./gm)].map((m) => m[1]);
    assert.ok(zhSections.length >= 8, `${zhSections.length} sections`);
    assert.deepEqual(enSections, zhSections);
  });

  test('each half covers the required topics', () => {
    const topics = [
      'dist/utils/', '2.14.0', '2.15.0', 'wasmPath', 'miniprogram_npm', '构建 npm',
      'https://smsdeveloper.zhenzikj.com', 'dist/cloudfunctions/zhenzisms',
      'ZHENZI_APP_ID', 'ZHENZI_APP_SECRET', 'ZHENZI_API_URL', 'sms-record', 'initCloud',
      'code_used', 'too_many_attempts', 'Math.random', 'errorInfo', 'ZhenziClient', 'appSecret',
    ];
    for (const [name, half] of [['中文', zh], ['English', en]]) {
      for (const t of topics) assert.ok(half.includes(t), `${name} half mentions ${t}`);
      for (const v of ['A', 'B', 'C', 'D', 'E']) {
        assert.match(half, new RegExp(`^\\| ${v} \\|`, 'm'), `${name}: version ${v} in the table`);
      }
    }
    assert.ok(/[\u4e00-\u9fff]{20}/.test(zh.replace(/[`|\s，。、：；（）]/g, '')), 'the Chinese half is Chinese');
  });

  test('the error tables list every code of the core table, in both languages', () => {
    const codes = [...coreTable().keys()];
    for (const [name, half] of [['中文', zh], ['English', en]]) {
      const listed = tableCodes(half);
      for (const c of codes) assert.ok(listed.has(c), `${name}: code ${c}`);
    }
  });

  test('the error tables list every server code of the API notes and the SDK codes of the contract', () => {
    const sdk = [9001, 9100, 9101, 9102, 9103, 9104, 9105, 9201, 9202];
    const server = [...apiServerTable().keys()];
    for (const [name, half] of [['中文', zh], ['English', en]]) {
      const listed = tableCodes(half);
      for (const c of sdk.concat(server)) assert.ok(listed.has(c), `${name}: code ${c}`);
    }
  });

  test('every js snippet parses', () => {
    const blocks = [...guide.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(blocks.length >= 10, `${blocks.length} snippets`);
    for (const code of blocks) {
      assert.doesNotThrow(() => new vm.Script(`(async function () {\n${code}\n})`), code.slice(0, 80));
    }
  });
});

describe('docs/zhenzi-api.md', () => {
  test('its server codes are the core\'s server codes (below 9000), with the same vendor text', () => {
    const core = coreTable();
    const api = apiServerTable();
    const coreServer = [...core.keys()].filter((c) => c < 9000);
    assert.deepEqual([...api.keys()].sort((a, b) => a - b), coreServer.sort((a, b) => a - b));
    for (const [code, text] of api) assert.equal(text, core.get(code), `code ${code}`);
  });
});

describe('miniprogram-demo/README.md', () => {
  const [zh, en] = halves(readme);

  test('both halves explain build, import, sandbox and modes', () => {
    for (const [name, half] of [['中文', zh], ['English', en]]) {
      for (const t of ['./build.sh', 'miniprogram-demo/', 'sandbox/server.js', '__inbox', 'urlCheck', 'initCloud', 'touristappid']) {
        assert.ok(half.includes(t), `${name} half mentions ${t}`);
      }
    }
  });

  test('the sandbox command matches the sandbox CLI and the demo config', () => {
    const src = fs.readFileSync(path.join(ROOT, 'sandbox/server.js'), 'utf8');
    assert.ok(src.includes("'--port'") || src.includes('"--port"') || src.includes('--port'), 'sandbox takes --port');
    assert.ok(src.includes('/__inbox/'), 'sandbox serves /__inbox/<number>');
    const port = /--port (\d+)/.exec(readme)[1];
    const config = fs.readFileSync(path.join(ROOT, 'miniprogram-demo/miniprogram/config.js'), 'utf8');
    assert.ok(config.includes(`http://127.0.0.1:${port}`), 'README port = config relayUrl port');
  });
});
