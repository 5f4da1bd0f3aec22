'use strict';
// How each kind of docs block runs (the convention: docs/contributing.md, "Code blocks in the docs").
//
//   page   mini-program page code, in the simulator (tests/simulator/) with the built dist/utils/ in
//          utils/ (and dist/npm's miniprogram_dist as miniprogram_npm/zhenzisms-wasm/, for
//          require('zhenzisms-wasm')), the relay pointed at the sandbox. `cloud`: cloud mode, with the
//          built cloud function and the wx-server-sdk stand-in (tests/cloud/); `env.NAME=value` sets
//          one of its variables. The block is the page's .js file; if it calls Page({...}),
//          `tap=a,b` calls those handlers in turn, waiting for what each started. `continues`: the
//          block goes on from the one before it (the two run as one file).
//   node   a file of its own (.mjs when it uses import), run by Node in a child process, where
//          require('zhenzisms-wasm') and ./dist/npm are the built package; the vendors' hosts go to
//          the sandbox, nothing else leaves loopback (tests/docs/node-preload.js). It is also
//          type-checked as JavaScript (checkJs, --strict but noImplicitAny) against the typings.
//   cloud  a cloud function's index.js (or, without exports.main, the body of one, with `cloud`,
//          `event` and `OPENID` given), beside the built zhenzisms function; the user has just
//          verified `number`, and the function is called with {number, token}.
//   ts     TypeScript, type-checked with tsc --strict against the shipped typings.
//   sh     shell: every command is one the checker knows, every ./build.sh verb exists, every file or
//          folder it names is in the repository (or made by the build), every flag it gives a
//          script is one the script reads.
//   json   parsed.   none: <why>   not code (an output sample): nothing to run, the reason is required.
//
// What passes (page, node): every SDK call the block makes is answered exactly once, and each answer
// is a success (res.data.code 0, validateCode 'ok', a fulfilled Promise), with at least one call;
// `expect=none`: no call at all; `expect=settled`: answered, whatever the answer; `expect=a,b,…`:
// the answers, in the order of the calls (codes as numbers, validateCode results as words).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const { ROOT } = require('./blocks.js');
const { startSandbox } = require('../../sandbox/server.js');
const { DEFAULT_TENCENT } = require('../../sandbox/tencent.js');
const { createMiniProgram } = require('../simulator');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');

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

// ---- answers: what each SDK call of a block got ----

/** What an answer counts as: a code (number or the cloud's word) or a validateCode result. */
function answerOf(value, second) {
  if (value === null && second && second.code !== undefined) return second.code;
  if (typeof value === 'string') return value;
  if (value && value.data && typeof value.data === 'object' && 'code' in value.data) {
    const n = Number(value.data.code);
    return Number.isNaN(n) ? value.data.code : n;
  }
  if (value && value.code !== undefined) return value.code; // a ZhenziError
  return 'ok';
}

const SUCCESS = new Set([0, 'ok']);

/** Check the calls a block made against its `expect` option; throws with what went wrong. */
function judge(calls, expect, where) {
  const seen = calls.map((c) => `${c.method} → ${c.answers.length ? c.answers.map(String).join(' + ') : 'no answer'}`).join('; ');
  const fail = (why) => {
    throw new Error(`${where}: ${why} (calls: ${seen || 'none'})`);
  };
  if (expect === 'none') {
    if (calls.length) fail('expected no SDK call');
    return;
  }
  for (const c of calls) {
    if (c.threw) continue;
    if (c.answers.length === 0) fail(`${c.method} was never answered`);
    if (c.answers.length > 1) fail(`${c.method} was answered ${c.answers.length} times`);
  }
  const answered = calls.filter((c) => !c.threw && c.counts);
  if (expect === 'settled') return;
  if (expect) {
    const want = expect.split(',').map((w) => (/^-?\d+$/.test(w) ? Number(w) : w));
    const got = answered.map((c) => c.answers[0]);
    if (JSON.stringify(got) !== JSON.stringify(want)) fail(`expected ${want.join(',')}, got ${got.join(',')}`);
    return;
  }
  if (answered.length === 0) fail('no SDK call was answered: a block that calls nothing says expect=none');
  const bad = answered.filter((c) => !SUCCESS.has(c.answers[0]));
  if (bad.length) fail(`not a success: ${bad.map((c) => `${c.method} → ${c.answers[0]}`).join(', ')}`);
}

const CLIENT_CALLS = ['send', 'sendCode', 'balance', 'findSmsByMessageId', 'validateCode', 'createCode'];
const HOOKS = ['success', 'fail', 'complete'];

/** Record every call of the vendor client and each answer it gets, without changing what it does. */
function witnessClient(client, calls) {
  for (const method of CLIENT_CALLS) {
    const original = client[method];
    if (typeof original !== 'function') continue;
    client[method] = function witnessed(...args) {
      const call = { method, answers: [], counts: method !== 'createCode', threw: null };
      calls.push(call);
      let callback = false;
      const given = args.map((a, i) => {
        if (typeof a === 'function') {
          callback = true;
          return function answered(value, second) {
            call.answers.push(answerOf(value, second));
            return a.apply(this, arguments);
          };
        }
        if (i === 0 && a && typeof a === 'object' && HOOKS.some((h) => typeof a[h] === 'function')) {
          callback = true;
          const o = Object.assign({}, a);
          const only = HOOKS.filter((h) => typeof a[h] === 'function');
          for (const h of only) {
            o[h] = function hooked(res) {
              if (h !== 'complete' || only.length === 1) call.answers.push(answerOf(res));
              return a[h].apply(this, arguments);
            };
          }
          return o;
        }
        return a;
      });
      let ret;
      try {
        ret = original.apply(this, given);
      } catch (e) {
        call.threw = e;
        throw e;
      }
      if (method === 'validateCode' && typeof ret === 'string') call.answers.push(ret);
      else if (!callback && ret && typeof ret.then === 'function') {
        ret.then((v) => call.answers.push(answerOf(v)), (e) => call.answers.push(answerOf(null, e)));
      } else if (method === 'createCode') call.answers.push('made');
      return ret;
    };
  }
}

// ---- page ----

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `zhenzisms-docs-${prefix}-`));
}

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
  const env = { ZHENZI_APP_ID: FIXTURE.appId, ZHENZI_APP_SECRET: FIXTURE.appSecret, ZHENZI_API_URL: sb.url, ZHENZI_VERIFY_KEY: 'docs-verify-key' };
  for (const [k, v] of Object.entries(marker.options)) if (k.startsWith('env.')) env[k.slice(4)] = v;
  return env;
}

/** The newest code the sandbox delivered to `number` ('' when none). */
function newestCode(sb, number) {
  const inbox = sb.inbox(number);
  const m = inbox.length ? /\d{4,8}/.exec(inbox[inbox.length - 1].message) : null;
  return m ? m[0] : '';
}

/**
 * A simulator for a block: cloud mode gets the built zhenzisms function (and `extra` functions),
 * the stand-in wx-server-sdk whose callFunction goes through the simulator, as the same user.
 */
function simulatorFor(root, sb, cloud, extra) {
  const options = { root, requestDomains: [sb.url], mode: { mathRandomThrows: true } };
  let mp = null;
  if (cloud) {
    const sdk = createCloudSdk();
    const routed = Object.assign({}, sdk, { callFunction: (o) => mp.wx.cloud.callFunction({ name: o.name, data: o.data }) });
    options.cloudFunctions = Object.assign({ zhenzisms: path.join(DIST_CLOUD, 'index.js') }, extra);
    options.cloudRequire = (name) => (name === 'wx-server-sdk' ? routed : undefined);
  }
  mp = createMiniProgram(options);
  return mp;
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
          page[handler]({ type: 'tap', detail: {} });
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
    '  const { OPENID } = cloud.getWXContext();',
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

// ---- node ----

/** A folder where require('zhenzisms-wasm') and ./dist/npm are the built package. */
function nodeProject() {
  const dir = tempDir('node');
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(DIST_NPM, path.join(dir, 'node_modules/zhenzisms-wasm'), 'dir');
  fs.symlinkSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), 'dir');
  return dir;
}

const isModule = (code) => /^\s*(import|export)\s/m.test(code);

/** The file name a node block gives itself on its first line ("// try.js — …"), or null. */
function ownName(code) {
  const m = /^\/\/\s*([\w.-]+\.(?:c|m)?js)\b/.exec(code);
  return m ? m[1] : null;
}

function runNode(block, sb) {
  const dir = nodeProject();
  const file = path.join(dir, isModule(block.code) ? 'block.mjs' : 'block.js');
  fs.writeFileSync(file, block.code);
  const out = path.join(dir, 'outcomes.json');
  const env = Object.assign({}, process.env, {
    DOCS_SANDBOX_URL: sb.url,
    DOCS_ROOT: ROOT,
    DOCS_OUTCOMES: out,
    DOCS_FIXTURE: JSON.stringify(FIXTURE),
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', path.join(__dirname, 'node-preload.js'), file], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      try {
        if (status !== 0) throw new Error(`${block.id}: node exited ${status === null ? `on ${signal}` : status}:\n${output}`);
        const outcomes = JSON.parse(fs.readFileSync(out, 'utf8'));
        const calls = outcomes.map((o) => ({ method: o.call, answers: o.outcome === null ? [] : [o.outcome], counts: true }));
        judge(calls, block.marker.options.expect, block.id);
        resolve({ output, calls });
      } catch (e) {
        reject(e);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

// ---- ts (and the node blocks, as JavaScript) ----

const FIXTURE_DTS = `${Object.entries(FIXTURE).map(([k, v]) => `declare const ${k}: ${typeof v};`).join('\n')}\n`;

/** One tsc run over `blocks` in a folder where 'zhenzisms-wasm' is the built package → Map id → text. */
function tsc(blocks, extra) {
  const { spawnSync } = require('child_process');
  const dir = nodeProject();
  const files = blocks.map((b, i) => {
    const ts = b.marker.kind === 'ts';
    const ext = ts ? (isModule(b.code) ? '.ts' : '.cts') : (isModule(b.code) ? '.mjs' : '.js');
    const name = `block${i}${ext}`;
    fs.writeFileSync(path.join(dir, name), b.code);
    return { name, block: b };
  });
  fs.writeFileSync(path.join(dir, 'fixture.d.ts'), FIXTURE_DTS);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: Object.assign({
      strict: true,
      noEmit: true,
      allowJs: true,
      checkJs: true,
      target: 'es2020',
      lib: ['es2020', 'dom'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      types: ['node'],
      typeRoots: [path.join(ROOT, 'tools/node_modules/@types')],
      skipLibCheck: true,
    }, extra),
    files: ['fixture.d.ts'].concat(files.map((f) => f.name)),
  }));
  const run = spawnSync(process.execPath, [path.join(ROOT, 'tools/node_modules/typescript/bin/tsc'), '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  const text = `${run.stdout}${run.stderr}`;
  const found = new Map(files.map((f) => [f.block.id, '']));
  for (const line of text.split('\n')) {
    const m = /(?:^|\/)(block\d+\.\w+)\((\d+),\d+\): (.*)$/.exec(line.trim());
    const f = m && files.find((x) => x.name === m[1]);
    if (f) found.set(f.block.id, `${found.get(f.block.id)}${f.block.file}:${f.block.line + Number(m[2])}: ${m[3]}\n`);
  }
  // A failure that names no block (a broken set-up) must not pass silently.
  if (run.status !== 0 && [...found.values()].every((v) => v === '')) throw new Error(`tsc failed:\n${text}`);
  return found;
}

/**
 * ts blocks under tsc --strict; node blocks as JavaScript (checkJs) under --strict without
 * noImplicitAny (plain JS has no annotations to give; null checks and the typings still apply).
 * → Map block id → diagnostics ('' when clean).
 */
function typeCheck(blocks) {
  const ts = blocks.filter((b) => b.marker.kind === 'ts');
  const js = blocks.filter((b) => b.marker.kind === 'node');
  return new Map([...(ts.length ? tsc(ts, {}) : []), ...(js.length ? tsc(js, { noImplicitAny: false }) : [])]);
}

module.exports = {
  FIXTURE, TENCENT_EXAMPLE, startDocSandbox, runPage, runCloud, runNode, typeCheck, judge, answerOf, ownName, cloudSource,
};
