'use strict';
// The drop-in suite's core scenarios in JavaScriptCore with the JIT off — the engine of iOS
// WeChat — on the real dist/utils/ files and wasm. Node starts the sandbox, writes the package
// as a define() bundle, runs `jsc --useJIT=false runtime.js bundle.js scenarios.js`, and answers
// the bridge (HTTP to the sandbox, CSPRNG bytes, the decompressed wasm). See README.md.
// jsc missing is a failure, not a skip: ./build.sh test installs it.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const crypto = require('node:crypto');
const zlib = require('node:zlib');
const readline = require('node:readline');
const { spawn, spawnSync } = require('node:child_process');
const { startSandbox } = require('../../sandbox/server.js');

const REPO = path.resolve(__dirname, '../..');
const DIST_UTILS = path.join(REPO, 'dist/utils');
const JSC = process.env.JSC || 'jsc';

function ascii(text) {
  return text.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

// A package: dist/utils as utils/ (without the wasm for 'nowasm') and a page requiring it.
function makePackage(t, withWasm) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-jsc-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.cpSync(DIST_UTILS, path.join(root, 'utils'), { recursive: true });
  if (!withWasm) fs.rmSync(path.join(root, 'utils/zhenzisms_bg.wasm.br'));
  fs.mkdirSync(path.join(root, 'pages/login'), { recursive: true });
  fs.writeFileSync(path.join(root, 'pages/login/login.js'), "var zhenzisms = require('../../utils/zhenzisms.js');\nmodule.exports = zhenzisms;\n");
  // Every .js of the package wrapped as WeChat's packer wraps it.
  const parts = [];
  (function walk(dir) {
    for (const name of fs.readdirSync(path.join(root, dir)).sort()) {
      const rel = dir ? `${dir}/${name}` : name;
      if (fs.statSync(path.join(root, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.js')) parts.push(`define(${JSON.stringify(rel)}, function (require, module, exports) {\n${fs.readFileSync(path.join(root, rel), 'utf8')}\n});`);
    }
  })('');
  const bundle = path.join(root, '.bundle.js');
  fs.writeFileSync(bundle, parts.join('\n'));
  return { root, bundle };
}

// The bridge's requests: what a phone's native side does for the logic layer.
function makeBridge(root, sb, tmp) {
  return {
    request(m) {
      const url = new URL(m.url);
      if (url.origin !== sb.url && url.hostname !== '127.0.0.1') return Promise.resolve({ fail: 'url not in domain list', errno: 600002 });
      return new Promise((resolve) => {
        const req = http.request(url, { method: m.method, headers: m.header, timeout: m.timeout || 60000 }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode, header: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (e) => resolve({ fail: e.message }));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', (e) => resolve({ fail: e.message }));
        req.end(m.data || '');
      });
    },
    random(m) {
      return Promise.resolve({ hex: crypto.randomBytes(m.length).toString('hex') });
    },
    wasm(m) {
      const rel = path.posix.normalize(m.path.replace(/^\/+/, ''));
      const file = path.join(root, rel);
      if (rel.startsWith('..') || !fs.existsSync(file)) return Promise.resolve({ error: 'file not found' });
      let bytes = fs.readFileSync(file);
      if (rel.endsWith('.br')) bytes = zlib.brotliDecompressSync(bytes);
      const out = path.join(tmp, `m${crypto.randomBytes(4).toString('hex')}.wasm`);
      fs.writeFileSync(out, bytes);
      return Promise.resolve({ file: out });
    },
    inbox(m) {
      const inbox = sb.inbox(m.number);
      return Promise.resolve({ message: inbox.length ? inbox[inbox.length - 1].message : null });
    },
  };
}

// Runs the scenarios of `mode`; resolves to {results, logs, done, stderr, code}.
function runJsc(t, sb, mode) {
  const { root, bundle } = makePackage(t, mode === 'full');
  const bridge = makeBridge(root, sb, root);
  const args = ['--useJIT=false', path.join(__dirname, 'runtime.js'), bundle, path.join(__dirname, 'scenarios.js'), '--', mode, sb.url];
  return new Promise((resolve, reject) => {
    const child = spawn(JSC, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = { results: [], logs: [], done: null, stderr: '', other: [] };
    const timer = setTimeout(() => child.kill('SIGKILL'), 120000);
    child.on('error', (e) => reject(new Error(`cannot run ${JSC} (./build.sh test installs Debian's libjavascriptcoregtk-4.0-bin): ${e.message}`)));
    child.stderr.on('data', (d) => (out.stderr += d));
    const lines = readline.createInterface({ input: child.stdout });
    let queue = Promise.resolve();
    lines.on('line', (line) => {
      if (line.startsWith('\u0001')) {
        const m = JSON.parse(line.slice(1));
        // One answer per request, in order: jsc blocks in readline() until it comes.
        queue = queue.then(() => bridge[m.op](m)).then((reply) => child.stdin.write(ascii(JSON.stringify(reply)) + '\n'), (e) => child.stdin.write(JSON.stringify({ fail: String(e) }) + '\n'));
      } else if (line.startsWith('\u0002')) {
        const r = JSON.parse(line.slice(1));
        if (r.kind === 'result') out.results.push(r.value);
        else if (r.kind === 'logs') out.logs = r.value;
        else if (r.kind === 'done') out.done = r.value;
      } else out.other.push(line);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      out.code = code;
      resolve(out);
    });
  });
}

let sb;
test.before(async () => {
  sb = await startSandbox({ port: 0 });
});
test.after(() => sb.close());

test('jsc (JavaScriptCore) is installed', () => {
  const r = spawnSync(JSC, ['--useJIT=false', '-e', 'print(typeof WebAssembly)'], { encoding: 'utf8' });
  assert.ifError(r.error);
  assert.strictEqual(r.stdout.trim(), 'object', r.stderr);
});

const EXPECTED = {
  full: [
    'require → ready (wasm in the JIT-less interpreter + CSPRNG pool)',
    'A: send(cb, number, message, messageId)',
    'E: init + createCode(4, 60, number) in one handler, template send, validateCode',
    'balance(cb) and findSmsByMessageId(cb, id)',
    'B/C: sendCode(cb, number, message, …) then validateCode(number, code)',
    'wx habits: success/complete in the options object; no callback rejects with ZhenziError',
    'a transport failure: 9100 in the callback, once',
  ],
  nowasm: ['no .wasm.br anywhere: 9104 in the callback naming the paths tried; ready() rejects'],
};

for (const mode of Object.keys(EXPECTED)) {
  test(`jsc --useJIT=false, ${mode === 'full' ? 'the shipped package' : 'a package without the wasm'}: every core scenario passes`, async (t) => {
    const out = await runJsc(t, sb, mode);
    const shown = JSON.stringify({ code: out.code, stderr: out.stderr, other: out.other, results: out.results }, null, 1);
    assert.strictEqual(out.code, 0, shown);
    assert.strictEqual(out.done, EXPECTED[mode].length, shown);
    assert.deepStrictEqual(out.results.map((r) => r.name), EXPECTED[mode], shown);
    for (const r of out.results) {
      assert.ok(r.ok, `${r.name}: ${r.detail}`);
      if (r.detail) t.diagnostic(`${r.name}: ${r.detail}`);
    }
    // The SDK logged no error; the secret never reached the console.
    assert.deepStrictEqual(out.logs.filter((l) => l.level === 'error'), []);
    assert.ok(!JSON.stringify(out.logs).includes('sandbox-secret-10001'));
  });
}
