'use strict';
// The vendor protocol: routes, auth order, validation, templates, relay, find, inbox, log.

const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const { APP, postForm, request, closeWithin, withSandbox, startSandbox } = require('./helpers.js');

const NUMBER = '13800138000';
const creds = (id) => ({ appId: id, appSecret: `sandbox-secret-${id}` });

describe('default fixture', () => {
  let sb;
  before(async () => {
    sb = await startSandbox();
  });
  after(() => closeWithin(sb));
  beforeEach(() => sb.reset());

  const send = (fields, path = '/sms/send.do') => postForm(sb.url, path, fields);
  const balance = (c = APP) => postForm(sb.url, '/account/balance.do', c);

  it('sends a v1 message: vendor reply, balance -1, inbox and log', async () => {
    const r = await send({ ...APP, number: NUMBER, message: '验证码:33356，2分钟内有效', messageId: 'm-1', clientIp: '' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json;charset=UTF-8');
    assert.deepEqual(r.json, { code: 0, data: '发送成功' });
    assert.deepEqual((await balance()).json, { code: 0, data: 999 });
    const inbox = sb.inbox(NUMBER);
    assert.equal(inbox.length, 1);
    assert.equal(inbox[0].message, '验证码:33356，2分钟内有效');
    assert.equal(inbox[0].messageId, 'm-1');
    assert.equal(inbox[0].appId, '10001');
    assert.match(inbox[0].createTime, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('balance is an integer from the fixture', async () => {
    const r = await balance();
    assert.deepEqual(r.json, { code: 0, data: 1000 });
    assert.equal(Number.isInteger(r.json.data), true);
  });

  describe('auth errors', () => {
    const cases = [
      ['missing appId', { appSecret: 'x' }, 100],
      ['empty appSecret', { appId: '10001', appSecret: '' }, 100],
      ['unknown appId', { appId: '99999', appSecret: 'x' }, 105],
      ['banned app', creds('10002'), 106],
      ['account missing', creds('10003'), 111],
      ['wrong secret', { appId: '10001', appSecret: 'nope' }, 110],
      ['ip not whitelisted', creds('10004'), 107],
    ];
    for (const [name, c, code] of cases) {
      it(`${name} -> ${code} on send, nothing delivered`, async () => {
        const r = await send({ ...c, number: NUMBER, message: 'hello' });
        assert.equal(r.json.code, code);
        assert.equal(typeof r.json.data, 'string');
        assert.deepEqual(sb.inbox(NUMBER), []);
      });
    }
    it('balance maps a missing account (111) to 105, others as on send', async () => {
      assert.equal((await balance(creds('10003'))).json.code, 105);
      assert.equal((await balance(creds('10002'))).json.code, 106);
      assert.equal((await balance(creds('10004'))).json.code, 107);
      assert.equal((await balance({ appId: '10001', appSecret: 'nope' })).json.code, 110);
      assert.equal((await balance({ appId: '', appSecret: '' })).json.code, 100);
    });
    it('auth comes before parameter validation', async () => {
      const r = await send({ appId: '10001', appSecret: 'nope', number: '12', message: '' });
      assert.equal(r.json.code, 110);
    });
    it('vendor texts', async () => {
      assert.deepEqual((await send({ ...creds('10002'), number: NUMBER, message: 'x' })).json, { code: 106, data: '应用被禁止' });
      assert.deepEqual((await send({ ...creds('10005'), number: NUMBER, message: 'x' })).json, { code: 108, data: '短信余额不足' });
    });
  });

  describe('send validation', () => {
    for (const bad of ['', '1380013800', '138001380001', '23800138000', '1380013800a', ' 13800138000', '+8613800138']) {
      it(`number ${JSON.stringify(bad)} -> 100`, async () => {
        assert.equal((await send({ ...APP, number: bad, message: 'hi' })).json.code, 100);
      });
    }
    it('empty or missing message -> 100', async () => {
      assert.equal((await send({ ...APP, number: NUMBER, message: '' })).json.code, 100);
      assert.equal((await send({ ...APP, number: NUMBER })).json.code, 100);
    });
    it('1000 code points pass, 1001 -> 101 (emoji count as one)', async () => {
      const emoji999 = '😀'.repeat(999); // 1998 UTF-16 units, 3996 bytes
      assert.equal((await send({ ...APP, number: NUMBER, message: `${emoji999}a` })).json.code, 0);
      assert.equal((await send({ ...APP, number: NUMBER, message: `${emoji999}ab` })).json.code, 101);
      assert.equal((await send({ ...APP, number: NUMBER, message: '短'.repeat(1000) })).json.code, 0);
      assert.equal((await send({ ...APP, number: NUMBER, message: '短'.repeat(1001) })).json.code, 101);
      assert.equal(sb.inbox(NUMBER).length, 2);
    });
    it('balance 0 -> 108 and stays 0', async () => {
      assert.equal((await send({ ...creds('10005'), number: NUMBER, message: 'hi' })).json.code, 108);
      assert.deepEqual((await balance(creds('10005'))).json, { code: 0, data: 0 });
    });
    it('daily cap per number -> 109 on the third send, other numbers unaffected, balance unspent', async () => {
      const c = creds('10006');
      assert.equal((await send({ ...c, number: NUMBER, message: 'a' })).json.code, 0);
      assert.equal((await send({ ...c, number: NUMBER, message: 'b' })).json.code, 0);
      assert.deepEqual((await send({ ...c, number: NUMBER, message: 'c' })).json, { code: 109, data: '今日发送超过限额' });
      assert.equal((await send({ ...c, number: '13900139000', message: 'd' })).json.code, 0);
      assert.equal((await balance(c)).json.data, 997);
      assert.equal(sb.inbox(NUMBER).length, 2);
    });
    it("'' optional fields are absent (messageId null in the inbox)", async () => {
      assert.equal((await send({ ...APP, number: NUMBER, message: 'x', messageId: '', clientIp: '' })).json.code, 0);
      assert.equal(sb.inbox(NUMBER)[0].messageId, null);
    });
  });

  describe('v2 templates', () => {
    const v2 = (fields) => send({ ...APP, number: NUMBER, templateId: '1001', ...fields }, '/sms/v2/send.do');
    const lastMessage = () => sb.inbox(NUMBER).at(-1).message;

    it('fills {1} {2}', async () => {
      assert.deepEqual((await v2({ templateParams: '["123456","5"]' })).json, { code: 0, data: '发送成功' });
      assert.equal(lastMessage(), '您的验证码为123456，5分钟内有效。【云短信体验】');
    });
    it('accepts \\u escapes, \\/ and spaces after commas (a real JSON parser)', async () => {
      assert.equal((await v2({ templateParams: '["\\u0031\\u0032\\u0033", "\\u4e94"]' })).json.code, 0);
      assert.equal(lastMessage(), '您的验证码为123，五分钟内有效。【云短信体验】');
      assert.equal((await v2({ templateParams: '[ "a\\/b" ,  "2" ]' })).json.code, 0);
      assert.equal(lastMessage(), '您的验证码为a/b，2分钟内有效。【云短信体验】');
    });
    it('numbers are accepted and stringified by default', async () => {
      assert.equal((await v2({ templateParams: '[1234, 5]' })).json.code, 0);
      assert.equal(lastMessage(), '您的验证码为1234，5分钟内有效。【云短信体验】');
    });
    it('parameters are not expanded again', async () => {
      assert.equal((await v2({ templateParams: '["{2}","9"]' })).json.code, 0);
      assert.equal(lastMessage(), '您的验证码为{2}，9分钟内有效。【云短信体验】');
    });
    for (const [name, tp] of [
      ['invalid JSON', '["1",'],
      ['single quotes', "['1','2']"],
      ['non-array object', '{"1":"a","2":"b"}'],
      ['non-array string', '"12"'],
      ['nested array', '[["1"],"2"]'],
      ['null element', '[null,"2"]'],
      ['boolean element', '[true,"2"]'],
      ['too few parameters', '["1"]'],
    ]) {
      it(`templateParams ${name} -> 100`, async () => {
        assert.equal((await v2({ templateParams: tp })).json.code, 100);
        assert.deepEqual(sb.inbox(NUMBER), []);
      });
    }
    // Vendor E sends templateParams='' when a page gives none; the real server treats an empty
    // optional field as absent and sends (issue 20: 35 of 36 real vendor calls passed, this one not).
    it("templateParams '' or absent is absent: the template goes out as written", async () => {
      assert.deepEqual((await v2({ templateParams: '' })).json, { code: 0, data: '发送成功' });
      assert.equal(lastMessage(), '您的验证码为{1}，{2}分钟内有效。【云短信体验】');
      assert.equal((await v2({})).json.code, 0);
      assert.equal(sb.inbox(NUMBER).length, 2);
    });
    it('templateId empty -> 100, unknown or unapproved -> 117', async () => {
      assert.equal((await v2({ templateId: '', templateParams: '["1","2"]' })).json.code, 100);
      assert.deepEqual((await v2({ templateId: '1002', templateParams: '["1"]' })).json, {
        code: 117,
        data: 'templateId错误，或者模板未审核',
      });
      assert.equal((await v2({ templateId: '9999', templateParams: '["1","2"]' })).json.code, 117);
    });
    it('a filled template over 1000 code points -> 101', async () => {
      assert.equal((await v2({ templateParams: JSON.stringify(['9'.repeat(1000), '5']) })).json.code, 101);
    });
  });

  describe('relay', () => {
    const relayPaths = {
      '/sms/send.html': { number: NUMBER, message: 'relay' },
      '/sms/v2/send.html': { number: NUMBER, templateId: '1001', templateParams: '["1","2"]' },
      '/sms/balance.html': {},
      '/sms/findSmsByMessageId.html': { messageId: 'none' },
    };
    for (const [path, fields] of Object.entries(relayPaths)) {
      it(`${path} works with every accepted apiUrl`, async () => {
        for (const apiUrl of [
          'https://sms_developer.zhenzikj.com',
          'https://sms.zhenzikj.com/',
          sb.url,
          `${sb.url}/`,
        ]) {
          const r = await postForm(sb.url, path, { ...APP, ...fields, apiUrl });
          assert.equal(r.json.code, 0, `${path} with ${apiUrl}`);
        }
      });
    }
    for (const apiUrl of ['', 'https://evil.example.com', 'http://sms.zhenzikj.com', 'https://sms.zhenzikj.com/sms', 'https://smsdeveloper.zhenzikj.com']) {
      it(`bad apiUrl ${JSON.stringify(apiUrl)} -> 100, nothing sent`, async () => {
        const r = await postForm(sb.url, '/sms/send.html', { ...APP, number: NUMBER, message: 'x', apiUrl });
        assert.deepEqual(r.json, { code: 100, data: '参数格式错误' });
        assert.deepEqual(sb.inbox(NUMBER), []);
      });
    }
    it('a missing apiUrl -> 100 even before auth', async () => {
      assert.equal((await postForm(sb.url, '/sms/balance.html', { appId: '10001', appSecret: 'bad' })).json.code, 100);
    });
    it('relay and direct give the same answers', async () => {
      const apiUrl = 'https://sms_developer.zhenzikj.com';
      for (const c of [creds('10002'), creds('10003'), creds('10005')]) {
        const direct = await send({ ...c, number: NUMBER, message: 'x' });
        const relay = await send({ ...c, number: NUMBER, message: 'x', apiUrl }, '/sms/send.html');
        assert.deepEqual(relay.json, direct.json);
      }
    });
    it('the direct routes ignore apiUrl', async () => {
      assert.equal((await send({ ...APP, number: NUMBER, message: 'x', apiUrl: 'https://evil.example.com' })).json.code, 0);
    });
  });

  describe('find', () => {
    const find = (c, messageId) => postForm(sb.url, '/smslog/findSmsByMessageId.do', { ...c, messageId });

    it('finds a sent message with the vendor shape', async () => {
      await send({ ...APP, number: NUMBER, message: 'hello find', messageId: 'f-1' });
      const r = await find(APP, 'f-1');
      assert.equal(r.json.code, 0);
      const d = r.json.data;
      assert.deepEqual(Object.keys(d).sort(), ['appName', 'createTime', 'message', 'messageId', 'status', 'toNumber']);
      assert.equal(d.message, 'hello find');
      assert.equal(d.appName, '云短信体验');
      assert.equal(d.status, 'success');
      assert.equal(d.toNumber, NUMBER);
      assert.equal(d.messageId, 'f-1');
      assert.match(d.createTime, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    });
    it('not found -> {code:0,data:{}}', async () => {
      assert.deepEqual((await find(APP, 'nope')).json, { code: 0, data: {} });
    });
    it("does not see another app's message", async () => {
      await send({ ...creds('10006'), number: NUMBER, message: 'other', messageId: 'shared' });
      assert.deepEqual((await find(APP, 'shared')).json, { code: 0, data: {} });
      assert.equal((await find(creds('10006'), 'shared')).json.data.message, 'other');
    });
    it('empty messageId -> 100; auth errors apply (111 stays 111)', async () => {
      assert.equal((await find(APP, '')).json.code, 100);
      assert.equal((await find(creds('10003'), 'x')).json.code, 111);
    });
    it('a failed send is not findable', async () => {
      await send({ ...APP, number: '123', message: 'x', messageId: 'failed' });
      assert.deepEqual((await find(APP, 'failed')).json.data, {});
    });
    it('duplicate messageId accepted by default; the later one wins', async () => {
      await send({ ...APP, number: NUMBER, message: 'first', messageId: 'dup' });
      assert.equal((await send({ ...APP, number: NUMBER, message: 'second', messageId: 'dup' })).json.code, 0);
      assert.equal((await find(APP, 'dup')).json.data.message, 'second');
    });
  });

  describe('inbox and control surface', () => {
    it('GET /__inbox/<number> lists messages newest last, [] when none', async () => {
      await send({ ...APP, number: NUMBER, message: 'one' });
      await send({ ...APP, number: NUMBER, message: 'two', messageId: 'x2' });
      const r = await request(sb.url, `/__inbox/${NUMBER}`, { method: 'GET' });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.map((m) => m.message), ['one', 'two']);
      assert.deepEqual(Object.keys(r.json[1]).sort(), ['appId', 'createTime', 'message', 'messageId']);
      assert.deepEqual((await request(sb.url, '/__inbox/13999999999', { method: 'GET' })).json, []);
    });
    it('sb.inbox returns copies', async () => {
      await send({ ...APP, number: NUMBER, message: 'one' });
      sb.inbox(NUMBER)[0].message = 'changed';
      assert.equal(sb.inbox(NUMBER)[0].message, 'one');
    });
    it('GET /__requests logs vendor requests with the secret masked, not control requests', async () => {
      await send({ ...APP, number: NUMBER, message: 'logged' });
      await request(sb.url, `/__inbox/${NUMBER}`, { method: 'GET' });
      const r = await request(sb.url, '/__requests', { method: 'GET' });
      assert.equal(r.json.length, 1);
      const e = r.json[0];
      assert.equal(e.method, 'POST');
      assert.equal(e.path, '/sms/send.do');
      assert.equal(e.form.appSecret, '***');
      assert.equal(e.form.message, 'logged');
      assert.equal(e.fault, null);
      assert.equal(e.status, 200);
      assert.equal(e.code, 0);
      assert.equal(sb.requests.length, 1);
      assert.doesNotMatch(r.body, /sandbox-secret/);
    });
    it('POST /__reset restores balances and clears inbox, log and queued faults', async () => {
      await send({ ...APP, number: NUMBER, message: 'x' });
      await postForm(sb.url, '/__faults', JSON.stringify({ fault: 'http502' }), { headers: { 'Content-Type': 'application/json' } });
      const r = await request(sb.url, '/__reset', { method: 'POST' });
      assert.deepEqual(r.json, { code: 0, data: 'reset' });
      assert.deepEqual(sb.inbox(NUMBER), []);
      assert.equal(sb.requests.length, 0);
      assert.deepEqual((await balance()).json, { code: 0, data: 1000 }); // the 502 was cleared too
    });
    it('wrong method or unknown control path', async () => {
      const r = await request(sb.url, '/__reset', { method: 'GET' });
      assert.equal(r.status, 405);
      assert.equal(r.json.code, -1);
      assert.equal((await request(sb.url, '/__nothing', { method: 'GET' })).status, 404);
    });
  });
});

describe('custom fixtures', () => {
  it('auth order: each app fails several checks and gets the earliest code', async () => {
    const fixture = {
      apps: [
        { appId: 'b', appSecret: 's', banned: true, accountExists: false, ipWhitelist: ['10.0.0.1'] },
        { appId: 'n', appSecret: 's', accountExists: false, ipWhitelist: ['10.0.0.1'] },
        { appId: 'w', appSecret: 's', ipWhitelist: ['10.0.0.1'] },
        { appId: 'ok', appSecret: 's', ipWhitelist: ['10.0.0.1', '127.0.0.1'] },
      ],
    };
    await withSandbox({ fixture }, async (sb) => {
      const code = async (appId, appSecret) =>
        (await postForm(sb.url, '/sms/send.do', { appId, appSecret, number: NUMBER, message: 'x' })).json.code;
      assert.equal(await code('zzz', ''), 100); // 100 before 105
      assert.equal(await code('zzz', 'wrong'), 105);
      assert.equal(await code('b', 'wrong'), 106); // banned beats missing account, secret and ip
      assert.equal(await code('n', 'wrong'), 111); // missing account beats secret and ip
      assert.equal(await code('w', 'wrong'), 110); // secret beats ip
      assert.equal(await code('w', 's'), 107);
      assert.equal(await code('ok', 's'), 0); // whitelisted loopback passes
    });
  });

  it('duplicateMessageId "reject" -> 100 for the same app only', async () => {
    const fixture = { duplicateMessageId: 'reject', apps: [{ appId: 'a', appSecret: 's' }, { appId: 'b', appSecret: 's' }] };
    await withSandbox({ fixture }, async (sb) => {
      const send = (appId, message) => postForm(sb.url, '/sms/send.do', { appId, appSecret: 's', number: NUMBER, message, messageId: 'id' });
      assert.equal((await send('a', 'first')).json.code, 0);
      assert.equal((await send('a', 'again')).json.code, 100);
      assert.equal((await send('b', 'other app')).json.code, 0);
      assert.deepEqual(sb.inbox(NUMBER).map((m) => m.message), ['first', 'other app']);
    });
  });

  it('templateParamNumbers "reject" -> 100 for numbers', async () => {
    await withSandbox({ fixture: { templateParamNumbers: 'reject' } }, async (sb) => {
      const send = (tp) => postForm(sb.url, '/sms/v2/send.do', { ...APP, number: NUMBER, templateId: '1001', templateParams: tp });
      assert.equal((await send('[1234,5]')).json.code, 100);
      assert.equal((await send('["1234","5"]')).json.code, 0);
    });
  });

  it('per-app templates override the shared ones', async () => {
    const fixture = {
      apps: [{ appId: 'a', appSecret: 's', templates: { 1001: { text: '自定义{1}', approved: true }, 7: { text: 'x', approved: false } } }],
    };
    await withSandbox({ fixture }, async (sb) => {
      const send = (templateId, tp) => postForm(sb.url, '/sms/v2/send.do', { appId: 'a', appSecret: 's', number: NUMBER, templateId, templateParams: tp });
      assert.equal((await send('1001', '["z"]')).json.code, 0);
      assert.equal(sb.inbox(NUMBER)[0].message, '自定义z');
      assert.equal((await send('7', '')).json.code, 117);
    });
  });

  it('the daily cap resets on the next local day (injected clock)', async () => {
    let clock = new Date(2024, 0, 1, 23, 59, 0);
    await withSandbox({ now: () => clock }, async (sb) => {
      const send = () => postForm(sb.url, '/sms/send.do', { ...creds('10006'), number: NUMBER, message: 'x' });
      assert.equal((await send()).json.code, 0);
      assert.equal((await send()).json.code, 0);
      assert.equal((await send()).json.code, 109);
      assert.equal(sb.inbox(NUMBER)[1].createTime, '2024-01-01 23:59:00');
      clock = new Date(2024, 0, 2, 0, 0, 1);
      assert.equal((await send()).json.code, 0);
      assert.equal(sb.inbox(NUMBER)[2].createTime, '2024-01-02 00:00:01');
    });
  });

  it('a bad fixture is refused with a clear message', async () => {
    await assert.rejects(startSandbox({ fixture: { apps: [{ appId: 'a' }] } }), /appSecret/);
    await assert.rejects(startSandbox({ fixture: { duplicateMessageId: 'maybe' } }), /duplicateMessageId/);
    await assert.rejects(startSandbox({ fixture: { faults: [{ fault: 'explode' }] } }), /unknown fault/);
  });
});
