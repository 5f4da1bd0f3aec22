'use strict';
// The pure parts of the demo (pages/*/logic.js, devlog.js): no renderer, no SDK, no network.
// The user-facing texts are asserted literally: they are the product here.
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const DEMO = path.resolve(__dirname, '../../miniprogram-demo/miniprogram');
const login = require(path.join(DEMO, 'pages/login/logic.js'));
const tools = require(path.join(DEMO, 'pages/tools/logic.js'));
const devlog = require(path.join(DEMO, 'devlog.js'));

const HAN = /[\u4e00-\u9fff]/;
const DEVELOPER_WORDS = /错误码|\d{3,}|appSecret|合法域名|云函数|messageId|SDK|wasm|request|errMsg/i;

describe('phone number as the user types', () => {
  test('valid only at 11 digits; nothing red while a plausible number is being typed', () => {
    const full = '15871770252';
    for (let i = 1; i <= full.length; i++) {
      const state = login.checkPhone(full.slice(0, i));
      assert.equal(state.value, full.slice(0, i));
      assert.equal(state.valid, i === 11, `after ${i} digits`);
      assert.equal(state.error, '', `no error after ${i} digits`);
    }
  });

  test('empty input: not valid, no error', () => {
    for (const v of ['', null, undefined]) {
      assert.deepEqual(login.checkPhone(v), { value: '', valid: false, error: '' });
    }
  });

  test('a number that can no longer be valid says so at once, in plain words', () => {
    for (const typed of ['2', '12', '10', '25871770252']) {
      const s = login.checkPhone(typed);
      assert.equal(s.valid, false, typed);
      assert.equal(s.error, '请输入正确的手机号', typed);
    }
    for (const d of '3456789') assert.equal(login.checkPhone(`1${d}871770252`).valid, true, `1${d}…`);
  });

  test('strips non-digits (pasted with spaces or dashes) and stops at 11 digits', () => {
    assert.equal(login.checkPhone('158 7177-0252').value, '15871770252');
    assert.equal(login.checkPhone('158 7177-0252').valid, true);
    assert.equal(login.checkPhone('158717702529999').value, '15871770252');
    assert.equal(login.checkPhone('１５８').value, '', 'full-width digits are not ASCII digits');
  });

  test('code input keeps digits up to the configured length', () => {
    assert.deepEqual(login.checkCode('12a34', 6), { value: '1234', complete: false });
    assert.deepEqual(login.checkCode('1234567', 6), { value: '123456', complete: true });
    assert.equal(login.checkCode('1234', 4).complete, true);
    assert.equal(login.checkCode(null, 4).value, '');
  });

  test('the number is masked once a code went out', () => {
    assert.equal(login.maskPhone('13800138000'), '138****8000');
    assert.equal(login.maskPhone(''), '');
  });

  test('the login button is enabled only with a valid number, a full code and nothing in flight', () => {
    assert.equal(login.canLogin({ phoneValid: true, codeComplete: true, busy: false }), true);
    assert.equal(login.canLogin({ phoneValid: false, codeComplete: true, busy: false }), false);
    assert.equal(login.canLogin({ phoneValid: true, codeComplete: false, busy: false }), false);
    assert.equal(login.canLogin({ phoneValid: true, codeComplete: true, busy: true }), false);
  });
});

describe('validateCode result → what the user reads, and where', () => {
  const EXPECTED = {
    empty: ['code', '请先获取验证码'],
    number_error: ['phone', '手机号与接收验证码的号码不一致'],
    code_error: ['code', '验证码不正确，请重新输入'],
    code_expired: ['code', '验证码已过期，请重新获取'],
    code_used: ['code', '验证码已失效，请重新获取'],
    too_many_attempts: ['code', '错误次数过多，请重新获取验证码'],
  };

  test('each failure has its own sentence next to its field; only ok is success', () => {
    assert.equal(login.resultMessage('ok').ok, true);
    for (const [result, [field, text]] of Object.entries(EXPECTED)) {
      const m = login.resultMessage(result);
      assert.equal(m.ok, false, result);
      assert.equal(m.field, field, result);
      assert.equal(m.text, text, result);
      assert.doesNotMatch(m.text, DEVELOPER_WORDS, result);
    }
  });

  test("vendor version B's 'error'/'expired' read like code_error/code_expired", () => {
    assert.equal(login.resultMessage('error').text, login.resultMessage('code_error').text);
    assert.equal(login.resultMessage('expired').text, login.resultMessage('code_expired').text);
  });

  test('an unknown result is never success and shows no internals', () => {
    for (const r of ['something_new', undefined, 'toString']) {
      const m = login.resultMessage(r);
      assert.equal(m.ok, false);
      assert.match(m.text, HAN);
      assert.doesNotMatch(m.text, /something_new|toString/);
    }
  });
});

describe('SDK errors → what the user reads (codes stay on the developer page)', () => {
  const cases = [
    ['send', 'input', 'phone', '请输入正确的手机号'],
    ['send', 'limit', 'phone', '该手机号今日获取验证码次数已达上限，请明天再试'],
    ['send', 'cooldown', 'code', '获取太频繁，请稍后再试'],
    ['send', 'network', 'code', '网络不太稳定，请检查网络后重试'],
    ['send', 'timeout', 'code', '网络不太稳定，请检查网络后重试'],
    ['send', 'auth', 'code', '验证码发送失败，请稍后再试'],
    ['send', 'account', 'code', '验证码发送失败，请稍后再试'],
    ['send', 'cloud', 'code', '服务暂时不可用，请稍后再试'],
    ['verify', 'cloud', 'form', '网络不太稳定，请稍后重试'],
    ['verify', 'load', 'form', '登录失败，请稍后再试'],
  ];
  for (const [action, kind, field, text] of cases) {
    test(`${action} / ${kind}`, () => {
      const shown = login.userError({ code: 123, kind, reason: '原因', solution: '检查合法域名' }, action);
      assert.deepEqual(shown, { field, text });
      assert.doesNotMatch(shown.text, DEVELOPER_WORDS);
    });
  }

  test('no info at all still gives a sentence', () => {
    assert.equal(login.userError(null, 'send').text, '验证码发送失败，请稍后再试');
    assert.equal(login.userError(undefined, 'nonsense').field, 'form');
  });
});

describe('reading a callback result', () => {
  const seen = [];
  const errorInfo = (code) => {
    seen.push(code);
    return { code, kind: 'k', reason: `原因${code}`, solution: `办法${code}`, retriable: code >= 9100 };
  };

  test('code 0 is success and hands data through', () => {
    assert.deepEqual(login.describeResponse({ statusCode: 200, data: { code: 0, data: 537 } }, errorInfo), { ok: true, data: 537 });
    assert.equal(login.describeResponse({ data: { code: null, data: 1 } }, errorInfo).ok, false, 'null is not 0');
    assert.equal(login.describeResponse({ data: { code: '', data: 1 } }, errorInfo).ok, false, "'' is not 0");
  });

  test('a failure asks errorInfo for its code (numeric or string) and keeps the reply text', () => {
    seen.length = 0;
    const out = login.describeResponse({ data: { code: '108', data: '余额不足' } }, errorInfo);
    assert.equal(out.ok, false);
    assert.deepEqual(seen, [108]);
    assert.equal(out.info.code, 108);
    assert.equal(out.info.reason, '原因108');
    assert.equal(out.info.detail, '余额不足');
    assert.equal(login.describeResponse({ data: { code: 108, data: '原因108' } }, errorInfo).info.detail, undefined, 'not repeated');
  });

  test('a vendor-style network failure without res.data does not throw', () => {
    const out = login.describeResponse({ errMsg: 'request:fail timeout' }, errorInfo);
    assert.equal(out.ok, false);
    assert.equal(out.info.detail, 'request:fail timeout');
    assert.equal(login.describeResponse(undefined, errorInfo).ok, false);
    assert.equal(login.describeResponse({ data: '<html>502</html>' }, errorInfo).ok, false);
  });

  test('an errorInfo that throws or knows nothing still yields the code; a ZhenziError on res is used', () => {
    const out = login.describeResponse({ data: { code: 4242, data: '奇怪的错误' } }, () => { throw new Error('x'); });
    assert.equal(out.info.code, 4242);
    assert.equal(out.info.detail, '奇怪的错误');
    const cloud = login.describeResponse({ data: { code: 'disabled' }, error: { code: 'disabled', kind: 'disabled', reason: '已关闭' } }, errorInfo);
    assert.equal(cloud.info.kind, 'disabled');
    assert.equal(cloud.info.code, 'disabled');
  });
});

describe('SDK set-up and sendCode arguments', () => {
  const config = {
    apiUrl: 'https://sms_developer.zhenzikj.com',
    appId: 'A1',
    appSecret: 'S1',
    relayUrl: 'http://127.0.0.1:9',
    real: { apiUrl: 'https://sms.zhenzikj.com', appId: 'R1', appSecret: 'RS' },
    cloudEnv: 'env-x',
    cloudFunctionName: 'fn',
    codeLength: 6,
    codeSeconds: 300,
  };
  const recorder = () => {
    const calls = [];
    const client = {};
    ['init', 'initCloud', 'configure'].forEach((name) => {
      client[name] = (...args) => calls.push([name, ...args]);
    });
    return { client, calls };
  };

  test('direct mode, sandbox: configure the relay, then init(apiUrl, appId, appSecret)', () => {
    const { client, calls } = recorder();
    assert.equal(login.applyMode(client, config, 'direct'), 'direct');
    assert.deepEqual(calls, [
      ['configure', { relayUrl: config.relayUrl }],
      ['init', config.apiUrl, config.appId, config.appSecret],
    ]);
  });

  test('direct mode, real account: config.real through the SDK default relay', () => {
    const { client, calls } = recorder();
    login.applyMode(client, config, 'direct', 'real');
    assert.deepEqual(calls, [['init', 'https://sms.zhenzikj.com', 'R1', 'RS']]);
  });

  test('cloud mode: initCloud({name, env}); env only when configured; no secret involved', () => {
    const { client, calls } = recorder();
    assert.equal(login.applyMode(client, config, 'cloud'), 'cloud');
    assert.deepEqual(calls, [['initCloud', { name: 'fn', env: 'env-x' }]]);
    const r2 = recorder();
    login.applyMode(r2.client, Object.assign({}, config, { cloudEnv: '', cloudFunctionName: '' }), 'cloud');
    assert.deepEqual(r2.calls, [['initCloud', { name: 'zhenzisms' }]]);
  });

  test('chooseMode: auto is cloud only with an appid of your own, an environment and wx.cloud', () => {
    const auto = Object.assign({}, config, { mode: 'auto' });
    assert.deepEqual(login.chooseMode(auto, 'wx0123456789abcdef', true), { mode: 'cloud', reason: '' });
    assert.deepEqual(login.chooseMode(auto, login.TOURIST_APPID, true), { mode: 'direct', reason: 'tourist' });
    assert.deepEqual(login.chooseMode(auto, '', true), { mode: 'direct', reason: 'tourist' }, 'an appid that cannot be read counts as none');
    assert.deepEqual(login.chooseMode(Object.assign({}, auto, { cloudEnv: '' }), 'wx0123456789abcdef', true), { mode: 'direct', reason: 'no-env' });
    assert.deepEqual(login.chooseMode(auto, 'wx0123456789abcdef', false), { mode: 'direct', reason: 'no-cloud' });
    // A mode written in config.js is taken as written, whatever the appid.
    assert.deepEqual(login.chooseMode(Object.assign({}, config, { mode: 'cloud' }), login.TOURIST_APPID, false), { mode: 'cloud', reason: '' });
    assert.deepEqual(login.chooseMode(Object.assign({}, config, { mode: 'direct' }), 'wx0123456789abcdef', true), { mode: 'direct', reason: '' });
  });

  test('sandboxBanner: one line on the sandbox, with the reason; nothing in cloud mode or on a real account', () => {
    const reasons = { tourist: '游客 appid', 'no-env': 'cloudEnv', 'no-cloud': 'wx.cloud' };
    for (const [reason, said] of Object.entries(reasons)) {
      const line = login.sandboxBanner('direct', 'sandbox', reason);
      assert.ok(line.startsWith('本地沙箱'), line);
      assert.ok(line.includes(said), `${reason}: ${line}`);
      assert.ok(/appid.*cloudEnv.*云函数模式/.test(line), 'says how to switch');
      assert.doesNotMatch(line, /\n/);
    }
    assert.ok(!login.sandboxBanner('direct', 'sandbox', '').includes('（'), 'no reason, no parenthesis');
    assert.equal(login.sandboxBanner('cloud', 'sandbox', ''), '');
    assert.equal(login.sandboxBanner('direct', 'real', 'tourist'), '');
  });

  test('an unknown mode falls back to direct', () => {
    const { client, calls } = recorder();
    assert.equal(login.applyMode(client, config, 'bogus'), 'direct');
    assert.equal(calls[calls.length - 1][0], 'init');
  });

  test('sendCode options: object form with one {code} placeholder; messageId only when given', () => {
    const o = login.sendCodeOptions('15871770252', config, 'm1');
    assert.equal(o.number, '15871770252');
    assert.equal(o.seconds, config.codeSeconds);
    assert.equal(o.length, config.codeLength);
    assert.equal(o.messageId, 'm1');
    assert.equal(o.message.split('{code}').length, 2);
    assert.ok(o.message.includes(String(config.codeSeconds / 60)), 'states the validity in minutes');
    assert.ok(!('messageId' in login.sendCodeOptions('15871770252', config, '')));
  });

  test('message ids are distinct per send and made of safe characters', () => {
    const ids = new Set();
    for (let seq = 1; seq <= 50; seq++) ids.add(login.makeMessageId(1700000000000, seq));
    ids.add(login.makeMessageId(1700000000001, 1));
    assert.equal(ids.size, 51);
    for (const id of ids) assert.match(id, /^[a-z0-9]+$/);
  });
});

describe('the login cloud function reply', () => {
  test('signs in only on a complete success', () => {
    assert.deepEqual(login.loginOutcome({ code: 'success', number: '13800138000', verifiedAt: 1700000000000 }),
      { ok: true, number: '13800138000', verifiedAt: 1700000000000, via: '' });
    for (const via of ['phone', 'sms']) assert.equal(login.loginOutcome({ code: 'success', number: '13800138000', verifiedAt: 1, via }).via, via);
    assert.equal(login.loginOutcome({ code: 'success', number: '13800138000', verifiedAt: 1, via: 'toString' }).via, '', 'only a known path');
    for (const r of [null, {}, { code: 'not_verified', msg: 'x' }, { code: 'success' }, { code: 'success', number: '138' },
      { code: 'success', number: '', verifiedAt: 1 }, { code: 'ok', number: '13800138000', verifiedAt: 1 }]) {
      const o = login.loginOutcome(r);
      assert.equal(o.ok, false, JSON.stringify(r));
      assert.equal(o.text, '登录未完成，请重新获取验证码');
    }
  });
});

describe('login page logic: one tap first, SMS the fallback', () => {
  test('one tap only in cloud mode; in the sandbox the line says why and sends to SMS', () => {
    assert.equal(login.oneTapReady('cloud'), true);
    assert.equal(login.oneTapReady('direct'), false);
    assert.equal(login.oneTapReady(''), false);
    const line = login.oneTapUnavailable('tourist');
    assert.match(line, /本地沙箱/);
    assert.match(line, /游客 appid/);
    assert.match(line, /短信验证码/);
    assert.ok(!line.includes('\n'), 'one line');
    assert.match(login.oneTapUnavailable(''), /^本地沙箱不能用微信手机号快捷登录，请用短信验证码登录$/);
  });

  test('an answer signs in only with a verified 11-digit number; fallback gives one line; anything else an error', () => {
    assert.deepEqual(login.phoneOutcome({ code: 'success', number: '13800138000', verified: { token: 't', expiresAt: 1 } }), { ok: true, number: '13800138000' });
    for (const a of [null, undefined, 'success', {}, { code: 'success' }, { code: 'success', number: '138' }, { code: 'success', number: 13800138000 }, { code: 'ok', number: '13800138000' }]) {
      const o = login.phoneOutcome(a);
      assert.equal(o.ok, false, JSON.stringify(a));
      assert.equal(o.fallback, false);
      assert.equal(o.field, 'form');
    }
    const lines = new Set();
    for (const code of ['user_deny', 'no_permission', 'no_code', 'not_available', 'invalid_code', 'quota', 'error', 'weird']) {
      const o = login.phoneOutcome({ code, fallback: 'sms', msg: '长长的原因' });
      assert.equal(o.ok, false);
      assert.equal(o.fallback, true, code);
      assert.match(o.line, /短信验证码/, code);
      assert.ok(o.line.length <= 30 && !o.line.includes('\n'), `one short line: ${o.line}`);
      lines.add(o.line);
    }
    assert.ok(lines.size >= 3, 'a decline, no permission and an old WeChat are said apart');
  });

  test('the signed-in line names the path', () => {
    assert.match(login.viaText('phone'), /微信手机号/);
    assert.match(login.viaText('sms'), /短信验证码/);
    assert.equal(login.viaText(''), '');
    assert.equal(login.viaText('constructor'), '');
  });
});

describe('developer page logic', () => {
  test('the last sign-in: the number and the path that verified it', () => {
    assert.deepEqual(tools.signInRows(null), []);
    assert.deepEqual(tools.signInRows({ number: '138****8000', via: 'phone', at: 1 }), [{ label: '号码', value: '138****8000' }, { label: '验证方式', value: '微信手机号快速验证（via: phone）' }]);
    assert.match(tools.signInRows({ number: '138****8000', via: 'sms' })[1].value, /短信验证码/);
    assert.match(tools.signInRows({ number: '138****8000', via: '' })[1].value, /未说明/);
  });

  test('balance text shows the number', () => {
    assert.equal(tools.balanceText(537), '剩余短信：537 条');
    assert.ok(tools.balanceText('12').includes('12'));
    assert.ok(tools.balanceText(null).includes('null'), 'an odd reply is shown as is');
  });

  test('messageId input', () => {
    assert.deepEqual(tools.checkMessageId('  abc '), { value: 'abc', valid: true });
    assert.equal(tools.checkMessageId('').valid, false);
    assert.equal(tools.checkMessageId('a b').valid, false);
    assert.equal(tools.checkMessageId('order-1_2.3:4').valid, true);
    assert.equal(tools.checkMessageId('订单1').valid, false);
    assert.equal(tools.checkMessageId('x'.repeat(64)).valid, true);
    assert.equal(tools.checkMessageId('x'.repeat(65)).valid, false);
  });

  test('a found record lists its fields; {} is "not found"', () => {
    const data = {
      message: '验证码:33356，2分钟内有效',
      appName: '云短信体验',
      createTime: '2021-03-10 19:24:19',
      status: 'success',
      toNumber: '15871770252',
      messageId: '123',
    };
    const view = tools.recordView(data);
    assert.equal(view.found, true);
    for (const key of Object.keys(data)) assert.ok(view.rows.some((r) => r.value.includes(data[key])), `shows ${key}`);
    assert.deepEqual(tools.recordView({}), { found: false, rows: [] });
    assert.equal(tools.recordView(null).found, false);
  });

  test('a cloud route that is off is explained, not shown as a raw error; direct mode never is', () => {
    const off = [
      [{ data: { code: 'disabled' } }, null],
      [{ data: { code: 'forbidden', data: 'x' } }, null],
      [{ data: { code: 100, data: 'unknown $url: balance' } }, { code: 100, kind: 'input', reason: '参数格式错误' }],
      [{ data: { code: 9301, data: 'route disabled' } }, { code: 9301, kind: 'disabled', reason: '此查询未开启' }],
      [{ data: { code: 9106, data: 'x' } }, { code: 9106, kind: 'forbidden', reason: 'r' }],
      [{ data: { code: 9107, data: '此路由默认关闭' } }, { code: 9107, kind: 'server', reason: 'r' }],
    ];
    for (const [res, info] of off) {
      assert.equal(tools.routeRefusal('cloud', res, info), tools.ROUTE_OFF, JSON.stringify(res));
      assert.equal(tools.routeRefusal('direct', res, info), '');
    }
    assert.match(tools.ROUTE_OFF, /ZHENZI_COMPAT/);
    assert.equal(tools.routeRefusal('cloud', { data: { code: 110, data: '应用秘钥(AppSecret)错误' } }, { code: 110, kind: 'auth', reason: '应用秘钥错误' }), '');
    assert.equal(tools.routeRefusal('cloud', { data: { code: 9100 } }, { code: 9100, kind: 'network', reason: '网络错误' }), '');
  });

  test('settings never show the appSecret itself', () => {
    const config = { cloudFunctionName: 'zhenzisms', loginFunctionName: 'login', cloudEnv: '', apiUrl: 'https://a', appId: '1', appSecret: 'TOPSECRET', relayUrl: 'http://127.0.0.1:8787', real: {} };
    for (const mode of ['cloud', 'direct']) {
      for (const target of ['sandbox', 'real']) {
        const rows = tools.settingsRows(config, mode, login.directAccount(config, target));
        assert.ok(rows.length >= 3);
        assert.ok(!JSON.stringify(rows).includes('TOPSECRET'), `${mode}/${target}`);
      }
    }
  });

  test('each mode has its own hint', () => {
    assert.match(tools.modeHint('direct'), /appSecret/);
    assert.match(tools.modeHint('cloud'), HAN);
    assert.notEqual(tools.modeHint('direct'), tools.modeHint('cloud'));
  });

  test('error view for developers: reason with code, remedy, server text', () => {
    const v = tools.errorView({ code: 108, reason: '短信余额不足', solution: '充值', detail: '余额不足' });
    assert.deepEqual(v, { title: '短信余额不足（错误码 108）', solution: '充值', detail: '余额不足' });
    assert.equal(tools.errorView(null).title, '未知错误');
  });

  test('errorTable rows keep code, reason and remedy', () => {
    assert.deepEqual(tools.errorRows([{ code: 100, kind: 'input', reason: '参数格式错误', solution: '检查' }]),
      [{ code: '100', kind: 'input', reason: '参数格式错误', solution: '检查' }]);
    assert.deepEqual(tools.errorRows(undefined), []);
  });
});

describe('developer request log', () => {
  test('keeps the newest few entries, newest first, as plain data', () => {
    const g = {};
    for (let i = 0; i < devlog.MAX_ENTRIES + 2; i++) devlog.record(g, { op: `op${i}`, mode: 'cloud', request: { i }, response: { code: 0 } }, 1700000000000 + i);
    assert.equal(g.devLog.length, devlog.MAX_ENTRIES);
    assert.equal(g.devLog[0].op, `op${devlog.MAX_ENTRIES + 1}`);
    const v = devlog.view(g.devLog[0]);
    assert.equal(v.ok, true);
    assert.match(v.title, /云函数/);
    assert.equal(v.request, JSON.stringify({ i: devlog.MAX_ENTRIES + 1 }));
  });

  test('an error entry shows its code, kind, reason and remedy', () => {
    const g = {};
    devlog.record(g, { op: 'sendCode', mode: 'direct', request: {}, response: { code: 9201 }, error: { code: 9201, kind: 'cooldown', reason: '发送过于频繁', solution: '等待' } }, 0);
    const v = devlog.view(g.devLog[0]);
    assert.equal(v.ok, false);
    assert.equal(v.error, '9201 · cooldown · 发送过于频繁');
    assert.equal(v.solution, '等待');
  });
});
