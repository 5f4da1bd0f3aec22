'use strict';
// miniprogram-demo/cloudfunctions/login on its own, with a stand-in wx-server-sdk whose
// callFunction answers as zhenzisms's checkVerified route is specified to: {code: 'success', number,
// verifiedAt} or {code: 'not_verified', msg}. It must sign in on the first only, whatever else comes
// back, and never trust the event for anything but the number asked about.
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const FILE = path.resolve(__dirname, '../../miniprogram-demo/cloudfunctions/login/index.js');
const PACKAGE = path.join(path.dirname(FILE), 'package.json');

/** Load index.js fresh, with `sdk` as its wx-server-sdk. */
function loadLogin(sdk) {
  const m = new Module(FILE, null);
  m.filename = FILE;
  m.paths = [];
  m.require = (id) => {
    if (id === 'wx-server-sdk') return sdk;
    throw new Error(`the login function requires only wx-server-sdk, not ${id}`);
  };
  m._compile(fs.readFileSync(FILE, 'utf8'), FILE);
  return m.exports;
}

function standIn(answer, openid = 'user-1') {
  const calls = [];
  const sdk = {
    DYNAMIC_CURRENT_ENV: Symbol('env'),
    inits: [],
    init(o) { this.inits.push(o); },
    getWXContext: () => ({ OPENID: openid, APPID: 'wxapp', CLIENTIP: '127.0.0.1' }),
    async callFunction(o) {
      calls.push(JSON.parse(JSON.stringify(o)));
      if (answer instanceof Error) throw answer;
      return { result: typeof answer === 'function' ? answer(o) : answer, errMsg: 'cloud.callFunction:ok' };
    },
  };
  return { sdk, calls, main: loadLogin(sdk).main };
}

describe('login cloud function', () => {
  test('package.json declares wx-server-sdk and index.js as main', () => {
    const pkg = JSON.parse(fs.readFileSync(PACKAGE, 'utf8'));
    assert.equal(pkg.main, 'index.js');
    assert.ok(pkg.dependencies && pkg.dependencies['wx-server-sdk']);
  });

  test('asks zhenzisms checkVerified for the number and signs in on its success', async () => {
    const verifiedAt = 1700000000000;
    const s = standIn({ code: 'success', number: '13800138000', verifiedAt });
    const out = await s.main({ number: ' 13800138000 ' });
    assert.deepEqual(s.calls, [{ name: 'zhenzisms', data: { $url: 'checkVerified', number: '13800138000' } }]);
    assert.deepEqual(out, { code: 'success', number: '13800138000', verifiedAt, via: '' });
    assert.equal(s.sdk.inits.length, 1);
    assert.equal(s.sdk.inits[0].env, s.sdk.DYNAMIC_CURRENT_ENV);
  });

  test('either path signs in: via (phone: one tap, sms: a code) is handed on; anything else is not a path', async () => {
    for (const [via, said] of [['phone', 'phone'], ['sms', 'sms'], ['email', ''], [{ $ne: 1 }, '']]) {
      const out = await standIn({ code: 'success', number: '13800138000', verifiedAt: 7, via }).main({ number: '13800138000' });
      assert.deepEqual(out, { code: 'success', number: '13800138000', verifiedAt: 7, via: said }, JSON.stringify(via));
    }
  });

  test('not_verified is passed on with its message', async () => {
    const s = standIn({ code: 'not_verified', msg: '该手机号没有通过验证' });
    assert.deepEqual(await s.main({ number: '13800138000' }), { code: 'not_verified', msg: '该手机号没有通过验证' });
  });

  test('anything short of a complete success does not sign in', async () => {
    const replies = [
      null, undefined, {}, 'success', { code: 'ok' }, { code: 'success' }, { code: 'success', number: '13800138000' },
      { code: 'success', verifiedAt: 1 }, { code: 'success', number: '', verifiedAt: 1 }, { code: 100, data: 'unknown $url: checkVerified' },
    ];
    for (const reply of replies) {
      const out = await standIn(reply).main({ number: '13800138000' });
      assert.equal(out.code, 'not_verified', JSON.stringify(reply));
      assert.equal(typeof out.msg, 'string');
      assert.ok(out.msg.length > 0);
    }
  });

  test('zhenzisms unreachable: not_verified, logged without throwing', async (t) => {
    const logged = [];
    t.mock.method(console, 'error', (...a) => logged.push(a.join(' ')));
    const out = await standIn(Object.assign(new Error('boom'), { errMsg: 'cloud.callFunction:fail -504002' })).main({ number: '13800138000' });
    assert.equal(out.code, 'not_verified');
    assert.equal(logged.length, 1);
    assert.match(logged[0], /-504002/);
  });

  test('a malformed number or no caller identity is refused before asking zhenzisms', async () => {
    for (const event of [{}, { number: 13800138000 }, { number: '1380013800' }, { number: '12800138000' }, { number: { toString: () => '13800138000' } }, null]) {
      const s = standIn({ code: 'success', number: '13800138000', verifiedAt: 1 });
      assert.equal((await s.main(event)).code, 'not_verified', JSON.stringify(event));
      assert.equal(s.calls.length, 0);
    }
    const anonymous = standIn({ code: 'success', number: '13800138000', verifiedAt: 1 }, '');
    assert.equal((await anonymous.main({ number: '13800138000' })).code, 'not_verified');
    assert.equal(anonymous.calls.length, 0);
  });

  test('signs in as the number zhenzisms vouches for, not one the event names', async () => {
    const s = standIn((o) => ({ code: 'success', number: o.data.number, verifiedAt: 5 }));
    const out = await s.main({ number: '13800138000', verifiedAt: 999, openid: 'someone-else' });
    assert.deepEqual(out, { code: 'success', number: '13800138000', verifiedAt: 5, via: '' });
  });
});
