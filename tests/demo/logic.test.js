'use strict';
// The pure parts of the demo pages (pages/*/logic.js): no renderer, no SDK, no network.
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const DEMO = path.resolve(__dirname, '../../miniprogram-demo/miniprogram');
const login = require(path.join(DEMO, 'pages/login/logic.js'));
const tools = require(path.join(DEMO, 'pages/tools/logic.js'));

const HAN = /[\u4e00-\u9fff]/;

describe('phone number as the user types', () => {
  test('becomes valid only at 11 digits starting with 1, with a hint on the way', () => {
    const full = '15871770252';
    for (let i = 1; i <= full.length; i++) {
      const typed = full.slice(0, i);
      const state = login.checkPhone(typed);
      assert.equal(state.value, typed);
      assert.equal(state.valid, i === 11, `after ${i} digits`);
      assert.ok(state.hint.length > 0, 'always says something once typing started');
      if (i < 11) assert.match(state.hint, new RegExp(String(11 - i)), 'tells how many digits are missing');
    }
    assert.notEqual(login.checkPhone('1587177025').hint, login.checkPhone('15871770252').hint);
  });

  test('empty input: not valid, no hint', () => {
    for (const v of ['', null, undefined]) {
      assert.deepEqual(login.checkPhone(v), { value: '', valid: false, hint: '' });
    }
  });

  test('the second digit must be 3-9 (the SDK refuses others with 100 before sending)', () => {
    for (const d of '0123456789') {
      const s = login.checkPhone(`1${d}871770252`);
      assert.equal(s.valid, d >= '3', `1${d}…`);
      if (d < '3') assert.match(s.hint, /3/);
    }
    assert.equal(login.checkPhone('12').valid, false);
    assert.notEqual(login.checkPhone('12').hint, login.checkPhone('13').hint, 'said as soon as it is typed');
  });

  test('a number not starting with 1 is refused with its own hint', () => {
    const s = login.checkPhone('25871770252');
    assert.equal(s.valid, false);
    assert.match(s.hint, /1/);
    assert.notEqual(s.hint, login.checkPhone('1').hint);
  });

  test('strips non-digits (pasted with spaces or dashes) and stops at 11 digits', () => {
    assert.equal(login.checkPhone('158 7177-0252').value, '15871770252');
    assert.equal(login.checkPhone('158 7177-0252').valid, true);
    assert.equal(login.checkPhone('+86 158').value, '86158');
    assert.equal(login.checkPhone('158717702529999').value, '15871770252');
    assert.equal(login.checkPhone('１５８').value, '', 'full-width digits are not ASCII digits');
  });

  test('code input keeps digits up to the configured length', () => {
    assert.deepEqual(login.checkCode('12a34', 6), { value: '1234', complete: false });
    assert.deepEqual(login.checkCode('1234567', 6), { value: '123456', complete: true });
    assert.equal(login.checkCode('1234', 4).complete, true);
    assert.equal(login.checkCode(null, 4).value, '');
  });
});

describe('validateCode result → message', () => {
  // Every string the SDK contract says validateCode can return, plus vendor version B's two.
  const RESULTS = ['ok', 'empty', 'number_error', 'code_error', 'code_expired', 'code_used', 'too_many_attempts'];

  test('each result has its own Chinese message; only ok is success', () => {
    const texts = new Set();
    for (const r of RESULTS) {
      const m = login.resultMessage(r);
      assert.equal(m.ok, r === 'ok', r);
      assert.match(m.text, HAN, r);
      texts.add(m.text);
    }
    assert.equal(texts.size, RESULTS.length, 'no two results share a message');
  });

  test("vendor version B's 'error'/'expired' read like code_error/code_expired", () => {
    assert.equal(login.resultMessage('error').text, login.resultMessage('code_error').text);
    assert.equal(login.resultMessage('expired').text, login.resultMessage('code_expired').text);
    assert.equal(login.resultMessage('expired').ok, false);
  });

  test('an unknown result is shown, not mistaken for success', () => {
    const m = login.resultMessage('something_new');
    assert.equal(m.ok, false);
    assert.match(m.text, /something_new/);
    assert.equal(login.resultMessage(undefined).ok, false);
    assert.equal(login.resultMessage('toString').ok, false, 'no prototype keys');
  });
});

describe('error display from errorInfo()', () => {
  const info = {
    code: 108,
    kind: 'balance',
    reason: '短信余额不足',
    message: 'SMS balance exhausted',
    solution: '请到榛子云控制台充值',
    retriable: false,
  };

  test('shows reason, code and solution', () => {
    const d = login.errorDisplay(info);
    assert.ok(d.title.includes(info.reason));
    assert.ok(d.title.includes(String(info.code)));
    assert.equal(d.solution, info.solution);
    assert.equal(d.code, info.code);
    assert.equal(d.kind, info.kind);
    assert.equal(d.retry, '');
  });

  test('a retriable error says so', () => {
    const d = login.errorDisplay(Object.assign({}, info, { code: 9101, retriable: true }));
    assert.match(d.retry, HAN);
  });

  test('without errorInfo it falls back to the reply text, then to a generic text', () => {
    assert.ok(login.errorDisplay(null, '服务器说不行').title.includes('服务器说不行'));
    assert.match(login.errorDisplay(undefined).title, HAN);
    assert.equal(login.errorDisplay(undefined).solution, '');
  });
});

describe('reading a callback result', () => {
  const seen = [];
  const errorInfo = (code) => {
    seen.push(code);
    return { code, kind: 'k', reason: `原因${code}`, solution: `办法${code}`, retriable: code >= 9100 };
  };

  test('code 0 is success and hands data through', () => {
    const out = login.describeResponse({ statusCode: 200, data: { code: 0, data: 537 } }, errorInfo);
    assert.deepEqual(out, { ok: true, data: 537 });
  });

  test('a failure asks errorInfo for its code (numeric or string) and shows it', () => {
    seen.length = 0;
    const out = login.describeResponse({ data: { code: '108', data: '余额不足' } }, errorInfo);
    assert.equal(out.ok, false);
    assert.deepEqual(seen, [108]);
    assert.ok(out.error.title.includes('原因108'));
    assert.equal(out.error.solution, '办法108');
  });

  test('a vendor-style network failure without res.data does not throw', () => {
    const out = login.describeResponse({ errMsg: 'request:fail timeout' }, errorInfo);
    assert.equal(out.ok, false);
    assert.ok(out.error.title.includes('request:fail timeout'));
    assert.equal(login.describeResponse(undefined, errorInfo).ok, false);
    assert.equal(login.describeResponse({ data: '<html>502</html>' }, errorInfo).ok, false);
  });

  test("the server's own text is kept when the table only has a generic reason", () => {
    const generic = () => ({ code: 9999, kind: 'server', reason: '未知错误', solution: '联系客服', retriable: false });
    const out = login.describeResponse({ data: { code: 4321, data: '新的服务器错误' } }, generic);
    assert.ok(out.error.detail.includes('新的服务器错误'));
    assert.equal(out.error.solution, '联系客服');
    const same = login.describeResponse({ data: { code: 108, data: '原因108' } }, errorInfo);
    assert.equal(same.error.detail, '', 'not repeated when it equals the reason');
  });

  test('an errorInfo that throws or knows nothing still yields the reply text and code', () => {
    const out = login.describeResponse({ data: { code: 4242, data: '奇怪的错误' } }, () => { throw new Error('x'); });
    assert.ok(out.error.title.includes('奇怪的错误') || out.error.detail.includes('奇怪的错误'));
    assert.ok(out.error.title.includes('4242'));
    const out2 = login.describeResponse({ data: { code: 4242, data: '奇怪的错误' } }, () => null);
    assert.deepEqual(out2, out);
  });
});

describe('SDK set-up and sendCode arguments', () => {
  const config = {
    apiUrl: 'https://sms_developer.zhenzikj.com',
    appId: 'A1',
    appSecret: 'S1',
    relayUrl: 'http://127.0.0.1:9',
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

  test('direct mode: configure the relay, then init(apiUrl, appId, appSecret)', () => {
    const { client, calls } = recorder();
    assert.equal(login.applyMode(client, config, 'direct'), 'direct');
    assert.deepEqual(calls, [
      ['configure', { relayUrl: config.relayUrl }],
      ['init', config.apiUrl, config.appId, config.appSecret],
    ]);
  });

  test('direct mode without relayUrl keeps the SDK default relay', () => {
    const { client, calls } = recorder();
    login.applyMode(client, Object.assign({}, config, { relayUrl: '' }), 'direct');
    assert.deepEqual(calls.map((c) => c[0]), ['init']);
  });

  test('cloud mode: initCloud({name, env}); env only when configured; no secret involved', () => {
    const { client, calls } = recorder();
    assert.equal(login.applyMode(client, config, 'cloud'), 'cloud');
    assert.deepEqual(calls, [['initCloud', { name: 'fn', env: 'env-x' }]]);
    const r2 = recorder();
    login.applyMode(r2.client, Object.assign({}, config, { cloudEnv: '', cloudFunctionName: '' }), 'cloud');
    assert.deepEqual(r2.calls, [['initCloud', { name: 'zhenzisms' }]]);
  });

  test('an unknown mode falls back to direct', () => {
    const { client, calls } = recorder();
    assert.equal(login.applyMode(client, config, 'bogus'), 'direct');
    assert.equal(calls[calls.length - 1][0], 'init');
  });

  test('sendCode options: object form with one {code} placeholder and the configured lifetime', () => {
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

  test('each mode has a hint', () => {
    assert.match(login.modeHint('direct'), HAN);
    assert.match(login.modeHint('cloud'), HAN);
    assert.notEqual(login.modeHint('direct'), login.modeHint('cloud'));
  });
});

describe('tools page logic', () => {
  test('balance text shows the number', () => {
    assert.ok(tools.balanceText(537).includes('537'));
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
    for (const key of Object.keys(data)) {
      assert.ok(view.rows.some((r) => r.value.includes(data[key])), `shows ${key}`);
    }
    assert.equal(new Set(view.rows.map((r) => r.label)).size, view.rows.length);
    assert.deepEqual(tools.recordView({}), { found: false, rows: [] });
    assert.equal(tools.recordView(null).found, false);
    assert.equal(tools.recordView({ status: 'failed' }).rows[0].value, 'failed');
  });
});
