'use strict';
// What every kind of docs block runs against (docs/contributing.md, "Code blocks in the docs"): the
// names a block may use without defining them, the sandbox with the guide's example accounts, the
// built dist/ folders, and the temporary folders blocks run in.
const fs = require('fs');
const os = require('os');
const path = require('path');

const { ROOT } = require('./blocks.js');
const { startSandbox } = require('../../sandbox/server.js');
const { DEFAULT_TENCENT } = require('../../sandbox/tencent.js');

const DIST_UTILS = path.join(ROOT, 'dist/utils');
const DIST_NPM = path.join(ROOT, 'dist/npm');
const DIST_CLOUD = path.join(ROOT, 'dist/cloudfunctions/zhenzisms');

// The names a block may use without defining them: what the reader fills in (an account of the
// sandbox, a number, what the user typed). Documented in docs/contributing.md.
const FIXTURE = {
  appId: '10001',
  appSecret: 'sandbox-secret-10001',
  apiUrl: 'https://sms_developer.zhenzikj.com',
  number: '15811111111',
  message: '您的订单已发货',
  messageId: 'doc-1',
  clientIp: '10.0.0.1',
  templateId: '1001',
  length: 6,
  seconds: 300,
  secretId: 'AKIDsandboxPermanent',
  secretKey: 'sandbox-tencent-key',
};
// Page blocks also have `inputCode` and `code` (the newest code the sandbox delivered to `number`,
// read when the name is used: what the user typed) and `cb` (a callback that does nothing).

// The example account the guide's Tencent block names (Tencent's own documented example values).
const TENCENT_EXAMPLE = {
  sdkAppId: '1400006666',
  signNames: ['腾讯云'],
  templates: { 123456: { text: '您的验证码为{1}，{2}分钟内有效。', verification: true } },
};

function startDocSandbox() {
  return startSandbox({ port: 0, tencent: { apps: DEFAULT_TENCENT.apps.concat([TENCENT_EXAMPLE]) } });
}

/** The vendor's hosts and the demo's sandbox address in a block's text → the sandbox (page blocks). */
function pointAtSandbox(code, sandboxUrl) {
  return code.replace(/http:\/\/127\.0\.0\.1:8787/g, sandboxUrl);
}

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `zhenzisms-docs-${prefix}-`));
}

/** The newest code the sandbox delivered to `number` ('' when none). */
function newestCode(sb, number) {
  const inbox = sb.inbox(number);
  const m = inbox.length ? /\d{4,8}/.exec(inbox[inbox.length - 1].message) : null;
  return m ? m[0] : '';
}

/** A folder where require('zhenzisms-wasm') and ./dist/npm are the built package. */
function nodeProject() {
  const dir = tempDir('node');
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(DIST_NPM, path.join(dir, 'node_modules/zhenzisms-wasm'), 'dir');
  fs.symlinkSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), 'dir');
  return dir;
}

const isModule = (code) => /^\s*(import|export)\s/m.test(code);

module.exports = {
  ROOT, DIST_UTILS, DIST_NPM, DIST_CLOUD, FIXTURE, TENCENT_EXAMPLE, startDocSandbox, pointAtSandbox, tempDir, newestCode, nodeProject, isModule,
};
