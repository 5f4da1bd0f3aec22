'use strict';
// docs/guide.md and miniprogram-demo/README.md: both languages complete, Chinese first; the error
// tables list every code the core's table defines (src/errors.rs) and the server codes of the API
// notes; every JS snippet at least parses.
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

function coreCodes() {
  const file = path.join(ROOT, 'src/errors.rs');
  if (!fs.existsSync(file)) return null;
  const src = fs.readFileSync(file, 'utf8');
  const codes = [...src.matchAll(/^\s*[A-Z_]+\s*=\s*(\d+),\s*"/gm)].map((m) => Number(m[1]));
  return codes.length ? codes : null;
}

function apiServerCodes() {
  const file = '/work/shared/ZHENZI-API.md';
  if (!fs.existsSync(file)) return null;
  const text = fs.readFileSync(file, 'utf8');
  const section = text.slice(text.indexOf('## Error codes'), text.indexOf('## Rules'));
  return [...tableCodes(section)];
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

  test('the error tables list every code of the core table, in both languages', (t) => {
    const codes = coreCodes();
    if (!codes) {
      t.skip('src/errors.rs not present');
      return;
    }
    for (const [name, half] of [['中文', zh], ['English', en]]) {
      const listed = tableCodes(half);
      for (const c of codes) assert.ok(listed.has(c), `${name}: code ${c}`);
    }
  });

  test('the error tables list every server code of the API notes and the SDK codes of the contract', (t) => {
    const sdk = [9001, 9100, 9101, 9102, 9103, 9104, 9105, 9201, 9202];
    const server = apiServerCodes();
    if (!server) t.diagnostic('ZHENZI-API.md not present; checking the SDK codes only');
    for (const [name, half] of [['中文', zh], ['English', en]]) {
      const listed = tableCodes(half);
      for (const c of sdk.concat(server || [])) assert.ok(listed.has(c), `${name}: code ${c}`);
    }
    if (server) assert.ok(server.length >= 11, 'found the API table');
  });

  test('every js snippet parses', () => {
    const blocks = [...guide.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(blocks.length >= 10, `${blocks.length} snippets`);
    for (const code of blocks) {
      assert.doesNotThrow(() => new vm.Script(`(async function () {\n${code}\n})`), code.slice(0, 80));
    }
  });
});

describe('miniprogram-demo/README.md', () => {
  const [zh, en] = halves(readme);

  test('both halves explain build, import, sandbox and modes', () => {
    for (const [name, half] of [['中文', zh], ['English', en]]) {
      for (const t of ['./build.sh', 'miniprogram-demo/', 'tests/sandbox/server.js', '__inbox', 'urlCheck', 'initCloud', 'touristappid']) {
        assert.ok(half.includes(t), `${name} half mentions ${t}`);
      }
    }
  });

  test('the sandbox command matches the sandbox CLI and the demo config', (t) => {
    const server = path.join(ROOT, 'tests/sandbox/server.js');
    if (!fs.existsSync(server)) {
      t.skip('no sandbox in this checkout');
      return;
    }
    const src = fs.readFileSync(server, 'utf8');
    assert.ok(src.includes("'--port'") || src.includes('"--port"') || src.includes('--port'), 'sandbox takes --port');
    assert.ok(src.includes('/__inbox/'), 'sandbox serves /__inbox/<number>');
    const port = /--port (\d+)/.exec(readme)[1];
    const config = fs.readFileSync(path.join(ROOT, 'miniprogram-demo/miniprogram/config.js'), 'utf8');
    assert.ok(config.includes(`http://127.0.0.1:${port}`), 'README port = config relayUrl port');
  });
});
