'use strict';
// The demo pages rendered under miniprogram-simulate with their real .wxml, .js, logic modules and
// <sms-code-button>, but a FAKE SDK (recording calls, answering with whatever a test queues). This
// checks the wiring: events reach the right handlers, the right SDK calls are made with the right
// arguments, and replies end up on screen. The real SDK end to end is flow.test.js's business.
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

function fakeSdk() {
  const calls = [];
  const queue = { sendCode: [], validateCode: [], balance: [], findSmsByMessageId: [] };
  const answer = (name, cb) => {
    const next = queue[name].shift();
    if (!next) throw new Error(`no reply queued for ${name}`);
    return new Promise((resolve, reject) => setImmediate(() => {
      if (next.reject) {
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
    ready: () => Promise.resolve(),
    sendCode(cb, options) { calls.push(['sendCode', options]); answer('sendCode', cb); },
    balance(cb) { calls.push(['balance']); answer('balance', cb); },
    findSmsByMessageId(cb, id) { calls.push(['findSmsByMessageId', id]); answer('findSmsByMessageId', cb); },
    validateCode(cb, number, code) { calls.push(['validateCode', number, code]); return answer('validateCode', cb); },
  };
  const errorInfo = (code) => ({
    code, kind: 'test', reason: `原因${code}`, message: `reason ${code}`, solution: `办法${code}`, retriable: code >= 9100,
  });
  const reply = (name, value) => queue[name].push({ value });
  const fail = (name, err) => queue[name].push({ reject: err });
  return { sdk: { client, errorInfo, ZhenziClient: function ZhenziClient() {}, ZhenziError: Error }, calls, reply, fail, errorInfo };
}

const ok = (data) => ({ statusCode: 200, errMsg: 'request:ok', data: { code: 0, data } });
const bad = (code, data) => ({ statusCode: 200, errMsg: 'request:ok', data: { code, data } });

function openLogin(t) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0 });
  const fake = fakeSdk();
  const page = renderPage('pages/login/login', { sdk: fake.sdk });
  page.comp.instance.onLoad({});
  const input = async (selector, value) => {
    page.comp.querySelector(selector).dispatchEvent('input', { detail: { value } });
    await flush();
  };
  const tap = async (selector) => {
    page.comp.querySelector(selector).dispatchEvent('tap');
    await flush();
  };
  const codeButton = () => page.comp.querySelector('#code-btn');
  const tapCodeButton = async () => {
    codeButton().querySelector('#btn').dispatchEvent('tap');
    await flush();
    await flush();
  };
  return Object.assign(page, fake, { input, tap, codeButton, tapCodeButton });
}

describe('login page', () => {
  test('onLoad sets the SDK up in the configured mode', (t) => {
    const p = openLogin(t);
    const expected = [];
    login.applyMode({
      init: (...a) => expected.push(['init', ...a]),
      initCloud: (...a) => expected.push(['initCloud', ...a]),
      configure: (...a) => expected.push(['configure', ...a]),
    }, config, config.mode);
    assert.deepEqual(p.calls, expected);
    assert.equal(textOf(p.comp, '.mode-hint'), login.modeHint(config.mode));
    assert.equal(p.cloudInits.length, config.mode === 'cloud' ? 1 : 0, 'wx.cloud.init only for cloud mode');
  });

  test('typing the number shows the hint and unlocks the code button only when valid', async (t) => {
    const p = openLogin(t);
    assert.equal(p.codeButton().data.locked, true, 'locked with no number');
    await p.input('#phone', '158');
    assert.equal(textOf(p.comp, '.hint'), login.checkPhone('158').hint);
    assert.equal(p.codeButton().data.locked, true);
    await p.input('#phone', '15871770252');
    assert.equal(textOf(p.comp, '.hint'), login.checkPhone('15871770252').hint);
    assert.equal(p.codeButton().data.locked, false);
    await p.input('#phone', '1587177025');
    assert.equal(p.codeButton().data.locked, true, 'locks again when a digit is deleted');
  });

  test('get code: sendCode with the page options, countdown on success, messageId kept', async (t) => {
    const p = openLogin(t);
    await p.input('#phone', '15871770252');
    p.reply('sendCode', ok('发送成功'));
    await p.tapCodeButton();

    const send = p.calls.filter((c) => c[0] === 'sendCode');
    assert.equal(send.length, 1);
    const options = send[0][1];
    assert.ok(options.messageId);
    assert.deepEqual(options, login.sendCodeOptions('15871770252', config, options.messageId));

    assert.equal(p.codeButton().data.locked, true);
    assert.equal(p.codeButton().data.remaining, config.resendSeconds);
    assert.equal(p.toasts.length, 1);
    assert.equal(p.app.globalData.lastMessageId, options.messageId);
    assert.ok(textOf(p.comp, '.sent').includes('15871770252'));
    assert.ok(textOf(p.comp, '.sent').includes(options.messageId));

    t.mock.timers.tick(config.resendSeconds * 1000);
    assert.equal(p.codeButton().data.locked, false, 'usable again after the countdown');
  });

  test('get code failing: the button unlocks and the error shows reason and solution', async (t) => {
    const p = openLogin(t);
    await p.input('#phone', '15871770252');
    p.reply('sendCode', bad(9201, '发送过于频繁，请稍后再试'));
    await p.tapCodeButton();
    assert.equal(p.codeButton().data.locked, false);
    assert.equal(p.codeButton().data.remaining, 0);
    const info = p.errorInfo(9201);
    const shown = textOf(p.comp, '.error');
    assert.ok(shown.includes(info.reason), shown);
    assert.ok(shown.includes(info.solution), shown);
    assert.equal(p.toasts.length, 0);
  });

  test('verify: enabled only with a full code; each result is shown with its message', async (t) => {
    const p = openLogin(t);
    await p.input('#phone', '15871770252');
    await p.input('#code', '12345');
    assert.equal(attrOf(p.comp, '#verify', 'disabled'), true, 'code too short');
    await p.input('#code', '123456');
    assert.equal(attrOf(p.comp, '#verify', 'disabled'), false);

    for (const result of ['code_error', 'too_many_attempts', 'code_used', 'code_expired', 'ok']) {
      p.reply('validateCode', result);
      await p.tap('#verify');
      await flush();
      const last = p.calls[p.calls.length - 1];
      assert.deepEqual(last, ['validateCode', '15871770252', '123456']);
      const shown = textOf(p.comp, '.result');
      assert.equal(shown, login.resultMessage(result).text, result);
      if (result !== 'ok') await p.input('#code', '123456');
    }
    assert.equal(p.comp.data.code, '', 'the code input is cleared after ok');
  });

  test('verify failing (cloud call rejected): an error, not a stuck button', async (t) => {
    const p = openLogin(t);
    await p.input('#phone', '15871770252');
    await p.input('#code', '123456');
    p.fail('validateCode', Object.assign(new Error('cloud'), { code: 9105 }));
    await p.tap('#verify');
    await flush();
    assert.equal(p.comp.data.verifying, false);
    assert.ok(textOf(p.comp, '.error').includes(p.errorInfo(9105).reason));
  });

  test('the mode switch re-initialises the client', async (t) => {
    const p = openLogin(t);
    p.calls.length = 0;
    p.comp.querySelector('#mode-switch').dispatchEvent('change', { detail: { value: true } });
    await flush();
    const expected = {};
    login.applyMode({ initCloud: (o) => { expected.o = o; } }, config, 'cloud');
    assert.deepEqual(p.calls, [['initCloud', expected.o]]);
    assert.equal(p.app.globalData.mode, 'cloud');
    assert.equal(p.cloudInits.length, 1, 'wx.cloud.init once, when cloud mode is first chosen');
    if (config.cloudEnv) assert.equal(p.cloudInits[0].env, config.cloudEnv);
    assert.equal(p.comp.data.modeHint, login.modeHint('cloud'));

    p.comp.querySelector('#mode-switch').dispatchEvent('change', { detail: { value: false } });
    await flush();
    assert.equal(p.calls[p.calls.length - 1][0], 'init');
    assert.equal(p.app.globalData.mode, 'direct');
    p.comp.querySelector('#mode-switch').dispatchEvent('change', { detail: { value: true } });
    await flush();
    assert.equal(p.cloudInits.length, 1, 'not initialised twice');
  });
});

describe('tools page', () => {
  function openTools(t, globalData) {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0 });
    const fake = fakeSdk();
    const page = renderPage('pages/tools/tools', { sdk: fake.sdk, globalData });
    page.comp.instance.onLoad({});
    page.comp.instance.onShow();
    const tap = async (selector) => {
      page.comp.querySelector(selector).dispatchEvent('tap');
      await flush();
      await flush();
    };
    return Object.assign(page, fake, { tap });
  }

  test('pre-fills the last messageId and shows the balance', async (t) => {
    const p = openTools(t, { lastMessageId: 'demoabc1' });
    assert.equal(p.comp.data.messageId, 'demoabc1');
    p.reply('balance', ok(537));
    await p.tap('#balance');
    assert.ok(textOf(p.comp, '.balance').includes(tools.balanceText(537)));
  });

  test('lookup shows the record rows, "not found" for {}, and errors', async (t) => {
    const p = openTools(t, { lastMessageId: 'demoabc1' });
    const record = { message: '您的验证码为123456', status: 'success', toNumber: '15871770252', messageId: 'demoabc1' };
    p.reply('findSmsByMessageId', ok(record));
    await p.tap('#lookup');
    assert.deepEqual(p.calls[p.calls.length - 1], ['findSmsByMessageId', 'demoabc1']);
    const shown = textOf(p.comp, '.record');
    for (const row of tools.recordView(record).rows) assert.ok(shown.includes(row.value), row.label);

    p.reply('findSmsByMessageId', ok({}));
    await p.tap('#lookup');
    assert.equal(textOf(p.comp, '.record'), '');
    assert.ok(textOf(p.comp, '.not-found').length > 0);

    p.reply('findSmsByMessageId', bad(110, '应用秘钥(AppSecret)错误'));
    await p.tap('#lookup');
    assert.ok(textOf(p.comp, '.error').includes(p.errorInfo(110).solution));
  });
});
