'use strict';
// Shared by the tests/release suites: the release files made from the built dist/ (as
// `./build.sh release` makes them, into a temporary folder), Info-ZIP's unzip to open them (not
// our own reader), throwaway mini-programs in the simulator, and a page that sends a code and
// verifies it.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile, execFileSync } = require('node:child_process');
const { promisify } = require('node:util');
const { createMiniProgram } = require('../simulator');

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);

// Read here, not from tools/version.js, so a wrong stamp there cannot agree with itself.
const VERSION = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m.exec(fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))[1];
const NAMES = {
  utils: `zhenzisms-wasm-utils-${VERSION}.zip`,
  cloud: `zhenzisms-wasm-cloudfunction-${VERSION}.zip`,
  npm: `zhenzisms-wasm-${VERSION}.tgz`,
};
const NUMBER = '13800138000';
const APP = { appId: '10001', appSecret: 'sandbox-secret-10001' };

if (!fs.existsSync(path.join(ROOT, 'dist/npm/package.json'))) {
  throw new Error('dist/ is missing: run ./build.sh build first');
}

function tempDir(t, prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// tools/release.js into `out`; resolves to its stdout.
async function makeRelease(out, env) {
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'tools/release.js'), '--out', out], { cwd: ROOT, env: Object.assign({}, process.env, env) });
  return stdout;
}

function unzip(zip, dest) {
  try {
    execFileSync('unzip', ['-q', '-o', zip, '-d', dest], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error('unzip is not installed: run ./build.sh setup');
    throw e;
  }
}

// Every file under `dir`, relative, sorted.
function listFiles(dir, prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), prefix + e.name + '/'));
    else out.push(prefix + e.name);
  }
  return out.sort();
}

// A page written as a vendor-D user writes one; `sdkPath` is how it requires the SDK.
function pageSource(sdkPath, relayUrl) {
  return `
var zhenzisms = require(${JSON.stringify(sdkPath)});

Page({
  data: { phone: '', code: '', sent: null, result: '', version: '' },
  onLoad: function () {
    zhenzisms.client.init('https://sms_developer.zhenzikj.com', '${APP.appId}', '${APP.appSecret}');
    zhenzisms.client.configure({ relayUrl: ${JSON.stringify(relayUrl)} });
    this.setData({ version: zhenzisms.version });
  },
  getCode: function () {
    var that = this;
    zhenzisms.client.sendCode(function (res) {
      that.setData({ sent: res.data });
    }, { number: this.data.phone, message: '您的验证码为{code}，5分钟内有效。', seconds: 300, length: 6 });
  },
  verify: function () {
    this.setData({ result: zhenzisms.client.validateCode(this.data.phone, this.data.code) });
  }
});
`;
}

function writePage(root, sdkPath, relayUrl) {
  fs.mkdirSync(path.join(root, 'pages/login'), { recursive: true });
  fs.writeFileSync(path.join(root, 'app.json'), JSON.stringify({ pages: ['pages/login/login'] }));
  fs.writeFileSync(path.join(root, 'pages/login/login.js'), pageSource(sdkPath, relayUrl));
}

/**
 * Opens the mini-program at `root` (iOS rules, Math.random forbidden), taps "get code", reads
 * the code from the sandbox's inbox, types it, taps "verify", then verifies it again.
 * Resolves to what the page showed: {version, sent, received, result, again}.
 */
async function sendAndVerify(t, root, sb) {
  const mp = createMiniProgram({ root, mode: { ios: true, mathRandomThrows: true } });
  t.after(() => mp.dispose());
  const page = mp.openPage('pages/login/login');
  page.setData({ phone: NUMBER });
  page.getCode();
  await mp.pending();
  const sent = page.data.sent;
  const inbox = sb.inbox(NUMBER);
  const received = inbox.length ? inbox[inbox.length - 1].message : '';
  const code = (/(\d{6})/.exec(received) || [])[1] || '';
  page.setData({ code });
  page.verify();
  const result = page.data.result;
  page.verify();
  if (mp.errors.length) throw mp.errors[0];
  return { version: page.data.version, sent: JSON.parse(JSON.stringify(sent)), received, code, result, again: page.data.result };
}

module.exports = { ROOT, VERSION, NAMES, NUMBER, APP, run, tempDir, makeRelease, unzip, listFiles, writePage, sendAndVerify };
