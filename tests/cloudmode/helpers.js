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
const ENV_KEYS = ['ZHENZI_APP_ID', 'ZHENZI_APP_SECRET', 'ZHENZI_API_URL', 'ZHENZI_ALLOW_CREATE_CODE', 'ZHENZI_COOLDOWN_SECONDS', 'ZHENZI_CODE_KEY'];

// index.js compiled as a fresh module whose require('wx-server-sdk') is `cloudSdk`; its
// relative requires (the SDK files beside it) load normally.
function loadCloudFunction(cloudSdk) {
  const m = new Module(INDEX, module);
  m.filename = INDEX;
  m.paths = Module._nodeModulePaths(FUNCTION_DIR);
  const nodeRequire = Module.createRequire(INDEX);
  m.require = (id) => (id === 'wx-server-sdk' ? cloudSdk : nodeRequire(id));
  m._compile(fs.readFileSync(INDEX, 'utf8'), INDEX);
  return m.exports;
}

// WeChat passes the data plus userInfo, and carries the result back as JSON.
function invoker(fn, cloudSdk) {
  return async (data) => {
    const event = Object.assign({}, data, { userInfo: { openId: cloudSdk.context.OPENID, appId: 'wxsimulator' } });
    const result = await fn.main(event, {});
    return JSON.parse(JSON.stringify(result === undefined ? null : result));
  };
}

function setEnv(values) {
  for (const k of ENV_KEYS) delete process.env[k];
  Object.assign(process.env, values);
}

function clearEnv() {
  for (const k of ENV_KEYS) delete process.env[k];
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

module.exports = { ROOT, FUNCTION_DIR, INDEX, NUMBER, loadCloudFunction, invoker, setEnv, clearEnv, destroyAgents, codeFromInbox };
