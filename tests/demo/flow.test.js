'use strict';
// End to end: the demo's own pages (login.js, tools.js, their logic.js, app.js, config.js) with the
// REAL built SDK (dist/utils/) running in the mini-program runtime simulator (tests/simulator/),
// talking over real HTTP to the local Zhenzi sandbox (tests/sandbox/server.js). A test plays the user:
// types the number through the page's input handler, taps "获取验证码", reads the SMS from the sandbox
// inbox (the phone), types the code, taps "登录 / 验证", and checks what the page shows.
//
// Each mini-program is a temp copy of miniprogram-demo/miniprogram with dist/utils/* in utils/ and a
// config.js pointing relayUrl at the sandbox, with a 120 s code lifetime and 5-digit codes (so the
// page's settings are seen to reach the SDK). The clock the SDK reads is the simulator's Date.now,
// which the tests move forward instead of waiting. The simulator renders nothing, so the page's
// selectComponent('#code-btn') is a recorder of start()/reset().
//
// dist/ is built (git-ignored); without it these tests are skipped, as the demo README says.
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

const { startSandbox } = require('../sandbox/server.js');
const { createMiniProgram } = require('../simulator');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');

const demoConfig = require(path.join(DEMO, 'config.js'));
const loginLogic = require(path.join(DEMO, 'pages/login/logic.js'));
const toolsLogic = require(path.join(DEMO, 'pages/tools/logic.js'));

const CODE_SECONDS = 120;
const CODE_LENGTH = 5;
assert.notEqual(CODE_LENGTH, demoConfig.codeLength, 'the flow config must differ from the shipped one');
assert.notEqual(CODE_SECONDS, demoConfig.codeSeconds, 'the flow config must differ from the shipped one');
const START_BALANCE = 1000; // app 10001 in tests/sandbox/fixture.json

const built = fs.existsSync(path.join(DIST_UTILS, 'zhenzisms.js'))
  && fs.existsSync(path.join(DIST_CLOUD, 'index.js'));
const SKIP = built ? false : 'dist/ is not built (run ./build.sh)';

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

/** A copy of the demo mini-program with the built SDK and a config for this sandbox. */
function makeDemo(relayUrl) {
  const root = fs.mkdtempSync(path.join(work, 'mp-'));
  fs.cpSync(DEMO, root, { recursive: true });
  fs.cpSync(snapshot.utils, path.join(root, 'utils'), { recursive: true });
  const file = path.join(root, 'config.js');
  let text = fs.readFileSync(file, 'utf8');
  const replace = (re, value) => {
    assert.match(text, re, `config.js has ${re}`);
    text = text.replace(re, value);
  };
  replace(/relayUrl: '[^']*'/, `relayUrl: '${relayUrl}'`);
  replace(/codeSeconds: \d+/, `codeSeconds: ${CODE_SECONDS}`);
  replace(/codeLength: \d+/, `codeLength: ${CODE_LENGTH}`);
  fs.writeFileSync(file, text);
  return root;
}

/**
 * Launch a demo copy in the simulator, open the login page, wait for the SDK to load.
 * → {mp, page, sdk, buttons, clock}. clock.advance(ms) moves the mini-program's Date.now.
 */
async function openLogin({ relayUrl = sandbox.url, cloud = null } = {}) {
  const options = { root: makeDemo(relayUrl) };
  if (cloud) {
    options.cloudFunctions = { zhenzisms: snapshot.cloudIndex };
    options.cloudRequire = (name) => (name === 'wx-server-sdk' ? cloud : undefined);
  }
  const mp = createMiniProgram(options);
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
  assert.equal(page.data.sdkState, '正在加载 SDK…');
  await mp.pending();
  assert.equal(page.data.sdkState, '', 'the wasm core loaded');
  assert.equal(page.data.error, null);
  const sdk = mp.require('/utils/zhenzisms.js');
  return { mp, page, sdk, buttons, clock };
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
async function tapVerify({ mp, page }) {
  page.onVerify();
  assert.equal(page.data.verifying, true, 'the verify button shows it is busy');
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

/** Phone number + get code + read it from the inbox; asserts the page reports the send. */
async function requestCode(flow, number) {
  const before = sandbox.inbox(number).length;
  typePhone(flow.page, number);
  assert.equal(flow.page.data.phoneValid, true);
  await tapGetCode(flow);
  assert.equal(flow.page.data.error, null, `no error: ${JSON.stringify(plain(flow.page.data.error))}`);
  assert.equal(sandbox.inbox(number).length, before + 1, 'exactly one SMS delivered');
  const { code, sms } = receivedCode(number);
  assert.equal(code.length, CODE_LENGTH, 'the page asked for config.codeLength digits');
  assert.equal(sms.message, loginLogic.codeMessage(CODE_SECONDS).replace('{code}', code), 'the page\'s SMS text');
  assert.equal(flow.page.data.sentTo, number);
  // In cloud mode the function chooses a code SMS's messageId itself (so no one can look it up).
  if (flow.page.data.mode !== 'cloud') assert.equal(sms.messageId, flow.page.data.messageId, 'the page shows the messageId the send used');
  assert.deepEqual(flow.buttons[flow.buttons.length - 1].slice(0, 2), ['start', '#code-btn'], 'countdown started');
  const toast = flow.mp.toasts[flow.mp.toasts.length - 1];
  assert.deepEqual(plain(toast && { title: toast.title, icon: toast.icon }), { title: '验证码已发送', icon: 'success' });
  return code;
}

function assertResult(page, result) {
  assert.deepEqual(plain(page.data.result), loginLogic.resultMessage(result), `page shows the ${result} message`);
  assert.equal(page.data.error, null);
}

/** The page shows errorInfo(code)'s reason and solution, and the button was given back. */
function assertNetworkErrorShown(flow, buttonsBefore) {
  const { page, sdk, buttons, mp } = flow;
  const error = plain(page.data.error);
  assert.ok(error, 'an error is shown');
  assert.ok([9100, 9101].includes(error.code), `a network/timeout code, got ${error.code}`);
  const info = sdk.errorInfo(error.code);
  assert.equal(info.kind === 'network' || info.kind === 'timeout', true, info.kind);
  assert.ok(error.title.includes(info.reason), `title "${error.title}" has the reason "${info.reason}"`);
  assert.ok(error.title.includes(String(info.code)), 'and the code');
  assert.equal(error.solution, info.solution, 'the solution from errorInfo');
  assert.ok(info.solution.length > 0);
  assert.equal(error.retry, info.retriable ? '可以稍后重试' : '');
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

before(async () => {
  if (SKIP) return;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-flow-'));
  snapshot = snapshotDist();
  sandbox = await startSandbox({ port: 0 });
});

after(async () => {
  for (const mp of simulators) mp.dispose();
  if (sandbox) await sandbox.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('login page, direct mode, real SDK against the sandbox', { skip: SKIP }, () => {
  test('get a code, read it from the inbox, type it: signed in; the same code again: used', async () => {
    const flow = await openLogin();
    assert.equal(flow.page.data.mode, 'direct');
    assert.equal(typePhone(flow.page, '138 0013-8000'), '13800138000', 'a pasted, formatted number is cleaned');
    const code = await requestCode(flow, '13800138000');
    assert.equal(flow.mp.app.globalData.lastMessageId, flow.page.data.messageId);
    const form = sandbox.requests.filter((r) => r.path === '/sms/send.html').pop().form;
    assert.equal(form.appId, '10001');
    assert.equal(form.apiUrl, demoConfig.apiUrl, 'posted through the relay for config.apiUrl');

    assert.equal(typeCode(flow.page, ` ${code}9`), code, 'extra digits are cut at codeLength');
    await tapVerify(flow);
    assertResult(flow.page, 'ok');
    assert.equal(flow.page.data.code, '', 'the code input is cleared after sign-in');

    typeCode(flow.page, code);
    await tapVerify(flow);
    assertResult(flow.page, 'code_used');
    assert.deepEqual(flow.mp.errors, [], 'no exception in mini-program callbacks');
  });

  test('a wrong code: the wrong-code message, and the right one still works', async () => {
    const flow = await openLogin();
    const code = await requestCode(flow, '13900139000');
    typeCode(flow.page, otherCode(code));
    await tapVerify(flow);
    assertResult(flow.page, 'code_error');
    assert.equal(flow.page.data.code, otherCode(code), 'the wrong code stays in the input to be corrected');

    typeCode(flow.page, code);
    await tapVerify(flow);
    assertResult(flow.page, 'ok');
  });

  test('wrong codes again and again: the too-many-attempts message, then even the right code is refused', async () => {
    const flow = await openLogin();
    const code = await requestCode(flow, '13200132000');
    const results = [];
    for (let i = 0; i < 10 && (results.length === 0 || results[results.length - 1] === 'code_error'); i += 1) {
      typeCode(flow.page, otherCode(code));
      await tapVerify(flow);
      results.push(flow.page.data.result.result);
    }
    assert.ok(results.length >= 2, `a few tries are allowed: ${results}`);
    assert.equal(results[results.length - 1], 'too_many_attempts', results.join());
    assertResult(flow.page, 'too_many_attempts');
    typeCode(flow.page, code);
    await tapVerify(flow);
    assertResult(flow.page, 'too_many_attempts');
  });

  test('resend: refused by the SDK during the countdown, accepted when it ends (config.resendSeconds)', async () => {
    const flow = await openLogin();
    const number = '13100131000';
    const first = await requestCode(flow, number);
    const { resendSeconds } = demoConfig;

    flow.clock.advance((resendSeconds - 1) * 1000);
    const buttonsBefore = flow.buttons.length;
    await tapGetCode(flow);
    const error = plain(flow.page.data.error);
    assert.ok(error, 'an error is shown');
    const info = flow.sdk.errorInfo(error.code);
    assert.equal(info.kind, 'cooldown', `got ${error.code}`);
    assert.ok(error.title.includes(info.reason));
    assert.equal(error.solution, info.solution);
    assert.deepEqual(flow.buttons.slice(buttonsBefore), [['reset', '#code-btn']]);
    assert.equal(sandbox.inbox(number).length, 1, 'no second SMS');

    flow.clock.advance(1000); // the button's countdown is over
    const second = await requestCode(flow, number);
    assert.equal(sandbox.inbox(number).length, 2);
    if (second !== first) {
      typeCode(flow.page, first);
      await tapVerify(flow);
      assertResult(flow.page, 'code_error'); // the newer code replaced it
    }
    typeCode(flow.page, second);
    await tapVerify(flow);
    assertResult(flow.page, 'ok');
  });

  test('a code typed after its lifetime (config.codeSeconds): the expired message', async () => {
    const flow = await openLogin();
    const code = await requestCode(flow, '13700137000');
    flow.clock.advance((CODE_SECONDS - 5) * 1000);
    typeCode(flow.page, otherCode(code));
    await tapVerify(flow);
    assertResult(flow.page, 'code_error'); // still alive just before the end of its lifetime

    flow.clock.advance(10 * 1000);
    typeCode(flow.page, code);
    await tapVerify(flow);
    assertResult(flow.page, 'code_expired');
  });

  test('the connection reset mid-reply: reason and solution shown, button re-enabled, a retry works', async () => {
    const flow = await openLogin();
    const number = '13600136000';
    typePhone(flow.page, number);
    sandbox.queueFault({ fault: 'reset', path: '/sms/send.html', count: 1 });
    const buttonsBefore = flow.buttons.length;
    await tapGetCode(flow);
    const hit = sandbox.requests.filter((r) => r.fault === 'reset');
    assert.equal(hit.length, 1, 'the fault was served');
    assertNetworkErrorShown(flow, buttonsBefore);
    assert.equal(sandbox.inbox(number).length, 0);

    // The user taps again once the network is back: the send goes through and the code works.
    const code = await requestCode(flow, number);
    typeCode(flow.page, code);
    await tapVerify(flow);
    assertResult(flow.page, 'ok');
  });

  test('nothing listening at relayUrl: reason and solution shown, button re-enabled, nothing to verify', async () => {
    const flow = await openLogin({ relayUrl: `http://127.0.0.1:${await closedPort()}` });
    const number = '13500135000';
    typePhone(flow.page, number);
    const buttonsBefore = flow.buttons.length;
    await tapGetCode(flow);
    assertNetworkErrorShown(flow, buttonsBefore);
    assert.ok(flow.mp.requests.length >= 1, 'the SDK did try wx.request');

    // No code went out, so the SDK has none to compare with.
    typeCode(flow.page, '12345');
    await tapVerify(flow);
    assertResult(flow.page, 'empty');
  });
});

describe('login page, cloud mode through the switch', { skip: SKIP }, () => {
  // The page may ask for a longer code, never a shorter one: the function's length is the
  // page's here. The tools page's balance is an opt-in route of the function.
  const ENV = { ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: 'sandbox-secret-10001', ZHENZI_CODE_LENGTH: String(CODE_LENGTH), ZHENZI_ROUTES: 'balance' };
  const saved = {};
  before(() => {
    if (SKIP) return;
    Object.assign(ENV, { ZHENZI_API_URL: sandbox.url });
    for (const k of Object.keys(ENV)) {
      saved[k] = process.env[k];
      process.env[k] = ENV[k];
    }
  });
  after(() => {
    for (const k of Object.keys(ENV)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  test('switch to cloud mode, get a code, verify it in the cloud function: signed in', async () => {
    const cloud = createCloudSdk();
    const flow = await openLogin({ cloud });
    assert.equal(flow.mp.cloudInits.length, 0, 'direct mode first: wx.cloud not initialised yet');
    flow.page.onModeChange({ detail: { value: true } });
    await flow.mp.pending();
    assert.equal(flow.page.data.mode, 'cloud');
    assert.equal(flow.page.data.modeHint, loginLogic.modeHint('cloud'));
    assert.equal(flow.mp.app.globalData.mode, 'cloud');
    assert.equal(flow.mp.cloudInits.length, 1, 'wx.cloud.init when cloud mode is chosen');

    const directRequests = flow.mp.requests.length;
    const number = '13400134000';
    const code = await requestCode(flow, number);
    assert.equal(flow.mp.requests.length, directRequests, 'no wx.request from the page in cloud mode');
    const seen = JSON.stringify(flow.mp.requests) + JSON.stringify([...flow.mp.storage.values()]);
    assert.ok(!seen.includes(code), 'the code never reached the mini-program');
    assert.ok(cloud.db.dump('sms-record').length > 0, 'the cloud function kept the code in its database');

    typeCode(flow.page, otherCode(code));
    await tapVerify(flow);
    assertResult(flow.page, 'code_error');
    typeCode(flow.page, code);
    await tapVerify(flow);
    assertResult(flow.page, 'ok');
    assert.equal(flow.page.data.code, '');

    // The tools page follows the mode: the balance comes through the cloud function too.
    const tools = flow.mp.openPage('pages/tools/tools');
    assert.equal(tools.data.mode, 'cloud');
    const expected = START_BALANCE - successfulSends();
    tools.onBalance();
    await flow.mp.pending();
    assert.equal(tools.data.error, null, JSON.stringify(plain(tools.data.error)));
    assert.equal(tools.data.balance, toolsLogic.balanceText(expected));
    assert.equal(flow.mp.requests.length, directRequests, 'still no wx.request');
    assert.deepEqual(flow.mp.errors, []);
  });
});

describe('tools page, direct mode', { skip: SKIP }, () => {
  test('balance shows the sandbox\'s balance; lookup shows the record of the code just sent', async () => {
    const flow = await openLogin();
    const number = '13300133000';
    const code = await requestCode(flow, number);
    const messageId = flow.page.data.messageId;
    const sms = sandbox.inbox(number).pop();

    const tools = flow.mp.openPage('pages/tools/tools');
    assert.equal(tools.data.mode, 'direct');
    assert.equal(tools.data.messageId, messageId, 'pre-filled with the last send\'s messageId');
    assert.equal(tools.data.messageIdValid, true);

    const expected = START_BALANCE - successfulSends();
    assert.ok(expected < START_BALANCE, 'this test spent at least one message');
    tools.onBalance();
    assert.equal(tools.data.balanceLoading, true);
    await flow.mp.pending();
    assert.equal(tools.data.balanceLoading, false);
    assert.equal(tools.data.error, null, JSON.stringify(plain(tools.data.error)));
    assert.equal(tools.data.balance, toolsLogic.balanceText(expected));
    assert.equal(tools.data.balance, `剩余短信：${expected} 条`);

    tools.onLookup();
    await flow.mp.pending();
    assert.equal(tools.data.error, null, JSON.stringify(plain(tools.data.error)));
    const record = plain(tools.data.record);
    assert.equal(record.found, true);
    const rows = Object.fromEntries(record.rows.map((r) => [r.label, r.value]));
    assert.equal(rows['手机号'], number);
    assert.equal(rows['短信内容'], sms.message);
    assert.ok(rows['短信内容'].includes(code));
    assert.equal(rows['状态'], '发送成功（success）');
    assert.equal(rows.messageId, messageId);
    assert.equal(rows['应用'], '云短信体验');
    assert.equal(rows['发送时间'], sms.createTime);

    tools.onMessageIdInput({ detail: { value: ' demo-no-such-id ' } });
    assert.equal(tools.data.messageId, 'demo-no-such-id');
    tools.onLookup();
    await flow.mp.pending();
    assert.deepEqual(plain(tools.data.record), { found: false, rows: [] }, 'an unknown messageId: not found');
    assert.equal(tools.data.error, null);
    assert.deepEqual(flow.mp.errors, []);
  });
});
