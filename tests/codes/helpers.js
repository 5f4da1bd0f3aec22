// Shared set-up for the verification-code suites: a throwaway mini-program holding only the
// built dist/utils/, simulators wired to the local sandbox (direct mode) or to the built cloud
// function with the wx-server-sdk stand-in (cloud mode), and small readers of what a test sees.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const Module = require('module');
const { createMiniProgram } = require('../simulator');

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const CLOUD_INDEX = path.join(DIST, 'cloudfunctions/zhenzisms/index.js');
const APP_ID = '10001';
const APP_SECRET = 'sandbox-secret-10001';
const API_URL = 'https://sms_developer.zhenzikj.com';

// One mini-program root per process, made from nothing but dist/utils (read only afterwards).
let root = null;
function miniProgramRoot() {
  if (!root) {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-codes-'));
    fs.cpSync(path.join(DIST, 'utils'), path.join(root, 'utils'), { recursive: true });
    process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  }
  return root;
}

// Direct (client) mode: the drop-in in the simulator, sending through the sandbox relay.
// Returns {mp, client, setNow(ms)}; setNow fixes the clock the SDK reads (Date.now in the context).
async function directClient(sb, options = {}) {
  const mp = createMiniProgram(Object.assign({ root: miniProgramRoot(), mode: { mathRandomThrows: true } }, options));
  const { client } = mp.require('/utils/zhenzisms.js');
  client.init(API_URL, APP_ID, APP_SECRET);
  client.configure({ relayUrl: sb.url });
  await client.ready();
  return {
    mp,
    client,
    setNow(ms) {
      mp.global.Date.now = () => ms;
    },
  };
}

// Cloud mode: the drop-in calls the built cloud function through wx.cloud.callFunction; the
// function's wx-server-sdk is the stand-in `cloudSdk` (in-memory DB, mutable OPENID). Every
// cloud reply the mini-program receives is recorded in `replies`.
function cloudClient(cloudSdk, options = {}) {
  const mp = createMiniProgram(Object.assign({
    root: miniProgramRoot(),
    mode: { mathRandomThrows: true },
    cloudFunctions: { zhenzisms: CLOUD_INDEX },
    cloudRequire: (name) => (name === 'wx-server-sdk' ? cloudSdk : undefined),
  }, options));
  const replies = [];
  const callFunction = mp.wx.cloud.callFunction;
  mp.wx.cloud.callFunction = function (o) {
    const pending = callFunction(o);
    pending.then((r) => replies.push(JSON.parse(JSON.stringify(r))), () => {});
    return pending;
  };
  const { client } = mp.require('/utils/zhenzisms.js');
  client.initCloud({ name: 'zhenzisms' });
  return { mp, client, replies };
}

// The built cloud function loaded in this process with `cloudSdk` as its wx-server-sdk, so a
// test can call exports.main itself (a fresh copy of the function and its SDK per call).
function loadCloudFunction(cloudSdk) {
  const cache = new Map();
  function load(filename) {
    if (cache.has(filename)) return cache.get(filename).exports;
    const m = new Module(filename, null);
    m.filename = filename;
    const nodeRequire = Module.createRequire(filename);
    m.require = (id) => {
      if (id === 'wx-server-sdk') return cloudSdk;
      const resolved = nodeRequire.resolve(id);
      return resolved.endsWith('.js') ? load(resolved) : nodeRequire(id);
    };
    cache.set(filename, m);
    m._compile(fs.readFileSync(filename, 'utf8'), filename);
    return m.exports;
  }
  return require('../cloudmode/helpers.js').withInvocationEnv(load(CLOUD_INDEX), cloudSdk);
}

// Sets the cloud function's environment for the duration of `fn` (restoring what was there).
async function withEnv(vars, fn) {
  const saved = {};
  for (const k of Object.keys(vars)) {
    saved[k] = process.env[k];
    if (vars[k] === undefined) delete process.env[k];
    else process.env[k] = String(vars[k]);
  }
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(saved)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

function cloudEnv(sb, extra = {}) {
  return Object.assign({ ZHENZI_APP_ID: APP_ID, ZHENZI_APP_SECRET: APP_SECRET, ZHENZI_API_URL: sb.url }, extra);
}

// The code in the newest message the sandbox delivered to `number` (the "phone").
function lastCode(sb, number) {
  const inbox = sb.inbox(number);
  if (!inbox.length) throw new Error('no message reached ' + number);
  const m = /\d{4,8}/.exec(inbox[inbox.length - 1].message);
  if (!m) throw new Error('no code in "' + inbox[inbox.length - 1].message + '"');
  return m[0];
}

// Every string inside a value (keys included), for "the code is not stored in clear".
function strings(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  }
  return out;
}

// Whether text `s` holds `code` in clear: as a token of its own, not by chance inside a longer run
// of digits or hex (a 64-hex keyed hash holds a given 6-digit string about once in 3e5 hashes).
function holds(s, code) {
  return new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`).test(s);
}

// The "wrong" code for `code`: same length, every digit different.
function wrongCode(code) {
  return code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
}

// Numbers of the form 1[3-9]X…: distinct per (prefix, i) so tests do not share cooldowns.
function phone(prefix, i = 0) {
  return String(prefix) + String(i).padStart(11 - String(prefix).length, '0');
}

module.exports = {
  ROOT, DIST, CLOUD_INDEX, APP_ID, APP_SECRET, API_URL,
  miniProgramRoot, directClient, cloudClient, loadCloudFunction, withEnv, cloudEnv,
  lastCode, strings, holds, wrongCode, phone,
};
