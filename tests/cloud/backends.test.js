// The two backends the cloud suites run on, side by side: the stand-in (wx-server-sdk-standin.js)
// and the real wx-server-sdk 4.0.2 against our local CloudBase endpoint (tests/cloudbase/). Each
// behaviour the function relies on is asserted on both, so where the stand-in drifts from the real
// SDK a test here fails. Includes the 云调用 phone-number fixture (phone-exchange.js).
'use strict';
const { test, after } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const standin = require('./wx-server-sdk-standin.js');
const real = require('../cloudbase/real-sdk.js');

const BACKENDS = { standin: standin.createCloudSdkStandin, real: real.createCloudSdk };

// A function folder whose config.json grants (or not) the phone-number 云调用.
const dirs = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function functionDir(permissions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzi-fn-'));
  dirs.push(dir);
  if (permissions) fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ permissions: { openapi: permissions } }));
  return dir;
}

// One "invocation": the platform variables set, then the SDK used as the function would.
function sdkFor(kind, options) {
  const sdk = BACKENDS[kind](options);
  sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });
  return sdk;
}

const rid = (s) => String(s).replace(/rid: [\w-]+/, 'rid: …');
const failure = (e) => ({ errCode: e.errCode, errMsg: rid(e.errMsg), message: rid(e.message), isError: e instanceof Error });

for (const kind of Object.keys(BACKENDS)) {
  test(`${kind}: database — ids, duplicates, missing collections, nested updates merge, undefined in where()`, async () => {
    const sdk = sdkFor(kind, { collections: ['sms-record'] });
    sdk.beforeMain();
    const col = sdk.database().collection('sms-record');
    const added = await col.add({ data: { openid: 'a', record: { hash: 'h', attemptsLeft: 3, used: false } } });
    assert.match(added._id, /^[0-9a-f]{32}$/);
    assert.equal(added.errMsg, 'collection.add:ok');
    await col.add({ data: { _id: 'slot:x', sentAt: 1 } });
    const dup = await col.add({ data: { _id: 'slot:x', sentAt: 2 } }).catch((e) => e);
    assert.equal(dup.errCode, -502001);
    assert.match(dup.errMsg, /^collection\.add:fail -502001 database request fail\. E11000 duplicate key/);
    const missing = await sdk.database().collection('nope').where({ a: 1 }).get().catch((e) => e);
    assert.equal(missing.errCode, -502005);
    assert.match(missing.errMsg, /^collection\.get:fail -502005 database collection not exists/);

    const upd = await col.where({ _id: added._id, 'record.attemptsLeft': 3 }).update({ data: { record: { attemptsLeft: 2 }, status: 'sent' } });
    assert.deepEqual(upd, { stats: { updated: 1 }, errMsg: 'collection.update:ok' });
    assert.equal((await col.where({ _id: added._id, 'record.attemptsLeft': 3 }).update({ data: { status: 'x' } })).stats.updated, 0, 'a compare-and-set on the old value');
    const [doc] = (await col.where({ _id: added._id }).get()).data;
    assert.deepEqual(doc.record, { hash: 'h', attemptsLeft: 2, used: false }, 'nested fields merge, the others stay');

    assert.throws(() => col.where({ openid: undefined }), /查询参数对象值不能均为undefined/);
    assert.equal((await col.where({ openid: undefined, status: 'sent' }).get()).data.length, 1, 'an undefined field widens the query');
    const got = await col.where({ openid: 'a' }).get();
    assert.equal(got.errMsg, 'collection.get:ok');
    assert.deepEqual(sdk.db.dump('sms-record').map((d) => d._id).sort(), [added._id, 'slot:x'].sort());
  });

  test(`${kind}: get() returns at most 100 without limit(), orderBy sorts, addAsPage stamps _openid`, async () => {
    const sdk = sdkFor(kind);
    sdk.beforeMain();
    const col = sdk.database().collection('sms-record');
    for (let i = 0; i < 105; i++) sdk.db.addAsPage('page-user', 'sms-record', { i });
    assert.equal((await col.get()).data.length, 100);
    assert.deepEqual((await col.where({ _openid: 'page-user' }).orderBy('i', 'desc').limit(3).get()).data.map((d) => d.i), [104, 103, 102]);
    sdk.db.addAsPage('page-user', 'sms-record', { _id: 'chosen-by-page' });
    assert.equal(sdk.db.dump('sms-record').find((d) => d._id === 'chosen-by-page')._openid, 'page-user');
  });

  test(`${kind}: getWXContext follows context per invocation; callFunction keeps the user, adds scf to SOURCE`, async () => {
    const sdk = sdkFor(kind, { openid: 'o-1' });
    sdk.beforeMain();
    assert.deepEqual([sdk.getWXContext().OPENID, sdk.getWXContext().APPID, sdk.getWXContext().CLIENTIP, sdk.getWXContext().SOURCE], ['o-1', 'wxsimulator', '127.0.0.1', 'wx_client']);
    sdk.context.OPENID = 'o-2';
    sdk.beforeMain();
    assert.equal(sdk.getWXContext().OPENID, 'o-2');
    sdk.functions.callee = async (event) => ({ event, ctx: sdk.getWXContext() });
    const r = await sdk.callFunction({ name: 'callee', data: { q: 1 } });
    assert.equal(r.errMsg, 'callFunction:ok');
    assert.deepEqual(r.result.event, { q: 1 });
    assert.deepEqual([r.result.ctx.OPENID, r.result.ctx.SOURCE], ['o-2', 'wx_client,scf']);
    assert.equal(sdk.getWXContext().SOURCE, 'wx_client', 'the caller\'s SOURCE is its own again');
    const none = await sdk.callFunction({ name: 'nobody' }).catch((e) => e);
    assert.equal(none.errCode, -1);
    assert.match(none.errMsg, /^callFunction:fail .*FunctionName parameter could not be found/);
    sdk.functions.boom = async () => { throw new Error('boom'); };
    assert.match((await sdk.callFunction({ name: 'boom' }).catch((e) => e)).errMsg, /^callFunction:fail functions execute fail \| Error: boom/);
    const anonymous = sdkFor(kind, { openid: undefined });
    anonymous.beforeMain();
    assert.equal(anonymous.getWXContext().OPENID, undefined);
  });

  test(`${kind}: phonenumber.getPhoneNumber answers an issued code once, camelCase, with its watermark`, async () => {
    const sdk = sdkFor(kind, { functionDir: functionDir(['phonenumber.getPhoneNumber']) });
    sdk.context.APPID = 'wx-app-1';
    sdk.beforeMain();
    const before = Math.floor(Date.now() / 1000);
    const code = sdk.phone.issue({ phoneNumber: '13800138000' });
    const r = await sdk.openapi.phonenumber.getPhoneNumber({ code });
    assert.equal(r.errCode, 0);
    assert.equal(r.errMsg, 'openapi.phonenumber.getPhoneNumber:ok');
    assert.deepEqual(Object.keys(r).sort(), ['errCode', 'errMsg', 'phoneInfo']);
    assert.deepEqual(Object.assign({}, r.phoneInfo, { watermark: { appid: r.phoneInfo.watermark.appid } }), { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86', watermark: { appid: 'wx-app-1' } });
    assert.ok(r.phoneInfo.watermark.timestamp >= before && r.phoneInfo.watermark.timestamp <= before + 2, 'timestamp: seconds, now');
    const used = await sdk.openapi.phonenumber.getPhoneNumber({ code }).catch((e) => e);
    assert.deepEqual(failure(used), { errCode: 40029, errMsg: 'openapi.phonenumber.getPhoneNumber:fail invalid code, rid: …', message: 'errCode: 40029  | errMsg: openapi.phonenumber.getPhoneNumber:fail invalid code, rid: …', isError: true });
    assert.equal((await sdk.openapi.phonenumber.getPhoneNumber({ code: 'forged' }).catch((e) => e)).errCode, 40029);
    const foreign = sdk.phone.issue({ phoneNumber: '+85251234567', countryCode: '852', appid: 'wx-other', timestamp: 1700000000 });
    const f = await sdk.openapi.phonenumber.getPhoneNumber({ code: foreign });
    assert.deepEqual(f.phoneInfo, { phoneNumber: '+85251234567', purePhoneNumber: '51234567', countryCode: '852', watermark: { timestamp: 1700000000, appid: 'wx-other' } });
    assert.deepEqual(sdk.phone.calls.map((c) => c.code), [code, code, 'forged', foreign]);
  });

  test(`${kind}: a code expires after 5 minutes; failNext gives WeChat's 45011 and -1 once`, async () => {
    const sdk = sdkFor(kind, { functionDir: functionDir(['phonenumber.getPhoneNumber']) });
    sdk.beforeMain();
    const code = sdk.phone.issue({ phoneNumber: '13800138000' });
    const realNow = Date.now;
    const start = realNow();
    try {
      Date.now = () => start + 5 * 60 * 1000 + 1;
      assert.equal((await sdk.openapi.phonenumber.getPhoneNumber({ code }).catch((e) => e)).errCode, 40029);
    } finally {
      Date.now = realNow;
    }
    const fresh = sdk.phone.issue({ phoneNumber: '13800138000' });
    sdk.phone.failNext(45011);
    const quota = await sdk.openapi.phonenumber.getPhoneNumber({ code: fresh }).catch((e) => e);
    assert.deepEqual(failure(quota).errCode, 45011);
    assert.match(quota.errMsg, /^openapi\.phonenumber\.getPhoneNumber:fail api minute-quota reach limit/);
    sdk.phone.failNext(-1);
    const busy = await sdk.openapi.phonenumber.getPhoneNumber({ code: fresh }).catch((e) => e);
    assert.deepEqual(failure(busy), { errCode: -1, errMsg: 'openapi.phonenumber.getPhoneNumber:fail system error, rid: …', message: 'errCode: -1 unknown error | errMsg: openapi.phonenumber.getPhoneNumber:fail system error, rid: …', isError: true });
    assert.equal((await sdk.openapi.phonenumber.getPhoneNumber({ code: fresh })).phoneInfo.phoneNumber, '13800138000', 'the code survives the failures');
  });

  test(`${kind}: without phonenumber.getPhoneNumber in config.json the platform refuses (-604101)`, async () => {
    for (const dir of [functionDir(null), functionDir(['wxacode.get'])]) {
      const sdk = sdkFor(kind, { functionDir: dir });
      sdk.beforeMain();
      const code = sdk.phone.issue({ phoneNumber: '13800138000' });
      const e = await sdk.openapi.phonenumber.getPhoneNumber({ code }).catch((x) => x);
      assert.deepEqual(failure(e), { errCode: -604101, errMsg: 'system error: error code: -604101', message: 'errCode: -604101 function has no permission to call this API | errMsg: system error: error code: -604101', isError: true });
    }
  });
}

for (const kind of Object.keys(BACKENDS)) {
  test(`${kind}: concurrent invocations as different users each see their own OPENID (read before the first await)`, async () => {
    const { withInvocationEnv } = require('../cloudmode/helpers.js');
    const sdk = sdkFor(kind);
    const fn = withInvocationEnv({
      main: async () => {
        const { OPENID } = sdk.getWXContext();
        await sdk.database().collection('sms-record').add({ data: { openid: OPENID } });
        return OPENID;
      },
    }, sdk);
    const pending = [];
    for (const user of ['u-1', 'u-2', 'u-3']) {
      sdk.context.OPENID = user;
      pending.push(fn.main({}, {}));
    }
    assert.deepEqual(await Promise.all(pending), ['u-1', 'u-2', 'u-3']);
    assert.deepEqual(sdk.db.dump('sms-record').map((d) => d.openid).sort(), ['u-1', 'u-2', 'u-3']);
  });
}
