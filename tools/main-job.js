// The main job, end to end, as `./build.sh` shows it to a newcomer: the built drop-in
// (dist/utils/) running in the mini-program runtime simulator sends a verification code
// through the local Zhenzi sandbox, the code is read from the sandbox's inbox (the "phone"),
// verified, and refused when used again. Then the same through cloud mode, where the code
// never reaches the mini-program. Every step is printed; any surprise exits non-zero.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startSandbox } = require('../tests/sandbox/server.js');
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

async function main() {
  const sandbox = await startSandbox({ port: 0 });
  step(`local Zhenzi sandbox at ${sandbox.url}`);
  try {
    await directMode(sandbox);
    await cloudMode(sandbox);
    console.log('\nmain job: ok');
  } finally {
    await sandbox.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
