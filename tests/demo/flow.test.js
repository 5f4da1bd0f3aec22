'use strict';
// End to end: the demo's own pages (login.js, tools.js, their logic.js, app.js, config.js) and its
// login cloud function with the REAL built SDK (dist/utils/) and the REAL built zhenzisms cloud
// function (dist/cloudfunctions/zhenzisms/), in the mini-program runtime simulator (tests/simulator/),
// over real HTTP to the local Zhenzi sandbox (sandbox/server.js). A test plays the user: types
// the number through the page's input handler, taps "获取验证码", reads the SMS from the sandbox inbox
// (the phone), types the code, ticks the consent, taps "登录", and checks what the page shows
// (page.data: the texts the WXML renders and whether the login button is enabled).
//
// Each mini-program is a temp copy of miniprogram-demo/miniprogram with dist/utils/* in utils/ and a
// config.js in the mode under test, relayUrl pointing at the sandbox, a 120 s code lifetime and
// 5-digit codes (so the page's settings are seen to reach the SDK). The clock the SDK reads is the
// simulator's Date.now, which the tests move forward instead of waiting. The simulator renders
// nothing, so the page's selectComponent('#code-btn') is a recorder of start()/reset().
//
// The sign-in step of cloud mode needs zhenzisms's `checkVerified` route (issue 12's verified-result
// check). Until that is merged, the tests marked "needs checkVerified" fail: they are written
// against the contract ({code: 'success', number, verifiedAt} | {code: 'not_verified', msg}).
//
// dist/ is built (git-ignored) by ./build.sh; without it these tests fail, saying so.
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DEMO = path.join(ROOT, 'miniprogram-demo', 'miniprogram');
const DIST_UTILS = path.join(ROOT, 'dist', 'utils');
const DIST_CLOUD = path.join(ROOT, 'dist', 'cloudfunctions', 'zhenzisms');
const LOGIN_FUNCTION = path.join(ROOT, 'miniprogram-demo', 'cloudfunctions', 'login', 'index.js');

const { startSandbox } = require('../../sandbox/server.js');
const { createMiniProgram } = require('../simulator');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');

const demoConfig = require(path.join(DEMO, 'config.js'));
const loginLogic = require(path.join(DEMO, 'pages/login/logic.js'));
const toolsLogic = require(path.join(DEMO, 'pages/tools/logic.js'));

const CODE_SECONDS = 120;
const CODE_LENGTH = 5;
assert.notEqual(CODE_LENGTH, demoConfig.codeLength, 'the flow config must differ from the shipped one');
assert.notEqual(CODE_SECONDS, demoConfig.codeSeconds, 'the flow config must differ from the shipped one');
const START_BALANCE = 1000; // app 10001 in sandbox/fixture.json
// The cloud function's own policy matches the page's config: a page may tighten it, never loosen it.
const CLOUD_ENV = {
  ZHENZI_APP_ID: '10001',
  ZHENZI_APP_SECRET: 'sandbox-secret-10001',
  ZHENZI_CODE_LENGTH: String(CODE_LENGTH),
  ZHENZI_CODE_SECONDS: String(CODE_SECONDS),
  ZHENZI_COOLDOWN_SECONDS: String(demoConfig.resendSeconds),
};

const built = fs.existsSync(path.join(DIST_UTILS, 'zhenzisms.js'))
  && fs.existsSync(path.join(DIST_CLOUD, 'index.js'));

const plain = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

let sandbox = null;
let work = null; // temp folder: snapshot of dist/, and one mini-program copy per test
let snapshot = null;
const simulators = [];

/** Copy dist/ once, retrying across a rebuild's atomic swap (tools/assemble.js renames dist/). */
function snapshotDist() {
  const dest = path.join(work, 'dist');
  for (let attempt = 0; ; attempt += 1) {
    try {
      fs.rmSync(dest, { recursive: true, force: true });
      fs.cpSync(DIST_UTILS, path.join(dest, 'utils'), { recursive: true });
      fs.cpSync(DIST_CLOUD, path.join(dest, 'cloud'), { recursive: true });
      return { utils: path.join(dest, 'utils'), cloudIndex: path.join(dest, 'cloud', 'index.js') };
    } catch (e) {
      if (attempt >= 20) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}

/**
 * A copy of the demo mini-program with the built SDK and a config for this sandbox and mode
 * (`mode` 'auto' keeps the shipped choice; `cloudEnv` names an environment).
 */
function makeDemo(relayUrl, mode, cloudEnv = '') {
  const root = fs.mkdtempSync(path.join(work, 'mp-'));
  fs.cpSync(DEMO, root, { recursive: true });
  fs.cpSync(snapshot.utils, path.join(root, 'utils'), { recursive: true });
  const file = path.join(root, 'config.js');
  let text = fs.readFileSync(file, 'utf8');
  const replace = (re, value) => {
    assert.match(text, re, `config.js has ${re}`);
    text = text.replace(re, value);
  };
  replace(/^  mode: '[a-z]+'/m, `  mode: '${mode}'`);
  replace(/relayUrl: '[^']*'/, `relayUrl: '${relayUrl}'`);
  replace(/codeSeconds: \d+/, `codeSeconds: ${CODE_SECONDS}`);
  replace(/codeLength: \d+/, `codeLength: ${CODE_LENGTH}`);
  replace(/cloudEnv: '[^']*'/, `cloudEnv: '${cloudEnv}'`);
  fs.writeFileSync(file, text);
  return root;
}

/**
 * The wx-server-sdk both cloud functions see: the project's stand-in (database, getWXContext) plus
 * callFunction, which the login function uses to ask zhenzisms — routed through the simulator's own
 * wx.cloud.callFunction, so zhenzisms runs warm, with the same caller.
 */
function cloudSdkFor(mp, cloud) {
  return Object.assign({}, cloud, {
    callFunction: (o) => mp.wx.cloud.callFunction({ name: o.name, data: o.data }),
  });
}

/**
 * Launch a demo copy in the simulator, open the login page, wait for the SDK to load.
 * → {mp, page, sdk, buttons, clock, cloud}. clock.advance(ms) moves the mini-program's Date.now.
 */
async function openLogin({ relayUrl = sandbox.url, mode = 'direct', functions, appid, cloudEnv = '', expectMode = mode } = {}) {
  const options = { root: makeDemo(relayUrl, mode, cloudEnv), appid };
  let cloud = null;
  let mp = null;
  if (expectMode === 'cloud') {
    cloud = createCloudSdk();
    options.cloudFunctions = functions || { zhenzisms: snapshot.cloudIndex, login: LOGIN_FUNCTION };
    options.cloudRequire = (name) => (name === 'wx-server-sdk' ? cloudSdkFor(mp, cloud) : undefined);
  }
  mp = createMiniProgram(options);
  simulators.push(mp);
  const realNow = mp.global.Date.now;
  const clock = { offset: 0, advance(ms) { this.offset += ms; } };
  mp.global.Date.now = () => realNow() + clock.offset;

  mp.launch();
  const page = mp.openPage('pages/login/login');
  const buttons = [];
  page.selectComponent = (selector) => ({
    start: (s) => buttons.push(['start', selector, s]),
    reset: () => buttons.push(['reset', selector]),
  });
  await mp.pending();
  assert.equal(page.data.formError, '', 'the wasm core loaded');
  assert.equal(page.data.canLogin, false, 'login disabled on an empty form');
  assert.equal(mp.app.globalData.mode, expectMode);
  const sdk = mp.require('/utils/zhenzisms.js');
  return { mp, page, sdk, buttons, clock, cloud };
}

// The user's actions, through the page's own handlers.
function typePhone(page, value) {
  return page.onPhoneInput({ detail: { value } }); // what the input then shows
}
async function tapGetCode({ mp, page }) {
  page.onSendCode();
  await mp.pending();
}
function typeCode(page, value) {
  return page.onCodeInput({ detail: { value } });
}
async function tapLogin({ mp, page }) {
  if (!page.data.agreed) page.onToggleAgree();
  assert.equal(page.data.canLogin, true, 'the login button is enabled');
  page.onVerify();
  assert.equal(page.data.verifying, true, 'the login button shows it is busy');
  assert.equal(page.data.canLogin, false, 'and cannot be tapped twice');
  await mp.pending();
  assert.equal(page.data.verifying, false);
}

/** The code in the newest SMS the sandbox delivered to `number`. */
function receivedCode(number) {
  const inbox = sandbox.inbox(number);
  assert.ok(inbox.length > 0, `an SMS reached ${number}`);
  const sms = inbox[inbox.length - 1];
  const m = /\d{4,8}/.exec(sms.message);
  assert.ok(m, `a code in "${sms.message}"`);
  return { code: m[0], sms };
}

/** A code of the same length that is not `code`. */
function otherCode(code) {
  const last = (Number(code[code.length - 1]) + 1) % 10;
  return code.slice(0, -1) + last;
}

/** Everything the login page shows as text (the fields its WXML renders). */
function shown(page) {
  const d = page.data;
  return [d.phoneError, d.codeError, d.formError, d.agreeError, d.sentTo, d.user && d.user.number].join(' ');
}

/** Phone number + get code + read it from the inbox; asserts what the page shows for the send. */
async function requestCode(flow, number) {
  const before = sandbox.inbox(number).length;
  typePhone(flow.page, number);
  assert.equal(flow.page.data.phoneValid, true);
  await tapGetCode(flow);
  assert.equal(flow.page.data.codeError, '', `no error: ${shown(flow.page)}`);
  assert.equal(flow.page.data.phoneError, '');
  assert.equal(sandbox.inbox(number).length, before + 1, 'exactly one SMS delivered');
  const { code, sms } = receivedCode(number);
  assert.equal(code.length, CODE_LENGTH, 'the page asked for config.codeLength digits');
  assert.equal(sms.message, loginLogic.codeMessage(CODE_SECONDS).replace('{code}', code), 'the page\'s SMS text');
  assert.equal(flow.page.data.sentTo, `${number.slice(0, 3)}****${number.slice(7)}`, 'the number, masked');
  assert.deepEqual(flow.buttons[flow.buttons.length - 1].slice(0, 2), ['start', '#code-btn'], 'countdown started');
  const toast = flow.mp.toasts[flow.mp.toasts.length - 1];
  assert.deepEqual(plain(toast && { title: toast.title, icon: toast.icon }), { title: '验证码已发送', icon: 'success' });
  assert.ok(!shown(flow.page).includes(code), 'the page never shows the code');
  return { code, sms };
}

/** The page shows the sentence for a failed validateCode result, next to its field; not signed in. */
function assertRefused(page, result, text) {
  const view = loginLogic.resultMessage(result);
  assert.equal(view.text, text, `the ${result} sentence`);
  const key = { phone: 'phoneError', code: 'codeError', form: 'formError' }[view.field];
  assert.equal(page.data[key], text, `shown at the ${view.field} field`);
  assert.equal(page.data.user, null, 'not signed in');
  assert.equal(page.data.canLogin, true, 'the user can try again');
}

function assertSignedIn(page, number) {
  assert.equal(page.data.formError, '', `no error: ${shown(page)}`);
  assert.equal(page.data.codeError, '');
  assert.ok(page.data.user, 'signed in');
  assert.equal(page.data.user.number, `${number.slice(0, 3)}****${number.slice(7)}`);
  assert.equal(page.data.code, '', 'the code input is cleared after sign-in');
}

/** The page shows the network sentence next to the code field, and the button was given back. */
function assertNetworkErrorShown(flow, buttonsBefore, text = '网络不太稳定，请检查网络后重试') {
  const { page, buttons, mp } = flow;
  assert.equal(page.data.codeError, text);
  assert.doesNotMatch(shown(page), /\d{4}|合法域名|错误码/, 'no codes or developer advice for the user');
  const logged = mp.app.globalData.devLog[0];
  assert.equal(logged.op, 'sendCode');
  assert.ok(logged.error && logged.error.code >= 9100, `the developer page has the error code: ${JSON.stringify(logged.error)}`);
  assert.deepEqual(buttons.slice(buttonsBefore), [['reset', '#code-btn']], 'the code button is re-enabled, no countdown');
  assert.equal(page.data.sentTo, '', 'nothing claims to be sent');
  assert.equal(mp.toasts.length, 0, 'no "sent" toast');
}

/** A loopback port with nothing listening. */
async function closedPort() {
  const srv = net.createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

const successfulSends = () => sandbox.requests.filter((r) => /send/.test(r.path) && r.code === 0).length;

const savedEnv = {};

before(async () => {
  assert.ok(built, 'dist/ is not built: run ./build.sh build first');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-flow-'));
  snapshot = snapshotDist();
  sandbox = await startSandbox({ port: 0 });
  // The zhenzisms cloud function's settings (its environment variables), pointing at the sandbox.
  const env = Object.assign({}, CLOUD_ENV, { ZHENZI_API_URL: sandbox.url });
  for (const k of Object.keys(env)) {
    savedEnv[k] = process.env[k];
    process.env[k] = env[k];
  }
});

after(async () => {
  for (const mp of simulators) mp.dispose();
  if (sandbox) await sandbox.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
  for (const k of Object.keys(savedEnv)) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

describe('login page, direct mode (sandbox), real SDK', () => {
  test('get a code, read it from the inbox, type it: signed in; the same code again: used', async () => {
    const flow = await openLogin();
    assert.equal(typePhone(flow.page, '138 0013-8000'), '13800138000', 'a pasted, formatted number is cleaned');
    const { sms } = await requestCode(flow, '13800138000');
    const code = receivedCode('13800138000').code;
    assert.equal(sms.messageId, flow.mp.app.globalData.lastMessageId, 'direct mode names its sends for the developer page');
    const form = sandbox.requests.filter((r) => r.path === '/sms/send.html').pop().form;
    assert.equal(form.appId, '10001');
    assert.equal(form.apiUrl, demoConfig.apiUrl, 'posted through the relay for config.apiUrl');

    assert.equal(typeCode(flow.page, ` ${code}9`), code, 'extra digits are cut at codeLength');
    await tapLogin(flow);
    assertSignedIn(flow.page, '13800138000');

    flow.page.onSignOut();
    assert.equal(flow.page.data.user, null);
    assert.equal(flow.page.data.canLogin, false, 'the code was cleared');
    typeCode(flow.page, code);
    await tapLogin(flow);
    assertRefused(flow.page, 'code_used', '验证码已失效，请重新获取');
    assert.deepEqual(flow.mp.errors, [], 'no exception in mini-program callbacks');
  });

  test('a wrong code: the wrong-code sentence, the code stays to be corrected, the right one works', async () => {
    const flow = await openLogin();
    const { code } = await requestCode(flow, '13900139000');
    typeCode(flow.page, otherCode(code));
    await tapLogin(flow);
    assertRefused(flow.page, 'code_error', '验证码不正确，请重新输入');
    assert.equal(flow.page.data.code, otherCode(code), 'the wrong code stays in the input');
    typeCode(flow.page, code);
    assert.equal(flow.page.data.codeError, '', 'typing clears the error');
    await tapLogin(flow);
    assertSignedIn(flow.page, '13900139000');
  });

  test('wrong codes again and again: too many attempts, then even the right code is refused', async () => {
    const flow = await openLogin();
    const { code } = await requestCode(flow, '13200132000');
    const results = [];
    for (let i = 0; i < 10 && (results.length === 0 || results[results.length - 1] === '验证码不正确，请重新输入'); i += 1) {
      typeCode(flow.page, otherCode(code));
      await tapLogin(flow);
      results.push(flow.page.data.codeError);
    }
    assert.ok(results.length >= 2, `a few tries are allowed: ${results}`);
    assertRefused(flow.page, 'too_many_attempts', '错误次数过多，请重新获取验证码');
    typeCode(flow.page, code);
    await tapLogin(flow);
    assertRefused(flow.page, 'too_many_attempts', '错误次数过多，请重新获取验证码');
  });

  test('resend: refused during the countdown (config.resendSeconds) with a plain sentence, accepted after', async () => {
    const flow = await openLogin();
    const number = '13100131000';
    const first = (await requestCode(flow, number)).code;
    flow.clock.advance((demoConfig.resendSeconds - 1) * 1000);
    const buttonsBefore = flow.buttons.length;
    await tapGetCode(flow);
    assert.equal(flow.page.data.codeError, '获取太频繁，请稍后再试');
    const logged = flow.mp.app.globalData.devLog[0];
    assert.equal(flow.sdk.errorInfo(logged.error.code).kind, 'cooldown', 'the developer page has the cooldown code');
    assert.deepEqual(flow.buttons.slice(buttonsBefore), [['reset', '#code-btn']]);
    assert.equal(sandbox.inbox(number).length, 1, 'no second SMS');

    flow.clock.advance(1000); // the countdown is over
    const second = (await requestCode(flow, number)).code;
    if (second !== first) {
      typeCode(flow.page, first);
      await tapLogin(flow);
      assertRefused(flow.page, 'code_error', '验证码不正确，请重新输入'); // the newer code replaced it
    }
    typeCode(flow.page, second);
    await tapLogin(flow);
    assertSignedIn(flow.page, number);
  });

  test('a code typed after its lifetime (config.codeSeconds): the expired sentence', async () => {
    const flow = await openLogin();
    const { code } = await requestCode(flow, '13700137000');
    flow.clock.advance((CODE_SECONDS - 5) * 1000);
    typeCode(flow.page, otherCode(code));
    await tapLogin(flow);
    assertRefused(flow.page, 'code_error', '验证码不正确，请重新输入'); // still alive just before the end

    flow.clock.advance(10 * 1000);
    typeCode(flow.page, code);
    await tapLogin(flow);
    assertRefused(flow.page, 'code_expired', '验证码已过期，请重新获取');
  });

  test('the connection reset mid-reply: a network sentence, button re-enabled, a retry works', async () => {
    const flow = await openLogin();
    const number = '13600136000';
    typePhone(flow.page, number);
    sandbox.queueFault({ fault: 'reset', path: '/sms/send.html', count: 1 });
    const buttonsBefore = flow.buttons.length;
    await tapGetCode(flow);
    assert.equal(sandbox.requests.filter((r) => r.fault === 'reset').length, 1, 'the fault was served');
    assertNetworkErrorShown(flow, buttonsBefore);
    assert.equal(sandbox.inbox(number).length, 0);

    const { code } = await requestCode(flow, number);
    assert.equal(flow.page.data.codeError, '', 'the error is gone once it worked');
    typeCode(flow.page, code);
    await tapLogin(flow);
    assertSignedIn(flow.page, number);
  });

  test('nothing listening at relayUrl: a network sentence, button re-enabled, nothing to verify', async () => {
    const flow = await openLogin({ relayUrl: `http://127.0.0.1:${await closedPort()}` });
    const number = '13500135000';
    typePhone(flow.page, number);
    const buttonsBefore = flow.buttons.length;
    await tapGetCode(flow);
    assertNetworkErrorShown(flow, buttonsBefore);
    assert.ok(flow.mp.requests.length >= 1, 'the SDK did try wx.request');

    typeCode(flow.page, '12345');
    await tapLogin(flow);
    assertRefused(flow.page, 'empty', '请先获取验证码');
  });
});

describe('the demo as shipped (config.mode auto), real SDK', () => {
  test('opened with touristappid: direct mode on the sandbox, the banner says so, and a code signs in', async () => {
    assert.equal(demoConfig.mode, 'auto');
    const flow = await openLogin({ mode: 'auto', appid: 'touristappid', expectMode: 'direct' });
    assert.equal(flow.mp.cloudInits.length, 0, 'no wx.cloud.init with a tourist appid');
    assert.equal(flow.mp.app.globalData.modeReason, 'tourist');
    assert.equal(flow.page.data.banner, loginLogic.sandboxBanner('direct', 'sandbox', 'tourist'), 'the one line (a develop build)');
    const number = '13800138010';
    const { code } = await requestCode(flow, number);
    assert.equal(sandbox.requests.filter((r) => r.path === '/sms/send.html').pop().form.number, number, 'through the sandbox relay');
    typeCode(flow.page, code);
    await tapLogin(flow);
    assertSignedIn(flow.page, number);
    assert.deepEqual(flow.mp.errors, []);
  });

  test('opened with an appid of your own and cloudEnv set: cloud mode in that environment', async () => {
    const flow = await openLogin({ mode: 'auto', appid: 'wx0123456789abcdef', cloudEnv: 'env-demo', expectMode: 'cloud' });
    assert.deepEqual(plain(flow.mp.cloudInits), [{ traceUser: true, env: 'env-demo' }]);
    assert.equal(flow.page.data.banner, '', 'no banner in cloud mode');
    const number = '13400134010';
    const { code } = await requestCode(flow, number);
    assert.equal(flow.mp.requests.length, 0, 'no wx.request from the page in cloud mode');
    typeCode(flow.page, code);
    await tapLogin(flow);
    assertSignedIn(flow.page, number);
  });
});

describe('login page, cloud mode, real zhenzisms and login cloud functions', () => {

  test('a wrong code, then the right one: checked in the cloud; the code never reaches the phone', async () => {
    const flow = await openLogin({ mode: 'cloud' });
    assert.equal(flow.mp.cloudInits.length, 1, 'wx.cloud.init for cloud mode');
    const number = '13400134000';
    const { code } = await requestCode(flow, number);
    assert.equal(flow.mp.requests.length, 0, 'no wx.request from the page in cloud mode');
    const seen = JSON.stringify(flow.mp.storage ? [...flow.mp.storage.values()] : []) + JSON.stringify(flow.mp.app.globalData.devLog);
    assert.ok(!seen.includes(code), 'the code is nowhere in the mini-program');
    assert.ok(flow.cloud.db.dump('sms-record').length > 0, 'the cloud function kept the code in its database');

    typeCode(flow.page, otherCode(code));
    await tapLogin(flow);
    assertRefused(flow.page, 'code_error', '验证码不正确，请重新输入');
    assert.deepEqual(flow.mp.errors, []);
  });

  test('needs checkVerified: the right code signs in through the login cloud function', async () => {
    const flow = await openLogin({ mode: 'cloud' });
    const number = '13400134001';
    const { code } = await requestCode(flow, number);
    typeCode(flow.page, code);
    await tapLogin(flow);
    const logged = flow.mp.app.globalData.devLog[0];
    assert.equal(logged.op, 'login');
    assert.deepEqual(plain(logged.request), { name: 'login', data: { number } });
    assert.equal(logged.response && logged.response.code, 'success', `login answered ${JSON.stringify(logged.response)}`);
    assert.equal(logged.response.number, number);
    assert.ok(logged.response.verifiedAt != null);
    assertSignedIn(flow.page, number);
    assert.deepEqual(flow.mp.errors, []);
  });

  test('the login function refuses a number this user never verified, and one another user verified', async () => {
    const flow = await openLogin({ mode: 'cloud' });
    const ask = async (number) => {
      const r = await flow.mp.wx.cloud.callFunction({ name: 'login', data: { number } });
      return plain(r.result);
    };
    const never = await ask('13400134002');
    assert.equal(never.code, 'not_verified');
    assert.equal(typeof never.msg, 'string');
    assert.equal((await ask('not-a-number')).code, 'not_verified');

    // Another user verifies a number; this user asks to sign in with it.
    const number = '13400134003';
    const { code } = await requestCode(flow, number);
    typeCode(flow.page, code);
    const me = flow.cloud.context.OPENID;
    await tapLogin(flow);
    flow.cloud.context.OPENID = 'sim-openid-attacker';
    try {
      assert.equal((await ask(number)).code, 'not_verified', 'verified by someone else: no sign-in');
    } finally {
      flow.cloud.context.OPENID = me;
    }
  });

  test('resend in cloud mode: the cloud function\'s cooldown, said in plain words', async () => {
    const flow = await openLogin({ mode: 'cloud' });
    const number = '13400134004';
    await requestCode(flow, number);
    const buttonsBefore = flow.buttons.length;
    await tapGetCode(flow);
    assert.equal(flow.page.data.codeError, '获取太频繁，请稍后再试');
    assert.deepEqual(flow.buttons.slice(buttonsBefore), [['reset', '#code-btn']]);
    assert.equal(sandbox.inbox(number).length, 1, 'no second SMS');
  });

  test('the cloud function missing (not deployed): a service sentence, button re-enabled', async () => {
    const flow = await openLogin({ mode: 'cloud', functions: {} });
    typePhone(flow.page, '13400134005');
    const buttonsBefore = flow.buttons.length;
    await tapGetCode(flow);
    assertNetworkErrorShown(flow, buttonsBefore, '服务暂时不可用，请稍后再试');
    assert.equal(flow.mp.app.globalData.devLog[0].error.code, 9105);
  });

  test('needs the secure-by-default routes: in cloud mode balance is refused and the developer page explains it', async () => {
    const flow = await openLogin({ mode: 'cloud' });
    const tools = flow.mp.openPage('pages/tools/tools');
    await flow.mp.pending();
    assert.equal(tools.data.mode, 'cloud');
    assert.ok(tools.data.errors.length >= 20, 'the SDK error table is listed');
    tools.onBalance();
    await flow.mp.pending();
    assert.equal(tools.data.balance, '', `no balance handed to any user: ${JSON.stringify(plain(tools.data.balanceError))}`);
    assert.equal(tools.data.balanceRefused, toolsLogic.ROUTE_OFF);
    assert.equal(flow.mp.requests.length, 0, 'still no wx.request');
  });
});

describe('login page, one tap first (cloud mode), real SDK and real cloud functions', () => {
  /** The user agrees, taps 「微信手机号快捷登录」 and WeChat fires bindgetphonenumber with `detail`. */
  async function tapOneTap(flow, detail) {
    if (!flow.page.data.agreed) flow.page.onToggleAgree();
    assert.equal(flow.page.data.oneTapReady, true, 'one tap offered in cloud mode');
    flow.page.onGetPhoneNumber({ type: 'getphonenumber', detail });
    assert.equal(flow.page.data.oneTapBusy, true, 'the button shows it is busy');
    await flow.mp.pending();
  }

  test('one tap: WeChat\'s code → zhenzisms → login, signed in; the developer page shows via phone', async () => {
    const flow = await openLogin({ mode: 'cloud' });
    assert.equal(flow.page.data.smsForm, false, 'the page opens on one tap');
    const number = '13400134100';
    const code = flow.cloud.phone.issue({ phoneNumber: number });
    await tapOneTap(flow, { errMsg: 'getPhoneNumber:ok', code });
    assertSignedIn(flow.page, number);
    assert.equal(flow.page.data.user.viaText, loginLogic.viaText('phone'));
    assert.equal(flow.page.data.oneTapBusy, false);
    const logged = flow.mp.app.globalData.devLog[0];
    assert.equal(logged.op, 'login');
    assert.deepEqual([logged.response.code, logged.response.number, logged.response.via], ['success', number, 'phone'], 'the login function accepted the one-tap proof through checkVerified');
    assert.deepEqual(flow.cloud.phone.calls, [{ code }], 'exchanged once, by the cloud function');
    assert.equal(sandbox.inbox(number).length, 0, 'no SMS');
    assert.ok(!JSON.stringify(flow.mp.app.globalData.devLog).includes(code), 'WeChat\'s one-time code is not kept on the phone');
    const tools = flow.mp.openPage('pages/tools/tools');
    await flow.mp.pending();
    assert.deepEqual(plain(tools.data.signIn), toolsLogic.signInRows({ number: `${number.slice(0, 3)}****${number.slice(7)}`, via: 'phone' }));
    assert.match(tools.data.signIn[1].value, /via: phone/);
    assert.deepEqual(flow.mp.errors, []);
  });

  test('a decline: the SMS form by itself with one line; the SMS code then signs in, via sms', async () => {
    const flow = await openLogin({ mode: 'cloud' });
    await tapOneTap(flow, { errMsg: 'getPhoneNumber:fail user deny' });
    assert.equal(flow.page.data.smsForm, true);
    assert.equal(flow.page.data.fallbackNote, '你没有授权手机号，请用短信验证码登录');
    assert.equal(flow.page.data.user, null);
    assert.equal(flow.cloud.phone.calls.length, 0, 'nothing asked of WeChat');
    const number = '13400134101';
    const { code } = await requestCode(flow, number);
    typeCode(flow.page, code);
    await tapLogin(flow);
    assertSignedIn(flow.page, number);
    assert.equal(flow.mp.app.globalData.devLog[0].response.via, 'sms');
    assert.equal(flow.page.data.user.viaText, loginLogic.viaText('sms'));
    assert.equal(flow.mp.app.globalData.lastSignIn.via, 'sms');
  });

  test('no permission on the phone, and a used code at the function: the SMS form by itself, nothing signed in', async () => {
    const flow = await openLogin({ mode: 'cloud' });
    await tapOneTap(flow, { errMsg: 'getPhoneNumber:fail no permission' });
    assert.equal(flow.page.data.fallbackNote, '本小程序暂不能用微信手机号快捷登录，请用短信验证码登录');
    flow.page.onBackToOneTap();
    assert.equal(flow.page.data.smsForm, false);
    const code = flow.cloud.phone.issue({ phoneNumber: '13400134102' });
    await tapOneTap(flow, { errMsg: 'getPhoneNumber:ok', code });
    flow.page.onSignOut();
    await tapOneTap(flow, { errMsg: 'getPhoneNumber:ok', code }); // the same code again: WeChat's 40029
    assert.equal(flow.page.data.smsForm, true);
    assert.equal(flow.page.data.fallbackNote, '微信手机号快捷登录没有成功，请用短信验证码登录');
    assert.equal(flow.page.data.user, null);
    const answer = flow.mp.app.globalData.devLog[0];
    assert.equal(answer.op, 'verifyPhoneNumber');
    assert.deepEqual([answer.response.code, answer.response.fallback, answer.error.code], ['invalid_code', 'sms', 9401]);
  });

  test('as shipped (touristappid: direct mode on the sandbox): the button says why and opens the SMS form', async () => {
    const flow = await openLogin({ mode: 'auto', appid: 'touristappid', expectMode: 'direct' });
    assert.equal(flow.page.data.oneTapReady, false);
    flow.page.onToggleAgree();
    flow.page.onOneTapBlocked();
    assert.equal(flow.page.data.smsForm, true);
    assert.equal(flow.page.data.fallbackNote, loginLogic.oneTapUnavailable('tourist'));
    const number = '13800138110';
    const { code } = await requestCode(flow, number);
    typeCode(flow.page, code);
    await tapLogin(flow);
    assertSignedIn(flow.page, number);
  });
});

describe('developer page, direct mode (sandbox)', () => {
  test('balance shows the sandbox\'s balance; lookup shows the record of the code just sent', async () => {
    const flow = await openLogin();
    const number = '13300133000';
    const { code, sms } = await requestCode(flow, number);
    const messageId = flow.mp.app.globalData.lastMessageId;

    const tools = flow.mp.openPage('pages/tools/tools');
    await flow.mp.pending();
    assert.equal(tools.data.mode, 'direct');
    assert.equal(tools.data.messageId, messageId, 'pre-filled with the last send\'s messageId');
    assert.equal(tools.data.messageIdValid, true);
    assert.equal(tools.data.log[0].title, 'sendCode · 直连', 'the login page\'s request is listed');
    assert.deepEqual(plain(tools.data.errors), toolsLogic.errorRows(plain(flow.sdk.errorTable())));

    const expected = START_BALANCE - successfulSends();
    assert.ok(expected < START_BALANCE, 'this test spent at least one message');
    tools.onBalance();
    assert.equal(tools.data.balanceLoading, true);
    await flow.mp.pending();
    assert.equal(tools.data.balanceLoading, false);
    assert.equal(tools.data.balanceError, null, JSON.stringify(plain(tools.data.balanceError)));
    assert.equal(tools.data.balance, `剩余短信：${expected} 条`);

    tools.onLookup();
    await flow.mp.pending();
    assert.equal(tools.data.lookupError, null, JSON.stringify(plain(tools.data.lookupError)));
    const record = plain(tools.data.record);
    assert.equal(record.found, true);
    const rows = Object.fromEntries(record.rows.map((r) => [r.label, r.value]));
    assert.equal(rows['手机号'], number);
    assert.equal(rows['短信内容'], sms.message);
    assert.ok(rows['短信内容'].includes(code));
    assert.equal(rows['状态'], '发送成功（success）');
    assert.equal(rows.messageId, messageId);
    assert.equal(rows['发送时间'], sms.createTime);

    tools.onMessageIdInput({ detail: { value: ' demo-no-such-id ' } });
    assert.equal(tools.data.messageId, 'demo-no-such-id');
    tools.onLookup();
    await flow.mp.pending();
    assert.deepEqual(plain(tools.data.record), { found: false, rows: [] }, 'an unknown messageId: not found');
    assert.equal(tools.data.lookupError, null);
    assert.deepEqual(flow.mp.errors, []);
  });

  test('switching to cloud mode on the developer page re-initialises the shared client', async () => {
    const flow = await openLogin();
    const tools = flow.mp.openPage('pages/tools/tools');
    tools.onModeChange({ detail: { value: true } });
    await flow.mp.pending();
    assert.equal(flow.mp.app.globalData.mode, 'cloud');
    assert.equal(flow.mp.cloudInits.length, 1, 'wx.cloud.init when cloud mode is first chosen');
    assert.equal(tools.data.modeHint, toolsLogic.modeHint('cloud'));
    assert.equal(String(flow.sdk.client), '[zhenzisms client cloud]');
  });
});
