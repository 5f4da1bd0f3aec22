'use strict';
// What the docs claim, checked against the built code and the sandbox (issue 21, item 6): each test
// pairs a sentence of the docs with the behaviour it describes, so the two cannot drift apart again.
//   - the guide's Chinese error tables give the core's own reasons and remedies (src/errors.rs), the
//     English ones its reasons; the Tencent tables have the same columns in both languages;
//   - a numeric TENCENT_SMS_SIGN_NAME is refused by the function with 9001, not by Tencent with 9324;
//   - spaces around an appSecret are trimmed, so they are never "the usual cause" of 110;
//   - a cloud-mode sendCode that timed out keeps its code (it works when the SMS arrives), so 9101's
//     remedy there is to wait, not to look a messageId up;
//   - ZHENZI_API_URL is optional: unset, the function posts to the individual host;
//   - version B's one-argument validateCode answers 'error' for a used code (the guide's B block runs
//     it: tests/docs/snippets.test.js).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');

const { ROOT, parseMarker } = require('./blocks.js');
const runners = require('./runners.js');

const read = (f) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const guide = read('docs/guide.md');
const enAt = guide.indexOf('\n## English');
const halves = { zh: guide.slice(0, enAt), en: guide.slice(enAt) };
const norm = (t) => String(t).replace(/[`\s]/g, '');

let sandbox = null;
let core = null;
before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist/npm/zhenzisms.js')), 'dist/ is not built: run ./build.sh build first');
  core = new Map(require(path.join(ROOT, 'dist/npm/zhenzisms.js')).errorTable().map((r) => [r.code, r]));
  sandbox = await runners.startDocSandbox();
});
after(async () => {
  if (sandbox) await sandbox.close();
});

/** Rows {code, cells} of the tables in `text` whose header starts with `header`. */
function tables(text, header) {
  const rows = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith(header)) continue;
    for (let j = i + 2; j < lines.length && lines[j].startsWith('|'); j++) {
      const cells = lines[j].slice(1, -1).split('|').map((c) => c.trim());
      rows.push({ code: Number(cells[0]), cells, header: lines[i] });
    }
  }
  return rows;
}

test('the Chinese error tables give the core\'s reason and remedy first; the English ones its reason', () => {
  const zh = tables(halves.zh, '| code | 原因 | 解决办法 |');
  assert.ok(zh.length >= 20, `${zh.length} rows`);
  for (const { code, cells } of zh) {
    const row = core.get(code);
    assert.ok(row, `${code} is in the core's table`);
    assert.ok(norm(cells[1]).startsWith(norm(row.reason)), `${code} reason: "${cells[1]}" vs "${row.reason}"`);
    assert.ok(norm(cells[2]).startsWith(norm(row.solution)), `${code} remedy: "${cells[2]}" should start with "${row.solution}"`);
  }
  const en = tables(halves.en, '| code | reason');
  assert.deepEqual(en.map((r) => r.code), zh.map((r) => r.code), 'the same codes in both languages');
  // "参数格式错误 — malformed parameter": the core's Chinese reason (or its start), then English.
  for (const { code, cells } of en) {
    const [said, english] = cells[1].split(' — ');
    const zhSaid = norm(said.replace('(sic)', ''));
    assert.ok(norm(core.get(code).reason).startsWith(zhSaid) && zhSaid.length >= 4, `${code}: "${cells[1]}"`);
    assert.ok(english && /^[\x20-\x7e]+$/.test(english), `${code}: an English reason after " — "`);
  }
});

test('the Tencent tables: the same four columns and codes in both languages, the core\'s reasons', () => {
  const zh = tables(halves.zh, '| code | 腾讯云错误码 |');
  const en = tables(halves.en, '| code | Tencent code |');
  assert.equal(zh[0].header, '| code | 腾讯云错误码 | 原因 | 解决办法 |');
  assert.equal(en[0].header, '| code | Tencent code | reason | what to do |');
  assert.deepEqual(en.map((r) => r.code), zh.map((r) => r.code));
  assert.ok(zh.length >= 28, `${zh.length} rows`);
  zh.forEach((r, i) => {
    const row = core.get(r.code);
    assert.equal(r.cells.length, 4);
    assert.equal(en[i].cells.length, 4);
    assert.equal(r.cells[1], en[i].cells[1], `${r.code}: the same Tencent codes`);
    assert.equal(r.cells[2], row.reason, `${r.code} zh reason`);
    assert.equal(en[i].cells[2], row.message, `${r.code} en reason`);
    assert.ok(en[i].cells[3].length > 10, `${r.code}: an English remedy`);
  });
  // The remedy errorInfo answers is the one the table gives first (a reply's `solution`).
  const differ = zh.filter((r) => !norm(r.cells[3]).startsWith(norm(core.get(r.code).solution)));
  assert.deepEqual(differ.map((r) => `${r.code}: "${r.cells[3]}" vs the core's "${core.get(r.code).solution}"`), []);
});

// The forms tests/dropin/fidelity.test.js and tests/cloudmode check: the callback's (result, verified),
// the Promise of {result, verified?}, and cloud mode's synchronous answer.
test('validateCode\'s forms: the guide (both languages) and the npm README name each as the SDK answers it', () => {
  for (const [f, text] of [['guide zh', halves.zh], ['guide en', halves.en], ['npm README', read('pkg-template/npm/README.md')]]) {
    assert.match(text, /validateCode\(function \(result, verified\)/, `${f}: the callback's two arguments`);
    assert.match(text, /validateCode\(\{ number, code \}\)/, `${f}: the object form`);
    assert.match(text, /\{ result, verified\? \}/, `${f}: what its Promise answers`);
    assert.match(text, /'not_checked'/, `${f}: cloud mode's synchronous answer`);
    assert.match(text, /'error'/, `${f}: version B's`);
  }
});

test('no remedy of the core blames spaces around a key or secret: the SDK trims them (110, 9301)', () => {
  for (const row of core.values()) assert.doesNotMatch(row.solution, /不要多复制空格|复制时带了空格/, `${row.code}: ${row.solution}`);
  for (const code of [110, 9301]) assert.ok(guide.split('\n').some((l) => l.startsWith(`| ${code} |`) && /自动去掉/.test(l)), `${code}: the guide says they are trimmed`);
});

test('a numeric TENCENT_SMS_SIGN_NAME: the guide says 9001 from the function, and the function answers 9001', async () => {
  for (const half of Object.values(halves)) {
    const line = half.split('\n').find((l) => l.startsWith('- `TENCENT_SMS_SIGN_NAME`'));
    assert.ok(line, 'the SignName pitfall');
    assert.match(line, /9001/);
    assert.match(line, /is a number/);
  }
  const env = {
    SMS_PROVIDER: 'tencent', TENCENT_SMS_SDK_APP_ID: '1400000001', TENCENT_SMS_SIGN_NAME: '123456', TENCENT_SMS_TEMPLATE_ID: '100001',
    TENCENT_SECRET_ID: 'AKIDsandboxPermanent', TENCENT_SECRET_KEY: 'sandbox-tencent-key', TENCENT_SMS_ENDPOINT: sandbox.url,
  };
  const marker = `page cloud expect=9001 ${Object.entries(env).map(([k, v]) => `env.${k}=${v}`).join(' ')}`;
  sandbox.reset();
  const r = await runners.runPage({ id: 'facts:signname', code: "const z = require('../../utils/zhenzisms.js');\nz.client.initCloud({ name: 'zhenzisms' });\nz.client.sendCode(function (res) { globalThis.detail = res.error && res.error.detail; }, { number: number, message: '验证码{code}' });", marker: parseMarker(marker) }, sandbox);
  assert.deepEqual(r.calls.map((c) => c.answers[0]), [9001]);
  assert.equal(sandbox.requests.length, 0, 'Tencent was never asked (no 9324)');
  assert.equal(sandbox.inbox(runners.FIXTURE.number).length, 0);
});

test('110: spaces around the appSecret are trimmed, and no doc calls them the usual cause', async () => {
  const { ZhenziClient } = require(path.join(ROOT, 'dist/npm/zhenzisms.js'));
  sandbox.reset();
  const padded = new ZhenziClient({ apiUrl: sandbox.url, appId: '10001', appSecret: ' sandbox-secret-10001\n' });
  assert.equal(await padded.balance(), 1000, 'a pasted space or newline still authenticates');
  for (const f of ['README.md', 'docs/guide.md', 'pkg-template/npm/README.md']) {
    const text = read(f);
    assert.doesNotMatch(text, /常见原因：复制时带了空格或换行|pasted space or newline is the usual cause/, f);
    for (const row of text.split('\n').filter((l) => l.startsWith('| 110 |'))) assert.match(row, /trimmed|自动去掉/, `${f}: ${row}`);
  }
});

test('9101 in cloud mode: a sendCode that timed out keeps its code, which works when it arrives; the docs say wait', async () => {
  for (const [f, text] of [['README.md', read('README.md')], ['guide zh', halves.zh], ['guide en', halves.en]]) {
    const rows = text.split('\n').filter((l) => l.startsWith('| 9101 |'));
    assert.ok(rows.length >= 1, f);
    for (const row of rows) {
      assert.match(row, /messageId/, `${f}: direct mode still looks it up`);
      assert.match(row, /cloud|云函数模式/i, `${f}: and cloud mode is said apart: ${row}`);
      assert.match(row, /wait|先等/, `${f}: wait for the SMS`);
    }
  }
  sandbox.reset();
  // The sandbox delivers at once and answers after 1.5 s; the function gives up after 300 ms.
  sandbox.queueFault({ fault: 'delay=1500', count: 1 });
  const page = [
    "var z = require('../../utils/zhenzisms.js');",
    'Page({',
    "  onLoad: function () { z.client.initCloud({ name: 'zhenzisms' }); },",
    "  getCode: function () { z.client.sendCode(function () {}, { number: number, message: '验证码{code}' }); },",
    '  verify: function () { z.client.validateCode(function () {}, number, inputCode); },',
    '});',
  ].join('\n');
  const r = await runners.runPage({ id: 'facts:9101', code: page, marker: parseMarker('page cloud env.ZHENZI_TIMEOUT_MS=300 tap=getCode,getCode,verify expect=9101,9201,ok') }, sandbox);
  assert.deepEqual(r.calls.map((c) => c.answers[0]), [9101, 9201, 'ok'], 'timed out; asking again is the cooldown; the code that arrived works');
  assert.equal(sandbox.inbox(runners.FIXTURE.number).length, 1, 'one SMS went out');
});

test('ZHENZI_API_URL is optional: unset, the function posts to the individual host; no doc lists it as required', async () => {
  const seen = [];
  const original = https.request;
  https.request = function captured(url) {
    seen.push(String(url));
    throw new Error('docs facts: no request leaves the machine'); // as a refused connection: 9100
  };
  try {
    const r = await runners.runPage({ id: 'facts:apiurl', code: "var z = require('../../utils/zhenzisms.js');\nz.client.initCloud({ name: 'zhenzisms' });\nz.client.sendCode(function () {}, { number: number, message: '验证码{code}' });", marker: parseMarker('page cloud expect=9100 env.ZHENZI_API_URL=') }, sandbox);
    assert.equal(r.calls.length, 1);
  } finally {
    https.request = original;
  }
  assert.ok(seen.length >= 1, 'the function tried to send');
  assert.ok(seen.every((u) => u.startsWith('https://sms_developer.zhenzikj.com/')), seen.join(' '));
  for (const [f, text] of [['guide', guide], ['demo README', read('miniprogram-demo/README.md')]]) {
    const row = text.split('\n').find((l) => /^\s*\| `ZHENZI_API_URL` \|/.test(l));
    if (row) assert.match(row, /可选|optional/, `${f}: ${row}`);
    assert.doesNotMatch(text, /`ZHENZI_APP_SECRET`、`ZHENZI_API_URL`|`ZHENZI_APP_SECRET`, `ZHENZI_API_URL`/, `${f} lists it with the required ones`);
  }
});

test('version B\'s one-argument validateCode: the guide says a used code gives \'error\', and its B block expects it', () => {
  for (const half of Object.values(halves)) {
    const marker = half.split('\n').find((l) => l.includes('<!-- run: page') && l.includes('expect=0,ok,error'));
    assert.ok(marker, 'the B block checks reuse');
    assert.match(half, /B 版的单参数写法得到 `'error'`|version B's one-argument form: `'error'`/);
  }
});
