'use strict';
// What a new user reads first (issue 21, item 4). The README opens with exactly the two commands,
// then the user's path: what it is, that nothing is published yet (so the first route is
// ./build.sh release, or the demo), a five-minute try against the local sandbox, install, cloud mode,
// migration (with how to tell versions A–E apart), errors, prerequisites and cost, terms. Budgets,
// build notes and the test inventory live on the contributor page, linked. The guide's install
// section starts the same way in both languages, naming the files tools/release.js really makes;
// every link into the guide lands on a heading.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const RELEASES = 'https://github.com/zhenzisms-wasm/zhenzisms-wasm/releases';
const read = (f) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const readme = read('README.md');
const guide = read('docs/guide.md');
const contributing = read('docs/contributing.md');
const releaseTool = read('tools/release.js');

function inOrder(text, parts, where) {
  let at = -1;
  for (const p of parts) {
    const i = text.indexOf(p, at + 1);
    assert.ok(i > at, `${where}: "${p}" comes after the previous step`);
    at = i;
  }
}

test('the README opens with the two commands, and nothing else before them', () => {
  const lines = readme.split('\n');
  assert.equal(lines[0], '# zhenzisms-wasm');
  assert.match(lines[1], /^<!-- run: sh -->$/, 'the docs runner\'s comment (not shown)');
  assert.equal(lines[2], '```sh');
  assert.match(lines[3], /^\.\/build\.sh +# .*sandbox/);
  assert.match(lines[4], /^\.\/build\.sh test +#/);
  assert.equal(lines[5], '```');
});

test('the first screen is the user\'s path: what it is, not published yet, then try it in five minutes', () => {
  const screen = readme.split('\n').slice(0, 50).join('\n');
  inOrder(screen, [
    '直接替换版', 'drop-in replacement',
    '还没有发布', 'not on npm', 'v<version>', './build.sh release',
    '## 五分钟试用 · Try it in five minutes', './build.sh demo', 'touristappid', '__inbox',
  ], 'README first screen');
  assert.doesNotMatch(screen, /cargo|clippy|wasm-opt|Budget|KB|µs/, 'no contributor matter on the first screen');
});

test('the rest of the path, in order: install, cloud mode, Node, migration, errors, prerequisites, terms', () => {
  inOrder(readme, [
    'try.js', 'node try.js', '## 安装 · Install', './build.sh release', 'zhenzisms-wasm-utils-<version>.zip', 'utils/',
    '合法域名 · Domain whitelist', 'https://smsdeveloper.zhenzikj.com',
    '云函数模式（推荐）· Cloud mode (recommended)', 'ZHENZI_APP_ID', 'sms-record', 'initCloud',
    'Node / 服务端', '## 从旧版迁移 · Migrating', '我用的是哪个版本？· Which version do I have?',
    '## 错误码 · Errors', '## 准备与费用 · Prerequisites and cost', '## 术语 · Terms', 'docs/contributing.md',
  ], 'README');
});

test('how to tell versions A–E apart by the page code, and the migration table stays a table', () => {
  const start = readme.indexOf('### 我用的是哪个版本？');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  for (const v of ['A', 'B', 'C', 'D', 'E']) {
    assert.match(section, new RegExp(`\\| ${v} \\|$`, 'm'), `the page-code table says how to recognise ${v}`);
    assert.match(section, new RegExp(`^\\| ${v} \\| .* \\|$`, 'm'), `${v} has its row in the migration table`);
  }
  for (const sign of ['validateCode(code)', 'validateCode(号码, code)', '对象参数', 'templateId', 'createCode']) assert.ok(section.includes(sign), sign);
});

test('prerequisites and cost: the account and where appId/appSecret are, the price and its source, CloudBase, approval', () => {
  const start = readme.indexOf('## 准备与费用');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 3));
  for (const fact of [
    'http://smsow.zhenzikj.com', '我的应用', 'AppId', 'AppSecret', 'https://sms.zhenzikj.com',
    '价格由榛子云在官网公布，会变', 'the price changes', 'no figure is given here',
    'touristappid', 'CloudBase', '最小的套餐', 'smallest plan',
    '117', '模板', 'approved', 'free text', '腾讯云',
  ]) assert.ok(section.includes(fact), `prerequisites say: ${fact}`);
});

test('terms a user meets are explained: relay, direct and cloud mode, versions A–E, opt-in route, slot, sandbox', () => {
  const start = readme.indexOf('## 术语 · Terms');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 3));
  for (const term of ['**中转 · relay**', '**直连模式 / 云函数模式 · direct mode / cloud mode**', '**版本 A–E · versions A–E**', '**可选路由 · opt-in route**', '**占位记录 · slot**', '**沙箱 · sandbox**']) {
    assert.ok(section.includes(term), term);
  }
  assert.ok(section.includes('ZHENZI_COMPAT=vendor') && section.includes('ZHENZI_ROUTES'), 'how an opt-in route is turned on');
});

test('budgets, build notes and the test inventory moved to the contributor page, which the README links', () => {
  for (const gone of ['## Budgets', '## How it is built', '## Tests', '40 051 B', 'wasm-pack test', 'cargo clippy']) {
    assert.ok(!readme.includes(gone), `the README no longer carries "${gone}"`);
  }
  assert.ok(readme.includes('(docs/contributing.md)'));
  for (const kept of ['## Budgets (measured)', '## How it is built', '## Tests', '## Code blocks in the docs', 'bytes shipped into a mini-program', '36 864 B', '.github/workflows/release.yml']) {
    assert.ok(contributing.includes(kept), `docs/contributing.md has "${kept}"`);
  }
});

test('the guide\'s install section starts the same way, in both languages, and says nothing is published yet', () => {
  for (const [heading, next, unpublished] of [['### 1. 安装到 utils/', '### 3.', '还没有发布'], ['### 1. Installing into utils/', '### 3.', 'Not published yet']]) {
    const start = guide.indexOf(heading);
    assert.ok(start >= 0, heading);
    const section = guide.slice(start, guide.indexOf(next, start));
    inOrder(section, ['Rust', unpublished, './build.sh release', `(${RELEASES})`, 'zhenzisms-wasm-utils-<', '.sha256', '`./build.sh`', '### 2.', 'npm install zhenzisms-wasm'], heading);
  }
});

test('the file names the docs give are the ones the release tool writes', () => {
  for (const name of ['zhenzisms-wasm-utils-${version}.zip', 'zhenzisms-wasm-cloudfunction-${version}.zip']) {
    assert.ok(releaseTool.includes(name), `tools/release.js writes ${name}`);
  }
  for (const text of [readme, guide]) {
    assert.ok(text.includes('zhenzisms-wasm-utils-<') && text.includes('zhenzisms-wasm-cloudfunction-<'));
  }
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading) {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

test('every link into the guide or the other docs lands on a file, and on a heading when it names one', () => {
  const anchors = new Set(guide.split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => slug(l.replace(/^#+ /, ''))));
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^https?:/.test(l));
  assert.ok(links.length >= 8, `${links.length} local links`);
  for (const link of links) {
    const [file, anchor] = link.split('#');
    assert.ok(fs.existsSync(path.join(ROOT, file)), `${file} exists`);
    if (anchor && file === 'docs/guide.md') assert.ok(anchors.has(anchor), `docs/guide.md#${anchor} is a heading`);
  }
});
