'use strict';
// The demo's WXSS really lays out as intended: the pages are rendered as tools/demo-shots.js
// renders them (miniprogram-simulate → HTML with an approximation of the base library's built-in
// styles) and measured in headless Chromium. The base library's own rules are the trap here —
// `wx-button:not([size=mini])` gives every button width 184px and margin auto, and outranks a
// single class — so a control case first shows that the stand-in styles reproduce it.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const render = require('../../tools/demo-render.js');
const shots = require('../../tools/demo-shots.js');

const { chromium } = require(path.join(render.TOOLS, 'playwright-core'));
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Error texts do not change a layout: a small table of the real shape is enough here.
const real = {
  errorInfo: (code) => ({ code, kind: code === 9201 ? 'cooldown' : 'server', reason: `原因${code}`, solution: `办法${code}`, retriable: false }),
  errorTable: () => [100, 9201].map((c) => real.errorInfo(c)),
};

let browser;
let tab;

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  tab = await (await browser.newContext({ viewport: { width: 375, height: 667 } })).newPage();
});

after(async () => {
  if (browser) await browser.close();
});

/** Render a state (see tools/demo-shots.js states()) and return boxes and styles of selectors. */
async function measure(file, selectors) {
  const [, pageRel, state] = shots.states().find((s) => s[0] === file);
  await tab.setContent(await shots.shoot(real, pageRel, state));
  return tab.evaluate((sels) => {
    const out = {};
    for (const sel of sels) {
      const el = document.querySelector(sel);
      if (!el) { out[sel] = null; continue; }
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      out[sel] = { x: r.x, y: r.y, width: r.width, height: r.height, right: r.right, bottom: r.bottom, color: cs.color, background: cs.backgroundColor, text: el.textContent };
    }
    return out;
  }, selectors);
}

const rgb = (css) => css.match(/[\d.]+/g).slice(0, 3).map(Number);
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [l1, l2] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}

test('control: with the base-library styles, a one-class width on a button loses (184 px, centred)', async () => {
  await tab.setContent(`<style>${render.BASE_CSS}.wide{width:100%;margin:0}</style><div style="width:300px"><wx-button class="wide" type="primary">x</wx-button></div>`);
  const box = await tab.evaluate(() => document.querySelector('wx-button').getBoundingClientRect().toJSON());
  assert.equal(box.width, 184);
  assert.equal(box.x, (300 - 184) / 2, 'centred by margin auto');
});

test('login: the primary button spans the form, disabled is pale green (not grey on grey), enabled is #07c160', async () => {
  const empty = await measure('login-empty.png', ['#verify', '.field', '.page']);
  assert.equal(Math.round(empty['#verify'].width), Math.round(empty['.field'].width), 'full width');
  assert.equal(empty['#verify'].x, empty['.field'].x, 'aligned with the fields');
  assert.ok(empty['#verify'].width > 300);
  assert.deepEqual(rgb(empty['#verify'].background), [155, 227, 189]);
  assert.ok(contrast(rgb(empty['#verify'].background), [255, 255, 255]) > 1.3, 'the disabled button is visible on white');

  const ready = await measure('login-countdown.png', ['#verify']);
  assert.deepEqual(rgb(ready['#verify'].background), [7, 193, 96]);
  assert.equal(ready['#verify'].width, empty['#verify'].width);
});

test('login, one tap first: 「微信手机号快捷登录」 spans the page in green, 「其他手机号登录」 right under it as the second choice', async () => {
  const m = await measure('login-one-tap.png', ['#one-tap', '#other-number', '.agree', '.title']);
  assert.ok(m['#one-tap'].width > 300, 'full width');
  assert.equal(m['#other-number'].width, m['#one-tap'].width);
  assert.equal(m['#other-number'].x, m['#one-tap'].x, 'aligned');
  assert.equal(m['#one-tap'].x, m['.title'].x, 'aligned with the heading');
  assert.deepEqual(rgb(m['#one-tap'].background), [7, 193, 96], 'the primary colour');
  assert.notDeepEqual(rgb(m['#other-number'].background), [7, 193, 96], 'the other one is not');
  const gap = m['#other-number'].y - m['#one-tap'].bottom;
  assert.ok(gap > 0 && gap <= 24, `right under it (${gap} px)`);
  assert.ok(m['.agree'].y > m['#other-number'].bottom, 'the consent below both');
});

test('login, after a decline: the one line sits above the number field, and the way back to one tap under the button', async () => {
  const m = await measure('login-sms-fallback.png', ['.fallback-note', '.field', '#verify', '#back-one-tap']);
  assert.equal(m['.fallback-note'].text, '你没有授权手机号，请用短信验证码登录');
  assert.ok(m['.fallback-note'].bottom <= m['.field'].y, 'above the first field');
  assert.ok(m['.fallback-note'].height < 24, 'one line');
  assert.ok(m['#back-one-tap'].y >= m['#verify'].bottom, 'the way back under the button');
});

test('login: "获取验证码" keeps its width when it counts, and its colours are readable', async () => {
  const idle = await measure('login-filled.png', ['#btn', '#code']);
  const counting = await measure('login-countdown.png', ['#btn', '#code']);
  assert.equal(idle['#btn'].text, '获取验证码');
  assert.match(counting['#btn'].text, /^重新获取 \d+s$/);
  assert.equal(counting['#btn'].width, idle['#btn'].width, 'same width');
  assert.equal(counting['#btn'].x, idle['#btn'].x, 'same place');
  assert.equal(counting['#code'].width, idle['#code'].width, 'the code input does not move');
  assert.ok(contrast(rgb(idle['#btn'].color), [255, 255, 255]) >= 4.5, `idle ${idle['#btn'].color}`);
  assert.ok(contrast(rgb(counting['#btn'].color), [255, 255, 255]) >= 3.5, `counting ${counting['#btn'].color}`);
  assert.notDeepEqual(rgb(counting['#btn'].color), rgb(idle['#btn'].color), 'counting looks different from ready');
});

test('login: a wrong code is said right under the code field, above the button', async () => {
  const m = await measure('login-wrong-code.png', ['#code', '.code-error', '#verify']);
  assert.equal(m['.code-error'].text, '验证码不正确，请重新输入');
  assert.ok(m['.code-error'].y >= m['#code'].bottom, 'below the code field');
  assert.ok(m['.code-error'].bottom <= m['#verify'].y, 'above the login button');
  assert.ok(m['.code-error'].y - m['#code'].bottom < 24, 'right under it');
});

test('developer page: "查询余额" sits at the end of its row, not floating in the middle', async () => {
  const m = await measure('developer.png', ['#balance', '.balance', '.card']);
  assert.ok(m['#balance'].width < 150, 'a small button');
  const rowRight = m['.card'].right - 16; // the card's 32rpx padding
  assert.ok(Math.abs(m['#balance'].right - rowRight) <= 1, `right edge ${m['#balance'].right} vs ${rowRight}`);
  assert.ok(m['.balance'].x < m['#balance'].x);
});

test('the pictures the README shows are the states tools/demo-shots.js draws, committed, at the size it draws', () => {
  const fs = require('node:fs');
  const dir = path.join(render.ROOT, 'miniprogram-demo', 'screenshots');
  const readme = fs.readFileSync(path.join(render.ROOT, 'miniprogram-demo', 'README.md'), 'utf8');
  const shown = new Set([...readme.matchAll(/\]\(screenshots\/([\w.-]+\.png)\)/g)].map((m) => m[1]));
  const drawn = shots.states().map((s) => s[0]);
  assert.deepEqual([...shown].sort(), [...drawn].sort());
  for (const file of drawn) {
    const png = fs.readFileSync(path.join(dir, file));
    assert.equal(png.subarray(1, 4).toString(), 'PNG', file);
    assert.equal(png.readUInt32BE(16), Math.ceil(shots.WIDTH * shots.SCALE), `${file} width`);
    assert.ok(png.length < 200 * 1024, `${file} is small (${png.length} B)`);
  }
});
