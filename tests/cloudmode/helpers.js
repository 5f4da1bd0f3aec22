// Shared by the tests/cloudmode suites: the built cloud function loaded as CloudBase would
// (its bare require('wx-server-sdk') answered by the stand-in), invoked like WeChat does,
// and the environment variables it reads.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const ROOT = path.resolve(__dirname, '../..');
const FUNCTION_DIR = path.join(ROOT, 'dist/cloudfunctions/zhenzisms');
const INDEX = path.join(FUNCTION_DIR, 'index.js');
const NUMBER = '13800138000';
// Every variable the function reads starts with ZHENZI_: each test starts from none of them.
const envKeys = () => Object.keys(process.env).filter((k) => k.startsWith('ZHENZI_'));

// index.js compiled as a fresh module whose require('wx-server-sdk') is `cloudSdk`; its
// relative requires (the SDK files beside it) load normally.
function loadCloudFunction(cloudSdk) {
  const m = new Module(INDEX, module);
  m.filename = INDEX;
  m.paths = Module._nodeModulePaths(FUNCTION_DIR);
  const nodeRequire = Module.createRequire(INDEX);
  m.require = (id) => (id === 'wx-server-sdk' ? cloudSdk : nodeRequire(id));
  m._compile(fs.readFileSync(INDEX, 'utf8'), INDEX);
  return withInvocationEnv(m.exports, cloudSdk);
}

// Each call of main as one invocation: the backend's platform variables set just before it (the
// real SDK's getWXContext() reads them; the stand-in ignores this).
function withInvocationEnv(exp, cloudSdk) {
  if (!cloudSdk || typeof cloudSdk.beforeMain !== 'function' || typeof exp.main !== 'function') return exp;
  const main = exp.main;
  exp.main = (event, context) => {
    cloudSdk.beforeMain();
    return main(event, context);
  };
  return exp;
}

// WeChat passes the data plus userInfo, and carries the result back as JSON.
function invoker(fn, cloudSdk) {
  return async (data) => {
    const event = Object.assign({}, data, { userInfo: { openId: cloudSdk.context.OPENID, appId: 'wxsimulator' } });
    const result = await fn.main(event, {});
    return JSON.parse(JSON.stringify(result === undefined ? null : result));
  };
}

// The built function on a fresh stand-in backend (its own database), its environment `env` with
// `extraEnv` over it (a variable set to undefined is removed): {cloudSdk, db, phone, main, run,
// as(openid, ip?)} where `as` switches the caller (undefined: no OPENID) and its address.
function cloudFunction(env, extraEnv = {}, options = {}) {
  setEnv(Object.assign({}, env, extraEnv));
  for (const k of Object.keys(extraEnv)) if (extraEnv[k] === undefined) delete process.env[k];
  const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
  const cloudSdk = createCloudSdk(Object.assign({ openid: 'openid-alice' }, options));
  const main = loadCloudFunction(cloudSdk).main;
  return {
    cloudSdk,
    db: cloudSdk.db,
    phone: cloudSdk.phone,
    main,
    run: invoker({ main }, cloudSdk),
    as(openid, ip) {
      cloudSdk.context.OPENID = openid;
      if (ip) cloudSdk.context.CLIENTIP = ip;
      return this;
    },
  };
}

function setEnv(values) {
  clearEnv();
  for (const [k, v] of Object.entries(values)) process.env[k] = String(v);
}

function clearEnv() {
  for (const k of envKeys()) delete process.env[k];
}

// Date.now as the cloud function sees it (it runs in this process): a clock tests move.
function fakeClock(start = Date.UTC(2026, 10, 30, 1, 0, 0)) {
  const real = Date.now;
  const clock = {
    now: start,
    advance(ms) {
      clock.now += ms;
    },
    restore() {
      Date.now = real;
    },
  };
  Date.now = () => clock.now;
  return clock;
}

// console.error lines written while `fn` runs (the function's 云函数日志).
async function capturingErrors(fn) {
  const lines = [];
  const real = console.error;
  console.error = (...args) => lines.push(args.map(String).join(' '));
  try {
    const result = await fn();
    return { result, lines };
  } finally {
    console.error = real;
  }
}

// Keep-alive sockets of the cloud function's copy of the Node platform.
function destroyAgents() {
  for (const agent of Object.values(require(path.join(FUNCTION_DIR, 'zhenzisms_node.js')).agents)) agent.destroy();
}

// The code in the newest message of `number`'s inbox (the "phone").
function codeFromInbox(sb, number) {
  const inbox = sb.inbox(number);
  const m = /(\d{4,8})/.exec(inbox[inbox.length - 1].message);
  return m && m[1];
}

// The function's documents in a collection, opened with the function's key as the environment
// sets it: [{_id, kind, seq, body (decrypted and parsed, or null), openid?}]. (Tests read them to
// see what was stored; the function itself trusts them only by their MAC.)
function documents(db, kind) {
  const { openBody } = require(path.join(FUNCTION_DIR, 'zhenzisms_store.js'));
  const e = process.env;
  const key = e.ZHENZI_CODE_KEY || 'zhenzisms-code-key:' + (e.ZHENZI_APP_SECRET || e.TENCENT_SECRET_KEY || '') + (e.ZHENZI_VERIFY_KEY ? '|' + e.ZHENZI_VERIFY_KEY : '');
  return db.dump('sms-record').filter((d) => !kind || d.kind === kind).map((d) => ({ _id: d._id, kind: d.kind, seq: d.seq, body: openBody(d, key), _openid: d._openid }));
}

module.exports = { cloudFunction, documents, ROOT, FUNCTION_DIR, INDEX, NUMBER, loadCloudFunction, withInvocationEnv, invoker, setEnv, clearEnv, destroyAgents, codeFromInbox, fakeClock, capturingErrors };
