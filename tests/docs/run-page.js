'use strict';
// `page` blocks (mini-program page code in the simulator, against the sandbox) and `cloud` blocks (a
// cloud function beside the built zhenzisms function), as docs/contributing.md describes them.
const fs = require('fs');
const path = require('path');

const { DIST_UTILS, DIST_NPM, DIST_CLOUD, FIXTURE, pointAtSandbox, tempDir, newestCode } = require('./fixture.js');
const { judge, witnessClient } = require('./answers.js');
const { createMiniProgram } = require('../simulator');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');

/** A mini-program for one block: the built SDK in utils/ and as the npm package, the block as a page. */
function makeMiniProgramRoot(code) {
  const root = tempDir('mp');
  fs.cpSync(DIST_UTILS, path.join(root, 'utils'), { recursive: true });
  fs.cpSync(path.join(DIST_NPM, 'miniprogram_dist'), path.join(root, 'miniprogram_npm/zhenzisms-wasm'), { recursive: true });
  fs.mkdirSync(path.join(root, 'pages/doc'), { recursive: true });
  fs.writeFileSync(path.join(root, 'pages/doc/doc.js'), code);
  fs.writeFileSync(path.join(root, 'app.json'), JSON.stringify({ pages: ['pages/doc/doc'] }));
  return root;
}

/** Environment variables set for the length of `fn` (the cloud function reads process.env). */
async function withEnv(vars, fn) {
  const saved = {};
  for (const k of Object.keys(vars)) {
    saved[k] = process.env[k];
    process.env[k] = vars[k];
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

function cloudEnv(sb, marker) {
  const env = { ZHENZI_APP_ID: FIXTURE.appId, ZHENZI_APP_SECRET: FIXTURE.appSecret, ZHENZI_API_URL: sb.url, ZHENZI_VERIFY_KEY: 'docs-verify-key-0123456789abcdef-0123456789' };
  for (const [k, v] of Object.entries(marker.options)) if (k.startsWith('env.')) env[k.slice(4)] = v;
  return env;
}

/**
 * A simulator for a block: cloud mode gets the built zhenzisms function (and `extra` functions),
 * the stand-in wx-server-sdk whose callFunction goes through the simulator, as the same user.
 */
function simulatorFor(root, sb, cloud, extra) {
  const options = { root, requestDomains: [sb.url], mode: { mathRandomThrows: true } };
  let mp = null;
  let routedSdk = null;
  if (cloud) {
    const sdk = createCloudSdk();
    const routed = Object.assign({}, sdk, { callFunction: (o) => mp.wx.cloud.callFunction({ name: o.name, data: o.data }) });
    routedSdk = sdk;
    options.cloudFunctions = Object.assign({ zhenzisms: path.join(DIST_CLOUD, 'index.js') }, extra);
    options.cloudRequire = (name) => (name === 'wx-server-sdk' ? routed : undefined);
  }
  mp = createMiniProgram(options);
  mp.docCloud = options.cloudFunctions ? routedSdk : null; // the phone-number fixture, for `phone`
  return mp;
}

// What a tap hands its handler: a plain tap, or with `phone` the getPhoneNumber button's event after
// the user consented, carrying a code the phone-number fixture issued for the fixture's number.
function tapEvent(block, marker, mp) {
  if (!marker.flags.has('phone')) return { type: 'tap', detail: {} };
  if (!mp.docCloud) throw new Error(`${block.id}: phone needs cloud (the code is exchanged by the cloud function)`);
  return { type: 'getphonenumber', detail: { errMsg: 'getPhoneNumber:ok', code: mp.docCloud.phone.issue({ phoneNumber: FIXTURE.number }) } };
}

function defineFixture(mp, sb) {
  for (const [k, v] of Object.entries(FIXTURE)) mp.global[k] = v;
  for (const name of ['inputCode', 'code']) {
    Object.defineProperty(mp.global, name, { configurable: true, get: () => newestCode(sb, FIXTURE.number) });
  }
  mp.global.cb = mp.run('(function cb(res) {})', 'fixture.js');
}

async function runPage(block, sb) {
  const marker = block.marker;
  const cloud = marker.flags.has('cloud');
  let source = block.code;
  if (marker.flags.has('continues')) {
    if (!block.previous) throw new Error(`${block.id}: continues, but it is the first block`);
    source = `${block.previous.code}\n${source}`;
  }
  const code = pointAtSandbox(source, sb.url);
  const root = makeMiniProgramRoot(code);
  const work = async () => {
    const mp = simulatorFor(root, sb, cloud, {});
    const calls = [];
    try {
      defineFixture(mp, sb);
      // The SDK the block requires (utils/, or the npm package after 构建 npm), set up as the
      // runner's hosts file would: its relay is the sandbox.
      const entry = /require\('zhenzisms-wasm'\)/.test(code) ? '/miniprogram_npm/zhenzisms-wasm/index.js' : '/utils/zhenzisms.js';
      const sdk = mp.require(entry);
      sdk.client.configure({ relayUrl: sb.url });
      await sdk.client.ready();
      witnessClient(sdk.client, calls);
      mp.require('/pages/doc/doc.js');
      if (mp.app && typeof mp.app.onLaunch === 'function') mp.app.onLaunch({});
      await mp.pending();
      const taps = (marker.options.tap || '').split(',').filter(Boolean);
      if (mp.pages['pages/doc/doc']) {
        const page = mp.openPage('pages/doc/doc');
        await mp.pending();
        for (const handler of taps) {
          if (typeof page[handler] !== 'function') throw new Error(`${block.id}: the page has no handler ${handler}`);
          page[handler](tapEvent(block, marker, mp));
          await mp.pending();
        }
      } else if (taps.length) {
        throw new Error(`${block.id}: tap= given, but the block defines no Page`);
      }
      if (mp.errors.length) throw new Error(`${block.id}: an exception in the page's callbacks: ${mp.errors[0] && mp.errors[0].stack}`);
      judge(calls, marker.options.expect, block.id);
      return { calls, logs: mp.logs };
    } finally {
      mp.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  };
  return cloud ? withEnv(cloudEnv(sb, marker), work) : work();
}

// ---- cloud ----

/** Wrap a fragment into a cloud function; a whole index.js (with exports.main) stays as it is. */
function cloudSource(code) {
  if (/\bexports\.main\b/.test(code)) return code;
  return [
    "const cloud = require('wx-server-sdk');",
    'cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });',
    'exports.main = async (event) => {',
    // A fragment that reads the context itself (const { OPENID, ENV } = …) is given none.
    /\bOPENID\b[^\n]*=\s*cloud\.getWXContext\(\)/.test(code) ? '' : '  const { OPENID } = cloud.getWXContext();',
    code,
    '};',
    '',
  ].join('\n');
}

async function runCloud(block, sb) {
  const marker = block.marker;
  const name = marker.options.name || (/cloudfunctions\/(\w+)\//.exec(block.code) || [])[1] || 'docfn';
  const dir = tempDir('cloud');
  const fnDir = path.join(dir, 'cloudfunctions', name);
  fs.mkdirSync(fnDir, { recursive: true });
  fs.writeFileSync(path.join(fnDir, 'index.js'), cloudSource(block.code));
  // The guide tells a function that checks tokens offline to copy zhenzisms_token.js beside it.
  fs.copyFileSync(path.join(DIST_CLOUD, 'zhenzisms_token.js'), path.join(fnDir, 'zhenzisms_token.js'));
  const root = makeMiniProgramRoot('');
  return withEnv(cloudEnv(sb, marker), async () => {
    const mp = simulatorFor(root, sb, true, { [name]: path.join(fnDir, 'index.js') });
    try {
      // The user verifies `number` first, through zhenzisms itself: a code, read from the phone.
      const call = (data) => mp.wx.cloud.callFunction({ name: 'zhenzisms', data }).then((r) => r.result);
      const sent = await call({ $url: 'sendCode', number: FIXTURE.number, message: '您的验证码为{code}' });
      if (sent.code !== 'success') throw new Error(`${block.id}: the verification before the call failed: ${JSON.stringify(sent)}`);
      const checked = await call({ $url: 'validateCode', number: FIXTURE.number, code: newestCode(sb, FIXTURE.number) });
      if (checked.code !== 'success') throw new Error(`${block.id}: the code was refused: ${JSON.stringify(checked)}`);
      const event = { number: FIXTURE.number, token: checked.verified && checked.verified.token };
      const r = await mp.wx.cloud.callFunction({ name, data: event });
      const result = r.result;
      if (result && typeof result === 'object' && result.ok === false) throw new Error(`${block.id}: the function answered ${JSON.stringify(result)}`);
      return { result };
    } finally {
      mp.dispose();
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

module.exports = { runPage, runCloud, cloudSource };
