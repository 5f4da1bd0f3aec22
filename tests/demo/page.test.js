'use strict';
// The demo pages rendered under miniprogram-simulate with their real .wxml, .js, logic modules and
// <sms-code-button>, but a FAKE SDK (recording calls, answering with whatever a test queues) and a
// fake wx.cloud.callFunction for the login cloud function. Assertions are on what is rendered: the
// texts a user reads, which control is enabled, and that nothing meant for developers shows on the
// login page. The real SDK end to end is flow.test.js's business.
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const { renderPage, textOf, attrOf } = require('./helpers/page');
const { DEMO } = require('./helpers/simulate');

const config = require(path.join(DEMO, 'config.js'));
const login = require(path.join(DEMO, 'pages/login/logic.js'));
const tools = require(path.join(DEMO, 'pages/tools/logic.js'));

const T0 = 1700000000000;
const flush = () => new Promise((resolve) => setImmediate(resolve));
// What must never reach the user's page: codes, internals, the developer's vocabulary.
const DEVELOPER_MATTER = /错误码|appSecret|合法域名|云函数|messageId|SDK|wasm|直连|request|errMsg|\b9\d{3}\b/i;

// A few entries of the real table's shape (src/errors.rs): kinds decide what the user reads.
const KINDS = { 100: 'input', 109: 'limit', 110: 'auth', 9100: 'network', 9101: 'timeout', 9105: 'cloud', 9201: 'cooldown' };

function fakeSdk() {
  const calls = [];
  const queue = { sendCode: [], validateCode: [], balance: [], findSmsByMessageId: [], verifyPhoneNumber: [] };
  const answer = (name, cb) => {
    const next = queue[name].shift();
    if (!next) throw new Error(`no reply queued for ${name}`);
    return new Promise((resolve, reject) => setImmediate(() => {
      if (next.reject) {
        cb(null, next.reject);
        reject(next.reject);
        return;
      }
      cb(next.value);
      resolve(next.value);
    }));
  };
  const client = {
    init: (...a) => calls.push(['init', ...a]),
    initCloud: (...a) => calls.push(['initCloud', ...a]),
    configure: (...a) => calls.push(['configure', ...a]),
    ready: () => Promise.resolve(true),
    sendCode(cb, options) { calls.push(['sendCode', options]); answer('sendCode', cb); },
    balance(cb) { calls.push(['balance']); answer('balance', cb); },
    findSmsByMessageId(cb, id) { calls.push(['findSmsByMessageId', id]); answer('findSmsByMessageId', cb); },
    validateCode(cb, number, code) { calls.push(['validateCode', number, code]); return answer('validateCode', cb); },
    verifyPhoneNumber(cb, e) { calls.push(['verifyPhoneNumber', JSON.parse(JSON.stringify(e))]); return answer('verifyPhoneNumber', cb); },
  };
  const errorInfo = (code) => ({
    code, kind: KINDS[code] || 'server', reason: `原因${code}`, message: `reason ${code}`, solution: `办法${code}`, retriable: code >= 9100,
  });
  const errorTable = () => Object.keys(KINDS).map((c) => errorInfo(Number(c)));
  const reply = (name, value) => queue[name].push({ value });
  const fail = (name, err) => queue[name].push({ reject: err });
  return { sdk: { client, errorInfo, errorTable, ZhenziClient: function ZhenziClient() {}, ZhenziError: Error }, calls, reply, fail, errorInfo };
}

const ok = (data) => ({ statusCode: 200, errMsg: 'request:ok', data: { code: 0, data } });
const bad = (code, data) => ({ statusCode: 200, errMsg: 'request:ok', data: { code, data } });

/** wx.cloud with a callFunction answering from a queue (the login cloud function). */
function fakeCloud() {
  const inits = [];
  const calls = [];
  const replies = [];
  return {
    inits,
    calls,
    replies,
    api: {
      init: (o) => inits.push(o),
      callFunction(o) {
        calls.push(JSON.parse(JSON.stringify(o)));
        const next = replies.shift();
        if (!next) return Promise.reject(new Error('no cloud reply queued'));
        return new Promise((resolve, reject) => setImmediate(() => (next.reject ? reject(next.reject) : resolve({ result: next.result, errMsg: 'cloud.callFunction:ok' }))));
      },
    },
  };
}

function open(t, pageRel, { globalData, envVersion = 'release', appId = 'wx0123456789abcdef' } = {}) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0 });
  const fake = fakeSdk();
  const cloud = fakeCloud();
  const wxExtra = { cloud: cloud.api, getAccountInfoSync: () => ({ miniProgram: { envVersion, appId } }) };
  const page = renderPage(pageRel, { sdk: fake.sdk, globalData, wxExtra });
  page.comp.instance.onLoad({});
  if (page.comp.instance.onShow) page.comp.instance.onShow();
  const input = async (selector, value) => {
    page.comp.querySelector(selector).dispatchEvent('input', { detail: { value } });
    await flush();
  };
  const tap = async (selector) => {
    page.comp.querySelector(selector).dispatchEvent('tap');
    await flush();
    await flush();
  };
  const change = async (selector, value) => {
    page.comp.querySelector(selector).dispatchEvent('change', { detail: { value } });
    await flush();
  };
  const codeButton = () => page.comp.querySelector('#code-btn');
  const codeButtonText = () => textOf(codeButton(), '#btn');
  const tapCodeButton = async () => {
    codeButton().querySelector('#btn').dispatchEvent('tap');
    await flush();
    await flush();
  };
  const text = (selector) => textOf(page.comp, selector);
  const all = () => textOf(page.comp, '.page');
  const has = (selector) => !!page.comp.querySelector(selector);
  const loginEnabled = () => attrOf(page.comp, '#verify', 'disabled') === false;
  return Object.assign(page, fake, { cloud, input, tap, change, codeButton, codeButtonText, tapCodeButton, text, all, has, loginEnabled });
}

// Most tests are about one mode, set as the developer page sets it; `shipped` opens the page as the
// demo starts (config.mode 'auto', no mode chosen yet).
const inMode = (o, mode) => Object.assign({}, o, { globalData: Object.assign({ mode }, o && o.globalData) });
// The SMS form, as 「其他手机号登录」 opens it (the page opens on one tap: see 'one tap first').
const openLogin = (t, o) => {
  const p = open(t, 'pages/login/login', inMode(o, 'cloud'));
  p.comp.instance.onOtherNumber();
  return p;
};
const openOneTap = (t, o) => open(t, 'pages/login/login', inMode(o, 'cloud'));
const shipped = (t, pageRel, o) => open(t, pageRel, o);

/** Number typed, code sent (cloud mode), code typed, consent given. */
async function readyToLogin(p, number = '15871770252', code = '123456') {
  await p.input('#phone', number);
  p.reply('sendCode', ok('发送成功'));
  await p.tapCodeButton();
  await p.input('#code', code);
  await p.tap('#agree');
}

describe('login page: the mode it opens in', () => {
  test('as shipped (touristappid, no cloudEnv): direct mode on the local sandbox, and wx.cloud untouched', (t) => {
    assert.equal(config.mode, 'auto');
    assert.equal(config.cloudEnv, '', 'no environment named in the shipped config');
    for (const appId of ['touristappid', 'wx0123456789abcdef', '']) {
      const p = shipped(t, 'pages/login/login', { appId });
      assert.deepEqual(p.calls, [['configure', { relayUrl: config.relayUrl }], ['init', config.apiUrl, config.appId, config.appSecret]], appId);
      assert.equal(p.cloud.inits.length, 0, `${appId}: no wx.cloud.init where cloud development cannot work`);
      assert.equal(p.app.globalData.mode, 'direct');
      assert.equal(p.app.globalData.modeReason, appId === 'wx0123456789abcdef' ? 'no-env' : 'tourist');
      t.mock.timers.reset();
    }
  });

  test('a development build says so in one line, with the reason and how to switch; a release build does not', (t) => {
    const dev = shipped(t, 'pages/login/login', { appId: 'touristappid', envVersion: 'develop' });
    const line = dev.text('.sandbox-banner');
    assert.equal(dev.comp.querySelectorAll('.sandbox-banner').length, 1);
    assert.ok(!line.includes('\n'), 'one line');
    for (const part of ['本地沙箱', '直连模式', '游客 appid', 'appid', 'cloudEnv', '云函数模式']) assert.ok(line.includes(part), part);
    assert.equal(line, login.sandboxBanner('direct', 'sandbox', 'tourist'));
    t.mock.timers.reset();
    const release = shipped(t, 'pages/login/login', { appId: 'touristappid' });
    assert.equal(release.has('.sandbox-banner'), false);
  });

  test('with an appid of your own and cloudEnv: cloud mode, wx.cloud.init with that environment, no banner', (t) => {
    const withEnv = Object.assign({}, config, { cloudEnv: 'env-1' });
    const chosen = login.chooseMode(withEnv, 'wx0123456789abcdef', true);
    assert.deepEqual(chosen, { mode: 'cloud', reason: '' });
    // The page in the mode chooseMode picked (the shipped config.js names no environment).
    const p = open(t, 'pages/login/login', { envVersion: 'develop', globalData: { mode: chosen.mode } });
    assert.deepEqual(p.calls, [['initCloud', { name: config.cloudFunctionName }]]);
    assert.equal(p.cloud.inits.length, 1);
    assert.equal(p.has('.sandbox-banner'), false);
  });

  test('back from the developer page in another mode, the banner follows', async (t) => {
    const p = shipped(t, 'pages/login/login', { appId: 'touristappid', envVersion: 'develop' });
    assert.ok(p.has('.sandbox-banner'));
    p.app.useMode('cloud', 'sandbox');
    p.comp.instance.onShow();
    await flush();
    assert.equal(p.has('.sandbox-banner'), false);
  });
});

describe('login page: what the user sees', () => {
  test('opens with one heading, an empty form and nothing for developers', (t) => {
    const p = openLogin(t);
    assert.deepEqual(p.calls, [['initCloud', { name: config.cloudFunctionName }]]);
    assert.equal(p.cloud.inits.length, 1, 'wx.cloud.init once, for cloud mode');
    assert.equal(p.comp.querySelectorAll('.title').length, 1);
    assert.equal(p.text('.title'), '手机号登录');
    assert.equal(p.text('.prefix'), '+86');
    assert.equal(attrOf(p.comp, '#phone', 'placeholder'), '请输入手机号');
    assert.equal(attrOf(p.comp, '#code', 'placeholder'), '请输入验证码');
    assert.equal(p.codeButtonText(), '获取验证码');
    assert.equal(p.text('#verify'), '登录');
    assert.equal(p.loginEnabled(), false, 'login disabled on an empty form');
    assert.ok(attrOf(p.comp, '#verify', 'class').includes('is-disabled'), 'and styled as disabled');
    assert.match(p.text('.agree'), /用户协议.*隐私政策/);
    assert.equal(p.has('#phone-clear'), false, 'no clear button while empty');
    assert.equal(p.has('.dev-link'), false, 'no developer link in a release build');
    assert.doesNotMatch(p.all(), DEVELOPER_MATTER);
  });

  test('in a development build a discreet link leads to the developer page', (t) => {
    const p = openLogin(t, { envVersion: 'develop' });
    assert.equal(p.text('.dev-link'), '开发者工具');
    assert.equal(attrOf(p.comp, '.dev-link', 'url'), '/pages/tools/tools');
  });

  test('typing the number: no red while typing, the code button unlocks at 11 digits, × clears', async (t) => {
    const p = openLogin(t);
    assert.equal(p.codeButton().data.locked, true, 'locked with no number');
    for (const typed of ['1', '158', '1587177025']) {
      await p.input('#phone', typed);
      assert.equal(p.text('.phone-error'), '', `no error after "${typed}"`);
      assert.equal(p.codeButton().data.locked, true);
    }
    assert.ok(p.comp.querySelector('#phone-clear'), 'a clear button once something is typed');
    await p.input('#phone', '15871770252');
    assert.equal(p.codeButton().data.locked, false);
    await p.input('#phone', '12');
    assert.equal(p.text('.phone-error'), '请输入正确的手机号', 'a number that cannot be valid says so');
    assert.equal(p.codeButton().data.locked, true);
    await p.tap('#phone-clear');
    assert.equal(p.comp.data.phone, '');
    assert.equal(p.text('.phone-error'), '');
    assert.equal(p.has('#phone-clear'), false);
  });

  test('get code: the SMS goes out, the countdown runs with a fixed-width label, the number is masked', async (t) => {
    const p = openLogin(t);
    await p.input('#phone', '15871770252');
    p.reply('sendCode', ok('发送成功'));
    await p.tapCodeButton();

    const send = p.calls.filter((c) => c[0] === 'sendCode');
    assert.equal(send.length, 1);
    assert.deepEqual(send[0][1], login.sendCodeOptions('15871770252', config, ''), 'no messageId in cloud mode: the function picks it');
    assert.equal(p.codeButtonText(), `重新获取 ${config.resendSeconds}s`);
    assert.equal(p.codeButton().data.locked, true);
    assert.equal(p.text('.sent'), '验证码已发送至 158****0252');
    assert.ok(!p.all().includes('15871770252'), 'the full number is not repeated on the page');
    assert.deepEqual(p.toasts.map((x) => x.title), ['验证码已发送']);

    t.mock.timers.tick(1000);
    assert.equal(p.codeButtonText(), `重新获取 ${config.resendSeconds - 1}s`);
    await p.input('#phone', '15871770252');
    assert.equal(p.text('.sent'), '验证码已发送至 158****0252', 'the same number typed again: still true');
    await p.input('#phone', '1587177025');
    assert.equal(p.text('.sent'), '', 'another number: the notice goes');
    await p.input('#phone', '15871770252');
    t.mock.timers.tick((config.resendSeconds - 1) * 1000);
    assert.equal(p.codeButtonText(), '获取验证码');
    assert.equal(p.codeButton().data.locked, false, 'usable again after the countdown');
  });

  test('get code refused (cooldown, network, bad number, daily cap): a sentence next to its field, button back', async (t) => {
    const cases = [
      [9201, '.code-error', '获取太频繁，请稍后再试'],
      [9100, '.code-error', '网络不太稳定，请检查网络后重试'],
      [100, '.phone-error', '请输入正确的手机号'],
      [109, '.phone-error', '该手机号今日获取验证码次数已达上限，请明天再试'],
      [110, '.code-error', '验证码发送失败，请稍后再试'],
    ];
    const p = openLogin(t);
    await p.input('#phone', '15871770252');
    for (const [code, where, text] of cases) {
      p.reply('sendCode', bad(code, `服务器原文${code}`));
      await p.tapCodeButton();
      assert.equal(p.text(where), text, `code ${code}`);
      assert.equal(p.codeButton().data.locked, false, `code ${code}: button usable again`);
      assert.equal(p.codeButtonText(), '获取验证码');
      assert.equal(p.text('.sent'), '');
      assert.doesNotMatch(p.all(), DEVELOPER_MATTER, `code ${code}`);
      assert.ok(!p.all().includes(`服务器原文${code}`));
      assert.equal(p.app.globalData.devLog[0].error.code, code, 'the code is on the developer page');
    }
    assert.equal(p.toasts.length, 0);
  });

  test('login: enabled only with a valid number and a full code; needs the consent', async (t) => {
    const p = openLogin(t);
    await p.input('#phone', '15871770252');
    await p.input('#code', '12345');
    assert.equal(p.loginEnabled(), false, 'code too short');
    await p.input('#code', '123456');
    assert.equal(p.loginEnabled(), true);
    assert.ok(!attrOf(p.comp, '#verify', 'class').includes('is-disabled'));

    await p.tap('#verify');
    assert.equal(p.text('.agree-error'), '请先阅读并同意用户协议和隐私政策');
    assert.equal(p.calls.filter((c) => c[0] === 'validateCode').length, 0, 'nothing checked without consent');
    await p.tap('#agree');
    assert.equal(p.text('.agree-error'), '');
    assert.equal(p.text('.check'), '✓');
  });

  test('wrong, expired, used, too many attempts: each said under the code field; login enabled again', async (t) => {
    const p = openLogin(t);
    await readyToLogin(p);
    const cases = {
      code_error: '验证码不正确，请重新输入',
      code_expired: '验证码已过期，请重新获取',
      code_used: '验证码已失效，请重新获取',
      too_many_attempts: '错误次数过多，请重新获取验证码',
      empty: '请先获取验证码',
    };
    for (const [result, text] of Object.entries(cases)) {
      p.reply('validateCode', result);
      await p.tap('#verify');
      assert.deepEqual(p.calls[p.calls.length - 1], ['validateCode', '15871770252', '123456']);
      assert.equal(p.text('.code-error'), text, result);
      assert.equal(p.comp.data.verifying, false);
      assert.equal(p.loginEnabled(), true, `${result}: can try again`);
      assert.equal(p.has('.done'), false, 'not signed in');
      assert.doesNotMatch(p.all(), DEVELOPER_MATTER);
    }
    p.reply('validateCode', 'number_error');
    await p.tap('#verify');
    assert.equal(p.text('.phone-error'), '手机号与接收验证码的号码不一致');
    await p.input('#code', '12345');
    assert.equal(p.text('.code-error'), '', 'typing again clears the code error');
  });

  test('ok: the login cloud function is asked, and only its success signs in', async (t) => {
    const p = openLogin(t);
    await readyToLogin(p);
    p.reply('validateCode', 'ok');
    p.cloud.replies.push({ result: { code: 'not_verified', msg: '该手机号没有通过验证' } });
    await p.tap('#verify');
    await flush();
    assert.deepEqual(p.cloud.calls, [{ name: config.loginFunctionName, data: { number: '15871770252' } }]);
    assert.equal(p.has('.done'), false, 'not_verified: not signed in');
    assert.equal(p.text('.form-error'), '登录未完成，请重新获取验证码');
    assert.equal(p.loginEnabled(), true);

    p.reply('validateCode', 'ok');
    p.cloud.replies.push({ result: { code: 'success', number: '15871770252', verifiedAt: T0 } });
    await p.tap('#verify');
    await flush();
    assert.equal(p.text('.done-title'), '登录成功');
    assert.equal(p.text('.done-text'), '当前账号 158****0252');
    assert.equal(p.has('#verify'), false, 'the form is gone');
    assert.doesNotMatch(p.all(), DEVELOPER_MATTER);
    assert.equal(p.app.globalData.devLog[0].op, 'login');

    await p.tap('#sign-out');
    assert.ok(p.has('#one-tap') && !p.has('#verify'), 'signed out: one tap first again');
    await p.tap('#other-number');
    assert.ok(p.comp.querySelector('#verify'), 'and the SMS form behind it');
    assert.equal(p.loginEnabled(), false, 'with the code cleared');
  });

  test('the check itself failing (cloud unreachable) or the login function failing: a sentence, not a stuck button', async (t) => {
    const p = openLogin(t);
    await readyToLogin(p);
    p.fail('validateCode', Object.assign(new Error('cloud'), { code: 9105 }));
    await p.tap('#verify');
    assert.equal(p.comp.data.verifying, false);
    assert.equal(p.text('.form-error'), '网络不太稳定，请稍后重试');
    assert.equal(p.loginEnabled(), true);

    p.reply('validateCode', 'ok');
    p.cloud.replies.push({ reject: { errMsg: 'cloud.callFunction:fail -504002' } });
    await p.tap('#verify');
    await flush();
    assert.equal(p.text('.form-error'), '网络不太稳定，请稍后重试');
    assert.equal(p.has('.done'), false);
    assert.match(JSON.stringify(p.app.globalData.devLog[0]), /-504002/, 'the platform error is on the developer page');
  });

  test('direct mode: no messageId hidden from the dev tools, local sign-in', async (t) => {
    const p = openLogin(t, { globalData: { mode: 'direct' } });
    assert.deepEqual(p.calls.map((c) => c[0]), ['configure', 'init']);
    await readyToLogin(p);
    const options = p.calls.find((c) => c[0] === 'sendCode')[1];
    assert.ok(options.messageId, 'direct mode names its sends, for the lookup');
    assert.equal(p.app.globalData.lastMessageId, options.messageId);
    p.reply('validateCode', 'ok');
    await p.tap('#verify');
    assert.equal(p.cloud.calls.length, 0, 'no cloud function in direct mode');
    assert.equal(p.text('.done-title'), '登录成功');
    assert.match(JSON.stringify(p.app.globalData.devLog[0].response), /直连模式没有后端/);
  });
});

describe('login page: one tap first, SMS the fallback', () => {
  // bindgetphonenumber of the open-type button, as WeChat fires it after the user's choice.
  const answerTap = async (p, detail) => {
    p.comp.querySelector('#one-tap').dispatchEvent('getphonenumber', { detail });
    await flush();
    await flush();
  };

  test('opens with 「微信手机号快捷登录」 first and 「其他手机号登录」 under it; nothing for developers', (t) => {
    const p = openOneTap(t);
    assert.equal(p.text('#one-tap'), '微信手机号快捷登录');
    assert.equal(attrOf(p.comp, '#one-tap', 'type'), 'primary');
    assert.equal(p.text('#other-number'), '其他手机号登录');
    assert.equal(p.has('#phone') || p.has('#verify'), false, 'the SMS form waits behind 「其他手机号登录」');
    assert.match(p.text('.agree'), /用户协议.*隐私政策/);
    assert.doesNotMatch(p.all(), DEVELOPER_MATTER);
  });

  test('the real getPhoneNumber button only once the terms are agreed; before, a tap asks for them', async (t) => {
    const p = openOneTap(t);
    assert.notEqual(attrOf(p.comp, '#one-tap', 'open-type'), 'getPhoneNumber', 'no consent asked in vain');
    await p.tap('#one-tap');
    assert.equal(p.text('.agree-error'), '请先阅读并同意用户协议和隐私政策');
    assert.equal(p.calls.filter((c) => c[0] === 'verifyPhoneNumber').length, 0);
    await p.tap('#agree');
    assert.equal(attrOf(p.comp, '#one-tap', 'open-type'), 'getPhoneNumber');
    assert.equal(p.text('.agree-error'), '');
  });

  test('a code: verifyPhoneNumber gets the event as it came, the login function signs in, the page says via one tap', async (t) => {
    const p = openOneTap(t);
    await p.tap('#agree');
    p.reply('verifyPhoneNumber', { code: 'success', number: '15871770252', verified: { token: 't', expiresAt: T0 + 1 }, msg: '验证通过' });
    p.cloud.replies.push({ result: { code: 'success', number: '15871770252', verifiedAt: T0, via: 'phone' } });
    await answerTap(p, { errMsg: 'getPhoneNumber:ok', code: 'wx-code-1' });
    await flush();
    assert.equal(p.calls.find((c) => c[0] === 'verifyPhoneNumber')[1].detail.code, 'wx-code-1', 'the event as it came');
    assert.deepEqual(p.cloud.calls, [{ name: config.loginFunctionName, data: { number: '15871770252' } }]);
    assert.equal(p.text('.done-title'), '登录成功');
    assert.equal(p.text('.done-via'), '已通过微信手机号快速验证');
    assert.deepEqual(p.app.globalData.lastSignIn, { number: '158****0252', via: 'phone', at: T0 });
    assert.ok(!JSON.stringify(p.app.globalData.devLog).includes('wx-code-1'), 'WeChat\'s one-time code is not kept for the developer page');
    assert.doesNotMatch(p.all(), DEVELOPER_MATTER);
  });

  test('a decline, no permission, an old WeChat or a failed exchange: the SMS form by itself, with one line', async (t) => {
    for (const [answer, line] of [
      [{ code: 'user_deny', fallback: 'sms', msg: '未授权手机号，请用短信验证码验证' }, '你没有授权手机号，请用短信验证码登录'],
      [{ code: 'no_permission', fallback: 'sms', msg: 'x' }, '本小程序暂不能用微信手机号快捷登录，请用短信验证码登录'],
      [{ code: 'no_code', fallback: 'sms', msg: 'x' }, '微信版本较低，请用短信验证码登录'],
      [{ code: 'invalid_code', fallback: 'sms', msg: 'x', error: { code: 9401, kind: 'input' } }, '微信手机号快捷登录没有成功，请用短信验证码登录'],
    ]) {
      const p = openOneTap(t);
      await p.tap('#agree');
      p.reply('verifyPhoneNumber', answer);
      await answerTap(p, { errMsg: 'getPhoneNumber:fail user deny' });
      assert.ok(p.has('#phone') && p.has('#verify'), `${answer.code}: the SMS form`);
      assert.equal(p.comp.querySelectorAll('.fallback-note').length, 1);
      assert.equal(p.text('.fallback-note'), line);
      assert.equal(p.cloud.calls.length, 0, 'no sign-in attempted');
      assert.equal(p.comp.data.oneTapBusy, false);
      assert.doesNotMatch(p.all(), DEVELOPER_MATTER);
      assert.equal(p.app.globalData.devLog[0].op, 'verifyPhoneNumber', 'the developer page has the answer');
      // The SMS path then works as always, and the way back to one tap is there.
      assert.ok(p.has('#back-one-tap'));
      await p.tap('#back-one-tap');
      assert.ok(p.has('#one-tap') && !p.has('.fallback-note'));
      t.mock.timers.reset();
    }
  });

  test('the sandbox (direct mode): the button says one tap needs the cloud and opens the SMS form', async (t) => {
    const p = shipped(t, 'pages/login/login', { appId: 'touristappid' });
    assert.equal(p.app.globalData.mode, 'direct');
    assert.notEqual(attrOf(p.comp, '#one-tap', 'open-type'), 'getPhoneNumber');
    await p.tap('#agree');
    assert.notEqual(attrOf(p.comp, '#one-tap', 'open-type'), 'getPhoneNumber', 'not even once agreed');
    await p.tap('#one-tap');
    assert.ok(p.has('#phone'), 'the SMS form');
    assert.equal(p.text('.fallback-note'), login.oneTapUnavailable('tourist'));
    assert.equal(p.has('#back-one-tap'), false, 'no way back to what cannot work');
    assert.equal(p.calls.filter((c) => c[0] === 'verifyPhoneNumber').length, 0);
  });
});

describe('developer page', () => {
  const openTools = (t, o) => open(t, 'pages/tools/tools', inMode(o, 'cloud'));

  test('as shipped: the direct mode the demo chose, on the sandbox', async (t) => {
    const p = shipped(t, 'pages/tools/tools', { appId: 'touristappid' });
    await flush();
    assert.equal(attrOf(p.comp, '#mode-switch', 'checked'), false);
    assert.equal(p.text('.mode-hint'), tools.modeHint('direct'));
    assert.ok(p.all().includes('本地沙箱'));
  });

  test('shows the last sign-in and which path verified it', async (t) => {
    const p = openTools(t, { globalData: { lastSignIn: { number: '158****0252', via: 'phone', at: T0 } } });
    await flush();
    assert.match(p.text('.sign-in'), /158\*\*\*\*0252/);
    assert.match(p.text('.sign-in'), /微信手机号快速验证（via: phone）/);
    t.mock.timers.reset();
    const none = openTools(t);
    await flush();
    assert.match(none.text('.sign-in'), /还没有登录/);
  });

  test('shows the mode, its settings (never the secret) and the SDK error table', async (t) => {
    const p = openTools(t);
    await flush();
    assert.equal(attrOf(p.comp, '#mode-switch', 'checked'), true);
    assert.equal(p.text('.mode-hint'), tools.modeHint('cloud'));
    assert.ok(p.all().includes(config.cloudFunctionName));
    assert.equal(p.comp.querySelectorAll('.err-row').length, Object.keys(KINDS).length);
    assert.ok(p.text('.err-row').includes('原因100'));
    assert.ok(!p.all().includes(config.appSecret));
  });

  test('the mode switch re-initialises the shared client; direct mode offers the sandbox/real target', async (t) => {
    const p = openTools(t);
    p.calls.length = 0;
    await p.change('#mode-switch', false);
    assert.deepEqual(p.calls, [['configure', { relayUrl: config.relayUrl }], ['init', config.apiUrl, config.appId, config.appSecret]]);
    assert.equal(p.app.globalData.mode, 'direct');
    assert.equal(p.text('.mode-hint'), tools.modeHint('direct'));
    assert.ok(p.all().includes('本地沙箱'));
    assert.ok(p.all().includes(config.relayUrl));
    assert.ok(!p.all().includes(config.appSecret));

    p.calls.length = 0;
    await p.change('#target-switch', true);
    assert.deepEqual(p.calls, [['init', config.real.apiUrl, config.real.appId, config.real.appSecret]]);
    assert.ok(p.all().includes('真实账号'));

    await p.change('#mode-switch', true);
    assert.equal(p.calls[p.calls.length - 1][0], 'initCloud');
    assert.equal(p.cloud.inits.length, 1, 'wx.cloud.init not repeated');
    assert.equal(p.has('#target-switch'), false);
  });

  test('cloud mode: balance and lookup refused by default are explained, not shown as raw errors', async (t) => {
    const p = openTools(t, { globalData: { lastMessageId: 'demoabc1' } });
    p.reply('balance', bad('disabled', undefined));
    await p.tap('#balance');
    assert.equal(p.text('.balance-refused'), tools.ROUTE_OFF);
    assert.equal(p.text('.balance-error'), '');
    p.reply('findSmsByMessageId', bad('disabled', undefined));
    await p.tap('#lookup');
    assert.equal(p.text('.lookup-refused'), tools.ROUTE_OFF);
    assert.equal(p.has('.record'), false);
    assert.equal(p.app.globalData.devLog[0].op, 'findSmsByMessageId');
    assert.ok(p.text('.log-entry').includes('findSmsByMessageId'), 'the refusal is in the request log');
  });

  test('direct mode: balance, a found record, not found, and an error with its code and remedy', async (t) => {
    const p = openTools(t, { globalData: { mode: 'direct', lastMessageId: 'demoabc1' } });
    assert.equal(p.comp.data.messageId, 'demoabc1', 'pre-filled from the last send');
    p.reply('balance', ok(537));
    await p.tap('#balance');
    assert.equal(p.text('.balance'), '剩余短信：537 条');

    const record = { message: '您的验证码为123456', status: 'success', toNumber: '15871770252', messageId: 'demoabc1' };
    p.reply('findSmsByMessageId', ok(record));
    await p.tap('#lookup');
    assert.deepEqual(p.calls[p.calls.length - 1], ['findSmsByMessageId', 'demoabc1']);
    for (const row of tools.recordView(record).rows) assert.ok(p.text('.record').includes(row.value), row.label);

    p.reply('findSmsByMessageId', ok({}));
    await p.tap('#lookup');
    assert.equal(p.text('.not-found'), '没有找到这个 messageId 对应的短信');

    p.reply('findSmsByMessageId', bad(110, '应用秘钥(AppSecret)错误'));
    await p.tap('#lookup');
    assert.equal(p.text('.lookup-refused'), '', 'direct mode: an error, not a refusal');
    assert.ok(p.text('.lookup-error').includes('原因110（错误码 110）'));
    assert.ok(p.text('.lookup-error').includes('办法110'));
  });

  test('the last requests from the login page are listed, newest first, with their error codes', async (t) => {
    const devLog = [
      { op: 'sendCode', mode: 'cloud', at: T0 + 1000, request: { number: '15871770252' }, response: { code: 9201, data: '发送过于频繁' }, error: { code: 9201, kind: 'cooldown', reason: '发送过于频繁，请稍后再试', solution: '等待倒计时结束后再发送' } },
      { op: 'validateCode', mode: 'cloud', at: T0, request: { number: '15871770252', code: '******' }, response: 'ok', error: null },
    ];
    const p = openTools(t, { globalData: { devLog } });
    const entries = p.comp.querySelectorAll('.log-entry');
    assert.equal(entries.length, 2);
    assert.equal(p.text('.log-title'), 'sendCode · 云函数', 'the newest first');
    assert.ok(textOf(p.comp, '.log-error').includes('9201 · cooldown'));
    assert.ok(p.all().includes('等待倒计时结束后再发送'));
  });
});
