// Benchmarks for the README's budget table (docs/contributing.md, "Budgets"), run by `./build.sh bench`
// after a build. Prints figures and asserts nothing; about half a minute on 2 cores.
//   (a) 1000 sends to a loopback sandbox: ZhenziClient (keep-alive, 16 in flight) vs a
//       vendor-style client (new connection per request, one at a time, hand-built form)
//   (b) build + parse of one send through the wasm core from JS vs the same in plain JS
//   (c) cold start: require('dist/npm/zhenzisms.js') → ready() in a fresh node process
//   (d) wasm memory after 1k and after 100k build + parse calls (should stay flat)
//   (e) the bytes shipped into a mini-program (dist/utils/)
//   (f) Tencent Cloud SMS: our cloud function vs Tencent's official tencentcloud-sdk-nodejs-sms
//       (tools/bench-deps, installed on demand by ./build.sh bench): installed size,
//       require → ready, CPU per signed request, 1000 sends to the loopback sandbox
//   (g) the cloud function's database round trips in a row for sendCode, validateCode and
//       checkVerified, counted by the wx-server-sdk stand-in (goals: ≤ 3 and ≤ 2)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { spawn, execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const NPM = path.join(ROOT, 'dist/npm');
const SANDBOX = path.join(ROOT, 'sandbox/server.js');
const NUMBER = '13800138000';
const APP = { appId: '10001', appSecret: 'sandbox-secret-10001' };

function line(label, value) {
  console.log('  ' + label.padEnd(44) + value);
}

function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// CPU time (ms) a process has used so far, from /proc (Linux); null elsewhere.
function cpuMsOf(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch (e) {
    return null;
  }
}

function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

// The sandbox in its own process (so it does not share this event loop), with enough balance.
function startSandboxProcess() {
  const fixture = path.join(os.tmpdir(), 'zhenzisms-bench-fixture-' + process.pid + '.json');
  fs.writeFileSync(fixture, JSON.stringify({ apps: [Object.assign({ appName: 'bench', balance: 10000000 }, APP)] }));
  const child = spawn(process.execPath, [SANDBOX, '--port', '0', '--fixture', fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error('sandbox exited with ' + code)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /ZHENZI_SANDBOX_URL=(\S+)/.exec(out);
      if (m) {
        child.removeAllListeners('exit');
        resolve({
          url: m[1],
          pid: child.pid,
          close: () => {
            child.kill('SIGTERM');
            fs.rmSync(fixture, { force: true });
          },
        });
      }
    });
  });
}

// What the vendor's Node SDK does: a fresh connection per request, form built by hand, the
// whole body read, JSON.parse.
function vendorStyleSend(url, message) {
  const body = 'appId=' + encodeURIComponent(APP.appId) + '&appSecret=' + encodeURIComponent(APP.appSecret) +
    '&message=' + encodeURIComponent(message) + '&number=' + NUMBER + '&messageId=&clientIp=';
  return new Promise((resolve, reject) => {
    const r = http.request(url + '/sms/send.do', {
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const reply = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (reply.code !== 0) reject(new Error('vendor-style send failed: ' + JSON.stringify(reply)));
        else resolve(reply);
      });
    });
    r.on('error', reject);
    r.end(body);
  });
}

async function benchSends(sdk) {
  const ROUNDS = 3;
  console.log(`\n(a) 1000 sends to the loopback sandbox (sandbox in its own process; ${ROUNDS} rounds, median)`);
  const sb = await startSandboxProcess();
  try {
    const N = 1000;
    const CONCURRENCY = 16;
    const sms = new sdk.ZhenziClient(Object.assign({ route: 'direct', apiUrl: sb.url }, APP));
    const message = '您的验证码为123456，5分钟内有效。';

    for (let i = 0; i < 50; i++) await vendorStyleSend(sb.url, message); // warm-up both
    await Promise.all(Array.from({ length: 50 }, () => sms.send({ number: NUMBER, message })));

    // Who is busy: this process (the client) and the sandbox, in CPU µs per send.
    const cpu = () => ({ client: process.cpuUsage(), server: cpuMsOf(sb.pid) });
    const cpuPerSend = (from) => {
      const c = process.cpuUsage(from.client);
      const server = from.server === null ? null : cpuMsOf(sb.pid) - from.server;
      return `client ${((c.user + c.system) / N).toFixed(0)} µs` + (server === null ? '' : `, sandbox ${((server * 1000) / N).toFixed(0)} µs`) + ' CPU per send';
    };
    async function vendorRun() {
      for (let i = 0; i < N; i++) await vendorStyleSend(sb.url, message);
    }
    async function oursRun() {
      let next = 0;
      async function worker() {
        while (next < N) {
          next++;
          await sms.send({ number: NUMBER, message });
        }
      }
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    }
    async function measure(run) {
      const c0 = cpu();
      const t = nowMs();
      await run();
      return { ms: nowMs() - t, cpu: cpuPerSend(c0) };
    }

    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      const vendor = await measure(vendorRun);
      const ours = await measure(oursRun);
      rounds.push({ vendor, ours, ratio: vendor.ms / ours.ms });
    }
    const mid = rounds.slice().sort((a, b) => a.ratio - b.ratio)[Math.floor(ROUNDS / 2)];
    const rate = (ms) => (N / (ms / 1000)).toFixed(0);
    line('vendor-style (new connection, sequential)', `${mid.vendor.ms.toFixed(0)} ms, ${rate(mid.vendor.ms)} sends/s`);
    line(`ZhenziClient (keep-alive, ${CONCURRENCY} in flight)`, `${mid.ours.ms.toFixed(0)} ms, ${rate(mid.ours.ms)} sends/s`);
    line('ratio (goal ≥ 3×)', `${mid.ratio.toFixed(2)}× (rounds: ${rounds.map((r) => r.ratio.toFixed(2)).join(', ')})`);
    line('  vendor-style', mid.vendor.cpu);
    line('  ZhenziClient', mid.ours.cpu);
  } finally {
    sb.close();
    for (const agent of Object.values(require(path.join(NPM, 'zhenzisms_node.js')).agents)) agent.destroy();
  }
}

// One send's worth of core work as the SDK does it: JSON in, build, JSON out; parse the reply
// (the typed glue parses each answer once).
function makeCoreOp(core) {
  const config = { route: 'direct', apiUrl: 'https://sms_developer.zhenzikj.com', appId: APP.appId, appSecret: APP.appSecret };
  const params = { number: NUMBER, message: '您的验证码为123456，5分钟内有效。', messageId: 'order-1' };
  const reply = '{"code":0,"data":"发送成功"}';
  return function () {
    const built = core.buildRequest('send', JSON.stringify(config), JSON.stringify(params));
    const parsed = core.parseReply('send', 200, reply);
    return built.ok.body.length + (parsed.ok ? 1 : 0);
  };
}

// The same work in plain JS: check the number and length, encode the form, parse the reply.
function makePlainOp() {
  const config = { apiUrl: 'https://sms_developer.zhenzikj.com', appId: APP.appId, appSecret: APP.appSecret };
  const params = { number: NUMBER, message: '您的验证码为123456，5分钟内有效。', messageId: 'order-1' };
  const reply = '{"code":0,"data":"发送成功"}';
  return function () {
    if (!/^1[3-9]\d{9}$/.test(params.number) || [...params.message].length > 1000) throw new Error('bad input');
    const body = 'appId=' + encodeURIComponent(config.appId) + '&appSecret=' + encodeURIComponent(config.appSecret) +
      '&message=' + encodeURIComponent(params.message) + '&number=' + encodeURIComponent(params.number) +
      '&messageId=' + encodeURIComponent(params.messageId) + '&clientIp=';
    const built = { url: config.apiUrl + '/sms/send.do', method: 'POST', body };
    const parsed = JSON.parse(reply);
    return built.body.length + (parsed.code === 0 ? 1 : 0);
  };
}

function usPerOp(fn, n) {
  let sink = 0;
  for (let i = 0; i < 5000; i++) sink += fn();
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const t = nowMs();
    for (let i = 0; i < n; i++) sink += fn();
    runs.push(((nowMs() - t) * 1000) / n);
  }
  if (sink === -1) console.log(sink); // keep the work observable
  return median(runs);
}

function benchCore(core) {
  console.log('\n(b) build + parse of one send, from JS (median of 5 runs of 20k)');
  const ours = usPerOp(makeCoreOp(core), 20000);
  const plain = usPerOp(makePlainOp(), 20000);
  line('wasm core (buildRequest + parseReply)', `${ours.toFixed(2)} µs/op`);
  line('plain JS (encodeURIComponent + JSON.parse)', `${plain.toFixed(2)} µs/op`);
  line('ratio (goal ≤ 20 µs and ≤ 2×)', `${(ours / plain).toFixed(2)}×`);
}

function benchColdStart() {
  console.log('\n(c) cold start: require(dist/npm/zhenzisms.js) → ready(), fresh node process (median of 11)');
  const script =
    'const t0 = process.hrtime.bigint();' +
    `const sdk = require(${JSON.stringify(path.join(NPM, 'zhenzisms.js'))});` +
    'sdk.ready().then(() => { const t1 = process.hrtime.bigint();' +
    ' process.stdout.write(String(Number(t1 - t0) / 1e6)); });';
  const times = [];
  for (let i = 0; i < 11; i++) times.push(Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })));
  line('require → ready (goal ≤ 10 ms)', `${median(times).toFixed(2)} ms (min ${Math.min(...times).toFixed(2)}, max ${Math.max(...times).toFixed(2)})`);
}

// The glue keeps its instance private; attach() returns the exports of the instance it is
// given, so this makes one (same wasm, same glue) and keeps hold of its memory.
function benchMemory(core) {
  console.log('\n(d) wasm memory over 100k build + parse calls (send, template, refused input, error reply)');
  const mod = new WebAssembly.Module(fs.readFileSync(path.join(NPM, 'zhenzisms_bg.wasm')));
  const exports = core.attach(new WebAssembly.Instance(mod, core.imports()), mod);
  const config = JSON.stringify({ route: 'direct', appId: APP.appId, appSecret: APP.appSecret });
  const calls = [
    () => core.buildRequest('send', config, JSON.stringify({ number: NUMBER, message: '验证码123456' })),
    () => core.buildRequest('sendTemplate', config, JSON.stringify({ number: NUMBER, templateId: '1001', templateParams: ['一二三四', 5] })),
    () => core.buildRequest('send', config, '{"number":"123","message":"x"}'),
    () => core.parseReply('send', 200, '{"code":0,"data":"发送成功"}'),
    () => core.parseReply('balance', 200, '{"code":0,"data":537}'),
    () => core.parseReply('send', 200, '{"code":108,"data":"短信余额不足"}'),
    () => core.parseReply('send', 502, '<html>502</html>'),
  ];
  const size = () => exports.memory.buffer.byteLength;
  let i = 0;
  const run = (n) => {
    for (const end = i + n; i < end; i++) calls[i % calls.length]();
  };
  run(1000);
  const warm = size();
  const marks = [];
  for (const upTo of [10000, 50000, 100000]) {
    run(upTo - i);
    marks.push(`${upTo / 1000}k: ${size()} B`);
  }
  line('after 1k warm-up', `${warm} B (${warm / 65536} pages)`);
  line('after', marks.join(', '));
  line('growth after warm-up (goal: none)', `${size() - warm} B`);
}

function benchSizes() {
  console.log('\n(e) shipped into a mini-program (dist/utils/)');
  const dir = path.join(ROOT, 'dist/utils');
  let total = 0;
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith('.d.ts')) continue; // typings are not part of the runtime package
    const bytes = fs.statSync(path.join(dir, f)).size;
    total += bytes;
    line(f, `${bytes} B`);
  }
  line('total (goal ≤ 36 KB, the build fails over it; stretch ≤ 25 KB)', `${total} B (${(total / 1024).toFixed(1)} KB)`);
  line('npm zhenzisms_bg.wasm (raw, Node)', `${fs.statSync(path.join(NPM, 'zhenzisms_bg.wasm')).size} B`);
}

// ---- (f) Tencent -----------------------------------------------------------------------

const CLOUD = path.join(ROOT, 'dist/cloudfunctions/zhenzisms');
const BENCH_DEPS = path.join(__dirname, 'bench-deps/node_modules');
const TC = { secretId: 'AKIDsandboxPermanent', secretKey: 'sandbox-tencent-key', sdkAppId: '1400000001', signName: '云短信体验', templateId: '100002' };

function officialSms() {
  try {
    return require(path.join(BENCH_DEPS, 'tencentcloud-sdk-nodejs-sms'));
  } catch (e) {
    return null;
  }
}

// Bytes and files under `dir` (what an upload carries).
function treeSize(dir) {
  let bytes = 0;
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const t = treeSize(p);
      bytes += t.bytes;
      files += t.files;
    } else {
      bytes += fs.statSync(p).size;
      files += 1;
    }
  }
  return { bytes, files };
}

function coldStart(script) {
  const times = [];
  for (let i = 0; i < 11; i++) times.push(Number(execFileSync(process.execPath, ['-e', 'const t0 = process.hrtime.bigint();' + script], { encoding: 'utf8' })));
  return `${median(times).toFixed(2)} ms (min ${Math.min(...times).toFixed(2)})`;
}

// The official client, pointed at the sandbox: its URL keeps the real host (it signs the host
// without a port and takes the service from the first label), and an agent connects to the
// sandbox's port instead. Keep-alive, like ours.
function officialClient(sms, sandboxUrl) {
  const port = Number(new URL(sandboxUrl).port);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  agent.createConnection = (options, cb) => require('net').connect(port, '127.0.0.1', cb);
  const client = new sms.sms.v20210111.Client({
    credential: { secretId: TC.secretId, secretKey: TC.secretKey },
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: 'sms.tencentcloudapi.com', protocol: 'http://', agent } },
  });
  return { client, agent };
}

async function benchTencent(sdk) {
  console.log('\n(f) Tencent Cloud SMS: our cloud function vs tencentcloud-sdk-nodejs-sms (official)');
  const sms = officialSms();
  const ours = treeSize(CLOUD);
  line('installed: dist/cloudfunctions/zhenzisms', `${ours.bytes} B in ${ours.files} files (plus wx-server-sdk, which both need)`);
  if (sms) {
    const theirs = treeSize(BENCH_DEPS);
    const packages = fs.readdirSync(BENCH_DEPS).filter((n) => !n.startsWith('.')).length;
    line('installed: tencentcloud-sdk-nodejs-sms', `${theirs.bytes} B in ${theirs.files} files, ${packages} packages`);
    line('ratio (goal ≤ 1/10)', `1/${(theirs.bytes / ours.bytes).toFixed(1)}`);
  } else {
    line('tencentcloud-sdk-nodejs-sms', 'not installed (npm install --prefix tools/bench-deps): ours only');
  }

  line('require → ready: ours (median of 11)', coldStart(
    `const m = require(${JSON.stringify(path.join(CLOUD, 'zhenzisms.js'))}); const { TencentSmsClient } = m;` +
    'm.ready().then(() => { new TencentSmsClient({}); process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6)); });'));
  if (sms) {
    line('require → ready: official', coldStart(
      `const s = require(${JSON.stringify(path.join(BENCH_DEPS, 'tencentcloud-sdk-nodejs-sms'))});` +
      "new s.sms.v20210111.Client({ credential: { secretId: 'a', secretKey: 'b' }, region: 'ap-guangzhou' });" +
      'process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));'));
  }

  // CPU per signed request: ours = validate + body + TC3 in the wasm (JSON text in and out);
  // official = its body JSON + sign3 (Node crypto), as its client does before sending.
  await sdk.ready();
  const core = require(path.join(CLOUD, 'zhenzisms_core.js'));
  const config = JSON.stringify({ secretId: TC.secretId, secretKey: TC.secretKey, sdkAppId: TC.sdkAppId, signName: TC.signName });
  const params = JSON.stringify({ number: NUMBER, templateId: TC.templateId, templateParams: ['123456'] });
  const now = Math.floor(Date.now() / 1000);
  const oursUs = median([0, 1, 2, 3, 4].map(() => usPerOp(() => core.tencentBuildRequest(config, params, now).ok.body.length, 20000)));
  line('CPU per signed request: ours (wasm)', `${oursUs.toFixed(2)} µs`);
  if (sms) {
    const { default: Sign } = require(path.join(BENCH_DEPS, 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js'));
    const body = { PhoneNumberSet: ['+86' + NUMBER], SmsSdkAppId: TC.sdkAppId, TemplateId: TC.templateId, SignName: TC.signName, TemplateParamSet: ['123456'] };
    const headers = { 'Content-Type': 'application/json' };
    const theirsUs = median([0, 1, 2, 3, 4].map(() => usPerOp(() => Sign.sign3({ method: 'POST', url: 'https://sms.tencentcloudapi.com/', payload: body, timestamp: now, service: 'sms', secretId: TC.secretId, secretKey: TC.secretKey, headers }).length + JSON.stringify(body).length, 20000)));
    line('CPU per signed request: official (sign3)', `${theirsUs.toFixed(2)} µs  (ratio ours/official ${(oursUs / theirsUs).toFixed(2)}; goal ≤ 1)`);
  }

  // 1000 sends, 16 in flight, keep-alive for both, distinct numbers (Tencent's 30 s limit).
  const sb = await startSandboxProcess();
  const N = 1000;
  const CONCURRENCY = 16;
  const post = (p) => new Promise((resolve, reject) => {
    const r = http.request(sb.url + p, { method: 'POST' }, (res) => res.resume().on('end', resolve));
    r.on('error', reject);
    r.end();
  });
  async function run(send) {
    await post('/__reset');
    let next = 0;
    const t = nowMs();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const n = 13000000000 + next++;
        const status = await send(String(n));
        if (status !== 'Ok') throw new Error('send failed: ' + status);
      }
    }));
    const ms = nowMs() - t;
    return `${ms.toFixed(0)} ms, ${(N / (ms / 1000)).toFixed(0)} sends/s`;
  }
  try {
    const client = new sdk.TencentSmsClient({ secretId: TC.secretId, secretKey: TC.secretKey, sdkAppId: TC.sdkAppId, signName: TC.signName, endpoint: sb.url });
    line('1000 sends: TencentSmsClient', await run((n) => client.send({ number: n, templateId: TC.templateId, templateParams: ['123456'] }).then((r) => r.statuses[0].code)));
    if (sms) {
      const { client: official, agent } = officialClient(sms, sb.url);
      const body = (n) => ({ PhoneNumberSet: ['+86' + n], SmsSdkAppId: TC.sdkAppId, TemplateId: TC.templateId, SignName: TC.signName, TemplateParamSet: ['123456'] });
      line('1000 sends: official client', await run((n) => official.SendSms(body(n)).then((r) => r.SendStatusSet[0].Code)));
      agent.destroy();
    }
  } finally {
    sb.close();
  }
}

// (g) The cloud function's database round trips in a row: the built function with the
// wx-server-sdk stand-in, which counts a call made while none is in flight as one (issue 18 item 8;
// the vendor's function takes 2 for a sendCode).
async function benchCloudTrips() {
  console.log('\n(g) cloud function: database round trips in a row (wx-server-sdk stand-in, sandbox as Zhenzi)');
  const Module = require('module');
  const { startSandbox } = require(path.join(ROOT, 'sandbox/server.js'));
  const { createCloudSdk } = require(path.join(ROOT, 'tests/cloud/wx-server-sdk-standin.js'));
  const sb = await startSandbox({ port: 0, fixture: { apps: [{ appId: '10001', appSecret: 'bench-secret', appName: 'bench', balance: 1000 }] } });
  const saved = Object.assign({}, process.env);
  Object.assign(process.env, { ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: 'bench-secret', ZHENZI_API_URL: sb.url, ZHENZI_VERIFY_KEY: 'bench-verify-key-0123456789abcdef-0123456789' });
  try {
    const cloudSdk = createCloudSdk({ openid: 'bench-user' });
    const index = path.join(CLOUD, 'index.js');
    const m = new Module(index, module);
    m.filename = index;
    m.paths = Module._nodeModulePaths(CLOUD);
    const req = Module.createRequire(index);
    m.require = (id) => (id === 'wx-server-sdk' ? cloudSdk : req(id));
    m._compile(fs.readFileSync(index, 'utf8'), index);
    const trips = async (event) => {
      cloudSdk.db.resetTrips();
      const r = await m.exports.main(event, {});
      return `${cloudSdk.db.trips} in a row (${cloudSdk.db.calls} calls) → ${r.code}`;
    };
    line('sendCode (goal ≤ 3)', await trips({ $url: 'sendCode', number: '13800138000' }));
    const inbox = sb.inbox('13800138000');
    const code = /\d{6}/.exec(inbox[inbox.length - 1].message)[0];
    line('validateCode, a wrong code (goal ≤ 2)', await trips({ $url: 'validateCode', number: '13800138000', code: code === '000000' ? '111111' : '000000' }));
    line('validateCode, the right code (goal ≤ 2)', await trips({ $url: 'validateCode', number: '13800138000', code }));
    line('checkVerified by number', await trips({ $url: 'checkVerified', number: '13800138000' }));
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    await sb.close();
    for (const agent of Object.values(require(path.join(CLOUD, 'zhenzisms_node.js')).agents)) agent.destroy();
  }
}

async function main() {
  const cpus = os.cpus();
  console.log('zhenzisms-wasm benchmarks');
  line('machine', `${cpus[0] ? cpus[0].model.trim() : 'unknown cpu'}, ${os.availableParallelism ? os.availableParallelism() : cpus.length} cores`);
  line('node', `${process.version} (${os.platform()} ${os.arch()})`);
  benchColdStart(); // first, before this process warms the file cache further
  const sdk = require(path.join(NPM, 'zhenzisms.js'));
  await sdk.ready();
  const core = require(path.join(NPM, 'zhenzisms_core.js'));
  await benchSends(sdk);
  benchCore(core);
  benchMemory(core);
  benchSizes();
  await benchTencent(require(path.join(CLOUD, 'zhenzisms.js')));
  await benchCloudTrips();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
