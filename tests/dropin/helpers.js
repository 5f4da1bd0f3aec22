'use strict';
// Shared helpers for the drop-in tests: a throwaway mini-program made of the built dist/utils/
// (as a user copies it into their utils/) plus page files the tests write, the local Zhenzi
// sandbox, and small waits. Nothing here mocks wx.request: every call is real loopback HTTP.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSandbox } = require('../../sandbox/server.js');
const { createMiniProgram } = require('../simulator');

const REPO = path.resolve(__dirname, '../..');
const DIST_UTILS = path.join(REPO, 'dist/utils');
// The browser folder of the npm package (fetch, WebAssembly): what browsers and plain Node load.
const DIST_BROWSER = path.join(REPO, 'dist/npm/browser');

// What vendor users pass to init(): the individual-account host, which the relay forwards to.
const API_URL = 'https://sms_developer.zhenzikj.com';
const NUMBER = '13800138000';

// The sandbox's default fixture (sandbox/fixture.json).
const APPS = {
  ok: { appId: '10001', appSecret: 'sandbox-secret-10001' },
  banned: { appId: '10002', appSecret: 'sandbox-secret-10002' },
  noAccount: { appId: '10003', appSecret: 'sandbox-secret-10003' },
  ipWhitelist: { appId: '10004', appSecret: 'sandbox-secret-10004' },
  noBalance: { appId: '10005', appSecret: 'sandbox-secret-10005' },
  dailyCap: { appId: '10006', appSecret: 'sandbox-secret-10006' },
};

if (!fs.existsSync(path.join(DIST_UTILS, 'zhenzisms.js'))) {
  throw new Error(`${DIST_UTILS} is missing: run \`node tools/assemble.js\` first`);
}

// A fresh mini-program root holding a copy of dist/utils/ as utils/. Removed after the test.
function makeRoot(t) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-dropin-'));
  fs.cpSync(DIST_UTILS, path.join(root, 'utils'), { recursive: true });
  fs.writeFileSync(path.join(root, 'app.json'), JSON.stringify({ pages: [] }));
  const remove = () => fs.rmSync(root, { recursive: true, force: true });
  if (t) t.after(remove);
  else process.once('exit', remove);
  return root;
}

// Writes a page's .js (route like 'pages/sms/sms') into the root and lists it in app.json.
function writePage(root, route, source) {
  const file = path.join(root, route + '.js');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, source);
  const appJson = path.join(root, 'app.json');
  const app = JSON.parse(fs.readFileSync(appJson, 'utf8'));
  app.pages.push(route);
  fs.writeFileSync(appJson, JSON.stringify(app));
  return file;
}

// The simulator over `root` (a fresh one by default), disposed after the test. Unless the test
// says otherwise, wx.request may only reach the sandbox: nothing can leak to the real vendor.
function openMiniProgram(t, sb, options = {}) {
  const root = options.root || makeRoot(t);
  const mp = createMiniProgram(Object.assign({ requestDomains: [sb.url] }, options, { root }));
  t.after(() => mp.dispose());
  return mp;
}

// The SDK as a page gets it, pointed at the sandbox: the one line a test adds to a vendor page.
function loadSdk(mp, sb) {
  const zhenzisms = mp.require('/utils/zhenzisms.js');
  zhenzisms.client.configure({ relayUrl: sb.url });
  return zhenzisms;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Polls `predicate` until it returns something truthy; rejects after `ms` naming `what`.
async function waitFor(predicate, what, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = predicate();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

// A callback that records every call; `first` resolves on the first one.
function recorder() {
  const calls = [];
  let resolveFirst;
  const first = new Promise((resolve) => (resolveFirst = resolve));
  const cb = function (res) {
    calls.push(res);
    resolveFirst(res);
  };
  return { cb, calls, first };
}

// The last message the sandbox delivered to `number`, and the code in it.
function lastMessage(sb, number = NUMBER) {
  const inbox = sb.inbox(number);
  return inbox.length ? inbox[inbox.length - 1].message : null;
}

function codeIn(text, digits = '4,8') {
  const m = new RegExp(`(\\d{${digits}})`).exec(text || '');
  return m && m[1];
}

// A value made in the mini-program's realm, as a plain host value (deepStrictEqual compares
// prototypes, and the context's Object.prototype is not the host's).
function plain(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

// Vendor requests the sandbox logged (control endpoints are not logged).
function vendorRequests(sb) {
  return sb.requests.filter((r) => !r.path.startsWith('/__'));
}

module.exports = {
  REPO,
  DIST_UTILS,
  DIST_BROWSER,
  API_URL,
  NUMBER,
  APPS,
  startSandbox: (fixture) => startSandbox(fixture ? { port: 0, fixture } : { port: 0 }),
  makeRoot,
  writePage,
  openMiniProgram,
  loadSdk,
  sleep,
  waitFor,
  recorder,
  lastMessage,
  codeIn,
  vendorRequests,
  plain,
};
