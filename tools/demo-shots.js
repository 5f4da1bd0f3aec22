'use strict';
// Pictures of the demo's main states for miniprogram-demo/README.md: each page is rendered under
// miniprogram-simulate (tools/demo-render.js: the real WXML, JS and WXSS of the demo), driven through
// its own event handlers, turned into HTML with an approximation of WeChat's built-in component
// styles, and photographed in headless Chromium at 375 px (an iPhone 8 screen, 2x). Each PNG says
// at its foot that it is a simulator rendering, not a WeChat screenshot.
//
// The SDK's replies are scripted (no network), but its texts are the real ones: errorInfo() and
// errorTable() come from the built package (dist/npm), so run `./build.sh build` first.
//
//   node tools/demo-shots.js [outDir]     (default miniprogram-demo/screenshots)
// The request log shows local times: China's, whatever machine draws the pictures.
process.env.TZ = 'Asia/Shanghai';

const fs = require('fs');
const path = require('path');
const render = require('./demo-render.js');

const OUT = path.resolve(process.argv[2] || path.join(render.ROOT, 'miniprogram-demo', 'screenshots'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--font-render-hinting=none'];
const WIDTH = 375;
const HEIGHT = 667;
const NAV = 44;
const SCALE = 1.5; // sharp enough to read, small enough to commit
const T0 = Date.UTC(2026, 10, 30, 2, 30, 0); // a fixed clock: the pictures do not change run to run

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** The built SDK, for its real error texts; scripted client calls around it. */
function scriptedSdk(real) {
  const queue = { sendCode: [], validateCode: [], balance: [], findSmsByMessageId: [], verifyPhoneNumber: [] };
  const answer = (name, cb) => {
    const next = queue[name].shift();
    if (!next) throw new Error(`demo-shots: no reply scripted for ${name}`);
    setImmediate(() => cb(next));
    return Promise.resolve(next);
  };
  const client = {
    init() {}, initCloud() {}, configure() {},
    ready: () => Promise.resolve(true),
    sendCode: (cb) => answer('sendCode', cb),
    validateCode: (cb) => answer('validateCode', cb),
    balance: (cb) => answer('balance', cb),
    findSmsByMessageId: (cb) => answer('findSmsByMessageId', cb),
    verifyPhoneNumber: (cb) => answer('verifyPhoneNumber', cb),
  };
  return { sdk: { client, errorInfo: real.errorInfo, errorTable: real.errorTable }, queue };
}

/** A page in a given state: `steps(page)` drives it; → {html, done}. */
async function shoot(real, pageRel, { globalData, steps, cloudReplies = [], maxHeight = 0 }) {
  const realNow = Date.now;
  let offset = 0;
  Date.now = () => T0 + offset;
  try {
    const { sdk, queue } = scriptedSdk(real);
    const cloud = {
      init() {},
      callFunction: () => Promise.resolve({ result: cloudReplies.shift(), errMsg: 'cloud.callFunction:ok' }),
    };
    const wxExtra = { cloud, showToast() {}, getAccountInfoSync: () => ({ miniProgram: { envVersion: 'release' } }) };
    // The pictures show cloud mode, the recommended one (a state may say otherwise).
    const page = render.renderPage(pageRel, { sdk, globalData: Object.assign({ mode: 'cloud' }, globalData), wxExtra });
    page.comp.instance.onLoad({});
    if (page.comp.instance.onShow) page.comp.instance.onShow();
    await flush();
    const act = {
      queue,
      input: async (sel, value) => { page.comp.querySelector(sel).dispatchEvent('input', { detail: { value } }); await flush(); },
      tap: async (sel) => { page.comp.querySelector(sel).dispatchEvent('tap'); await flush(); await flush(); await flush(); },
      tapCodeButton: async () => { page.comp.querySelector('#code-btn').querySelector('#btn').dispatchEvent('tap'); await flush(); await flush(); },
      // WeChat's answer to a tap on the open-type getPhoneNumber button (the user's choice).
      phoneTap: async (detail) => { page.comp.querySelector('#one-tap').dispatchEvent('getphonenumber', { detail }); await flush(); await flush(); await flush(); },
      wait: (ms) => {
        offset += ms;
        const button = page.comp.querySelector('#code-btn');
        if (button) button.triggerPageLifeTime('show'); // recomputes the countdown from the clock
      },
    };
    if (steps) await steps(act);
    const title = page.json.navigationBarTitleText || '';
    // A long page is cut at maxHeight (CSS px), with a fade saying it goes on.
    const crop = maxHeight ? `wx-page { max-height: ${maxHeight}px; overflow: hidden; position: relative; }
      wx-page::after { content: ""; position: absolute; left: 0; right: 0; bottom: 0; height: 64px;
      background: linear-gradient(rgba(237,237,237,0), #ededed); }` : '';
    const html = render.pageHtml(page, pageRel, { width: WIDTH, before: navBar(title), after: CAPTION, css: FRAME_CSS + crop });
    page.comp.detach(); // stops the countdown's timers
    return html;
  } finally {
    Date.now = realNow;
  }
}

function navBar(title) {
  return `<div class="nav"><span class="nav-title">${title}</span><span class="capsule"><i></i><i></i><i></i><span class="ring"></span></span></div>`;
}

const CAPTION = '<div class="caption">模拟器渲染，非微信截图（miniprogram-simulate + Chromium）<br>Simulator rendering, not a WeChat screenshot</div>';

const FRAME_CSS = `
body { width: ${WIDTH}px; background: #ededed; -webkit-font-smoothing: antialiased;
  font-family: "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
wx-page { min-height: ${HEIGHT - NAV}px; }
.nav { position: relative; height: ${NAV}px; line-height: ${NAV}px; text-align: center; background: #fff;
  font-size: 17px; font-weight: 600; color: #111; }
.capsule { position: absolute; right: 7px; top: 6px; width: 87px; height: 32px; box-sizing: border-box;
  border: 1px solid rgba(0,0,0,.1); border-radius: 16px; background: rgba(255,255,255,.6); line-height: 30px; }
.capsule i { float: left; width: 5px; height: 5px; margin: 12px 0 0 3px; border-radius: 50%; background: #111; }
.capsule i:first-child { margin-left: 12px; }
.capsule::after { content: ""; position: absolute; left: 43px; top: 7px; width: 1px; height: 16px; background: rgba(0,0,0,.15); }
.ring { position: absolute; right: 12px; top: 8px; width: 14px; height: 14px; box-sizing: border-box;
  border: 2px solid #111; border-radius: 50%; }
.caption { padding: 8px 12px; font-size: 11px; line-height: 15px; color: #7f7f7f; text-align: center; background: #ededed; }
`;

const NUMBER = '13800138000';
const ok = (data) => ({ statusCode: 200, errMsg: 'cloud.callFunction:ok', data: { code: 0, data } });

/** The states worth a picture: file name → how to get there. */
function states() {
  const smsForm = (a) => a.tap('#other-number');
  const sent = async (a) => {
    await smsForm(a);
    await a.input('#phone', NUMBER);
    a.queue.sendCode.push(ok('发送成功'));
    await a.tapCodeButton();
  };
  const oneTap = async (a, answer) => {
    await a.tap('#agree');
    a.queue.verifyPhoneNumber.push(answer);
    await a.phoneTap(answer.code === 'success' ? { errMsg: 'getPhoneNumber:ok', code: 'wx-code' } : { errMsg: 'getPhoneNumber:fail user deny' });
  };
  return [
    ['login-one-tap.png', 'pages/login/login', {}],
    ['login-one-tap-signed-in.png', 'pages/login/login', {
      cloudReplies: [{ code: 'success', number: NUMBER, verifiedAt: T0, via: 'phone' }],
      steps: (a) => oneTap(a, { code: 'success', number: NUMBER, verified: { token: 'zv2.x.y', expiresAt: T0 + 600000 }, msg: '验证通过' }),
    }],
    ['login-sms-fallback.png', 'pages/login/login', {
      steps: (a) => oneTap(a, { code: 'user_deny', fallback: 'sms', msg: '未授权手机号，请用短信验证码验证' }),
    }],
    ['login-empty.png', 'pages/login/login', {
      steps: smsForm,
    }],
    ['login-filled.png', 'pages/login/login', {
      steps: async (a) => {
        await smsForm(a);
        await a.input('#phone', NUMBER);
      },
    }],
    ['login-countdown.png', 'pages/login/login', {
      steps: async (a) => {
        await sent(a);
        a.wait(21000);
        await a.input('#code', '284913');
        await a.tap('#agree');
      },
    }],
    ['login-wrong-code.png', 'pages/login/login', {
      steps: async (a) => {
        await sent(a);
        a.wait(35000);
        await a.input('#code', '284931');
        await a.tap('#agree');
        a.queue.validateCode.push('code_error');
        await a.tap('#verify');
      },
    }],
    ['login-signed-in.png', 'pages/login/login', {
      cloudReplies: [{ code: 'success', number: NUMBER, verifiedAt: T0, via: 'sms' }],
      steps: async (a) => {
        await sent(a);
        await a.input('#code', '284913');
        await a.tap('#agree');
        a.queue.validateCode.push('ok');
        await a.tap('#verify');
      },
    }],
    ['developer.png', 'pages/tools/tools', {
      maxHeight: 1240,
      globalData: {
        lastSignIn: { number: '138****8000', via: 'phone', at: T0 + 61000 },
        devLog: [
          { op: 'login', mode: 'cloud', at: T0 + 62000, request: { name: 'login', data: { number: NUMBER } }, response: { code: 'success', number: NUMBER, verifiedAt: T0 + 61000, via: 'phone' }, error: null },
          { op: 'verifyPhoneNumber', mode: 'cloud', at: T0 + 61000, request: { errMsg: 'getPhoneNumber:ok', code: '(一次性 code)' }, response: { code: 'success', number: NUMBER, msg: '验证通过' }, error: null },
        ],
      },
      steps: async (a) => {
        a.queue.balance.push({ statusCode: 200, errMsg: 'cloud.callFunction:ok', data: { code: 'disabled' } });
        await a.tap('#balance');
      },
    }],
  ];
}

/** Without a CJK font Chromium draws every Chinese character as a box: refuse instead. */
function assertCjkFont() {
  let families = '';
  try {
    families = require('child_process').execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  } catch (e) {
    families = '';
  }
  if (!families.trim()) throw new Error('no Chinese font for Chromium: install one (Debian: apt-get install fonts-noto-cjk)');
}

async function main() {
  assertCjkFont();
  // eslint-disable-next-line import/no-dynamic-require
  const { chromium } = require(path.join(render.TOOLS, 'playwright-core'));
  const npm = path.join(render.ROOT, 'dist', 'npm');
  if (!fs.existsSync(path.join(npm, 'zhenzisms.js'))) throw new Error('dist/npm is not built: run ./build.sh build first');
  // eslint-disable-next-line import/no-dynamic-require
  const real = require(npm);
  await real.ready();
  fs.mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: SCALE });
    const tab = await context.newPage();
    for (const [file, pageRel, state] of states()) {
      const html = await shoot(real, pageRel, state);
      await tab.setContent(html);
      const out = path.join(OUT, file);
      await tab.screenshot({ path: out, fullPage: true });
      console.log(`${path.relative(render.ROOT, out)}  ${fs.statSync(out).size} B`);
    }
  } finally {
    await browser.close();
  }
}

module.exports = { shoot, states, scriptedSdk, WIDTH, SCALE };

if (require.main === module) {
  main().then(() => process.exit(0), (e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  });
}
