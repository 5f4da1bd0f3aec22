// The main job, end to end, as `./build.sh` shows it to a newcomer: the built drop-in
// (dist/utils/) running in the mini-program runtime simulator sends a verification code
// through the local Zhenzi sandbox, the code is read from the sandbox's inbox (the "phone"),
// verified, and refused when used again. Then the same through cloud mode, where the code
// never reaches the mini-program; then a code sent through Tencent Cloud SMS (signed) and
// verified. Every step is printed; any surprise exits non-zero.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startSandbox } = require('../sandbox/server.js');
const { createMiniProgram } = require('../tests/simulator');
const { createCloudSdk } = require('../tests/cloud/wx-server-sdk-standin.js');

const ROOT = path.resolve(__dirname, '..');
const NUMBER = '13800138000';

function step(text) {
  console.log('  • ' + text);
}

function check(ok, what) {
  if (!ok) {
    console.error('main job failed: ' + what);
    process.exit(1);
  }
}

// A throwaway mini-program: app files from nothing but the built utils/.
function makeMiniProgram() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-main-'));
  fs.cpSync(path.join(ROOT, 'dist/utils'), path.join(root, 'utils'), { recursive: true });
  return root;
}

function codeIn(text) {
  const m = /(\d{4,8})/.exec(text);
  return m && m[1];
}

async function directMode(sandbox) {
  console.log('\ndirect mode (the vendor\'s model: appSecret in the package, requests through the relay)');
  const mp = createMiniProgram({ root: makeMiniProgram(), mode: { mathRandomThrows: true, ios: true } });
  try {
    const zhenzisms = mp.require('/utils/zhenzisms.js');
    zhenzisms.client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
    zhenzisms.client.configure({ relayUrl: sandbox.url });
    await zhenzisms.client.ready();
    step('utils/zhenzisms.js loaded its wasm through WXWebAssembly (iOS rules, Math.random forbidden)');
    const res = await new Promise((resolve) => zhenzisms.client.sendCode(resolve, NUMBER, '您的验证码为{code}，5分钟内有效。', '', 300, 6));
    step(`sendCode → res.data = ${JSON.stringify(res.data)}`);
    check(res.data.code === 0, 'sendCode did not succeed');
    const inbox = sandbox.inbox(NUMBER);
    const received = inbox[inbox.length - 1].message;
    const code = codeIn(received);
    step(`the phone received: "${received}"`);
    const first = zhenzisms.client.validateCode(NUMBER, code);
    step(`validateCode(${NUMBER}, ${code}) → ${first}`);
    check(first === 'ok', 'the received code was not accepted');
    const again = zhenzisms.client.validateCode(NUMBER, code);
    step(`validateCode again → ${again}`);
    check(again === 'code_used', 'a used code was accepted again');
  } finally {
    mp.dispose();
  }
}

async function cloudMode(sandbox) {
  console.log('\ncloud mode (recommended: the cloud function holds appSecret, makes and checks the code)');
  const cloudSdk = createCloudSdk();
  const env = { ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: 'sandbox-secret-10001', ZHENZI_API_URL: sandbox.url };
  Object.assign(process.env, env);
  const mp = createMiniProgram({
    root: makeMiniProgram(),
    cloudFunctions: { zhenzisms: path.join(ROOT, 'dist/cloudfunctions/zhenzisms/index.js') },
    cloudRequire: (name) => (name === 'wx-server-sdk' ? cloudSdk : undefined),
  });
  try {
    const zhenzisms = mp.require('/utils/zhenzisms.js');
    zhenzisms.client.initCloud({ name: 'zhenzisms' });
    const res = await zhenzisms.client.sendCode(null, { number: NUMBER, message: '您的验证码为{code}，5分钟内有效。' });
    step(`sendCode via wx.cloud.callFunction → res.data = ${JSON.stringify(res.data)}`);
    check(res.data.code === 0, 'cloud sendCode did not succeed');
    const page = JSON.stringify(mp.requests) + JSON.stringify([...mp.storage.values()]);
    const inbox = sandbox.inbox(NUMBER);
    const code = codeIn(inbox[inbox.length - 1].message);
    step(`the phone received a code; the mini-program never saw it: ${!page.includes(code)}`);
    check(!page.includes(code) && !page.includes('sandbox-secret'), 'the code or the secret reached the mini-program');
    const first = await zhenzisms.client.validateCode(NUMBER, code);
    step(`validateCode → ${first}`);
    check(first === 'ok', 'the cloud function refused the received code');
    const again = await zhenzisms.client.validateCode(NUMBER, code);
    step(`validateCode again → ${again}`);
    check(again === 'code_used', 'the cloud function accepted a used code');
  } finally {
    mp.dispose();
    for (const k of Object.keys(env)) delete process.env[k];
  }
}

// The cloud function's Tencent provider (zhenzisms_provider.js, SMS_PROVIDER=tencent) with the
// runtime's temporary credentials: the core issues a code, the provider sends it signed
// (TC3-HMAC-SHA256) to the sandbox's Tencent endpoint, which verifies the signature; the code
// read from the phone is verified once and refused when used again.
async function tencentPath(sandbox) {
  console.log('\nTencent Cloud SMS (the cloud function\'s provider, SMS_PROVIDER=tencent, signed requests)');
  const dir = path.join(ROOT, 'dist/cloudfunctions/zhenzisms');
  const sdk = require(path.join(dir, 'zhenzisms.js'));
  const { fromEnv } = require(path.join(dir, 'zhenzisms_provider.js'));
  await sdk.ready();
  const core = sdk._core();
  const provider = fromEnv({
    SMS_PROVIDER: 'tencent',
    TENCENT_SMS_SDK_APP_ID: '1400000001',
    TENCENT_SMS_SIGN_NAME: '云短信体验',
    TENCENT_SMS_TEMPLATE_ID: '100001',
    TENCENT_SMS_ENDPOINT: sandbox.url,
    TENCENTCLOUD_SECRETID: 'AKIDsandboxTemporary',
    TENCENTCLOUD_SECRETKEY: 'sandbox-temporary-key',
    TENCENTCLOUD_SESSIONTOKEN: 'sandbox-session-token',
  });
  check(provider.name === 'tencent' && provider.problems.length === 0, 'provider problems: ' + provider.problems.join('; '));
  const number = '13900139000';
  const issued = core.codeIssue({ number, now: Date.now(), key: 'main-job-key' }, new Uint8Array(require('crypto').randomBytes(64)));
  check(issued.ok, 'the core did not issue a code');
  const sent = await provider.sendCode({ number, code: issued.ok.code, minutes: 5, budgetMs: 2500 });
  step(`provider.sendCode (temporary credentials + X-TC-Token) → ${JSON.stringify(sent)}`);
  check(sent.ok === true, 'the Tencent send did not succeed');
  const inbox = sandbox.inbox(number);
  const received = inbox[inbox.length - 1].message;
  step(`the phone received: "${received}" (the sandbox verified the TC3 signature with Node's crypto)`);
  const verify = (record) => core.codeVerify({ number, code: codeIn(received), now: Date.now(), key: 'main-job-key', record }).ok;
  const first = verify(issued.ok.record);
  step(`codeVerify → ${first.result}`);
  check(first.result === 'ok', 'the received code was not accepted');
  const again = verify(first.record);
  step(`codeVerify again → ${again.result}`);
  check(again.result === 'code_used', 'a used code was accepted again');
  for (const agent of Object.values(require(path.join(dir, 'zhenzisms_node.js')).agents)) agent.destroy();
}

async function main() {
  const sandbox = await startSandbox({ port: 0 });
  step(`local Zhenzi sandbox at ${sandbox.url}`);
  try {
    await directMode(sandbox);
    await cloudMode(sandbox);
    await tencentPath(sandbox);
    console.log('\nmain job: ok');
  } finally {
    await sandbox.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
