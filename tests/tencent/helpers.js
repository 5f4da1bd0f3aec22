// Shared by tests/tencent: the built npm package's TencentSmsClient, a sandbox whose clock the
// test controls (the client signs with the same clock, so skew is chosen, not accidental), and
// the sandbox's Tencent accounts (sandbox/tencent.js).
'use strict';
const { before, beforeEach, after } = require('node:test');
const path = require('path');
const { startSandbox } = require('../../sandbox/server.js');
const { DEFAULT_TENCENT } = require('../../sandbox/tencent.js');

const DIST = path.resolve(__dirname, '../../dist');
const npm = require(DIST + '/npm/zhenzisms.js');
const nodePlatform = require(DIST + '/npm/zhenzisms_node.js');
const { TencentSmsClient } = npm;

const [PERMANENT, TEMPORARY] = DEFAULT_TENCENT.credentials;
const APP = DEFAULT_TENCENT.apps[0];
const NUMBER = '13800138000';

// A clock both sides read: ms since the epoch, moved by tests.
const clock = { ms: Date.UTC(2026, 0, 2, 3, 4, 5) };

function useSandbox(use) {
  let sb;
  before(async () => {
    sb = await startSandbox({ port: 0, now: () => new Date(clock.ms) });
    use(sb);
  });
  beforeEach(() => {
    sb.reset();
    clock.ms += 60000; // past any 30 s limit of the previous test
  });
  after(async () => {
    await sb.close();
    for (const agent of Object.values(nodePlatform.agents)) agent.destroy();
  });
}

function clientFor(sb, overrides = {}) {
  return new TencentSmsClient(Object.assign({
    secretId: PERMANENT.secretId,
    secretKey: PERMANENT.secretKey,
    sdkAppId: APP.sdkAppId,
    signName: APP.signNames[0],
    endpoint: sb.url,
    now: () => clock.ms,
  }, overrides));
}

// The cloud function's environment for Tencent as the guide's five variables (explicit keys), with
// the sandbox at `endpoint` as Tencent; `more` overrides or adds.
function tencentEnv(endpoint, more = {}) {
  return Object.assign({
    SMS_PROVIDER: 'tencent',
    TENCENT_SMS_SDK_APP_ID: APP.sdkAppId,
    TENCENT_SMS_SIGN_NAME: APP.signNames[0],
    TENCENT_SMS_TEMPLATE_ID: '100001',
    TENCENT_SMS_ENDPOINT: endpoint,
    TENCENT_SECRET_ID: PERMANENT.secretId,
    TENCENT_SECRET_KEY: PERMANENT.secretKey,
  }, more);
}

// The rejection of `promise` (fails the test if it resolves or throws something else).
async function rejection(promise) {
  try {
    const value = await promise;
    throw new Error('expected a rejection, got ' + JSON.stringify(value));
  } catch (e) {
    if (e instanceof npm.ZhenziError) return e;
    throw e;
  }
}

module.exports = { tencentEnv, DIST, npm, nodePlatform, TencentSmsClient, PERMANENT, TEMPORARY, APP, NUMBER, clock, useSandbox, clientFor, rejection, startSandbox };
