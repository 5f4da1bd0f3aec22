'use strict';
// `./build.sh demo` does what miniprogram-demo/README.md says: the port the README names is the
// one the demo config posts to and the one the command serves. The server the verb runs
// (tools/demo-server.js, no arguments, as build.sh runs it) is started on that port, answers as
// the sandbox, and stops cleanly on Ctrl-C (SIGINT).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const h = require('./helpers.js');

const readme = fs.readFileSync(path.join(h.ROOT, 'miniprogram-demo/README.md'), 'utf8');
const buildSh = fs.readFileSync(path.join(h.ROOT, 'build.sh'), 'utf8');

function readmePort() {
  const ports = new Set([...readme.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])));
  assert.equal(ports.size, 1, `the README names one port: ${[...ports]}`);
  return [...ports][0];
}

test('the README, the demo config and the demo server agree on the port; both halves say ./build.sh demo', () => {
  const port = readmePort();
  assert.equal(require(path.join(h.ROOT, 'tools/demo-server.js')).DEFAULT_PORT, port);
  const config = require(path.join(h.ROOT, 'miniprogram-demo/miniprogram/config.js'));
  assert.equal(new URL(config.relayUrl).port, String(port));
  for (const heading of ['\n## 中文', '\n## English']) {
    const half = readme.slice(readme.indexOf(heading));
    assert.match(half, /```sh\n\.\/build\.sh demo\n```/, `${heading.trim()}: the command`);
    assert.match(half, /Ctrl-C/, `${heading.trim()}: how to stop it`);
  }
});

test('./build.sh demo builds, then runs tools/demo-server.js in the foreground with no port of its own', () => {
  const verb = /\n {2}demo\)\n([\s\S]*?)\n {4};;/.exec(buildSh);
  assert.ok(verb, 'build.sh has a demo verb');
  assert.deepEqual(verb[1].trim().split(/\s+/), ['setup_build_tools', 'build', 'run_demo']);
  const fn = /\nrun_demo\(\) \{\n([\s\S]*?)\n\}/.exec(buildSh);
  assert.ok(fn, 'build.sh has run_demo');
  assert.match(fn[1], /^ {2}exec node tools\/demo-server\.js$/m);
});

// Starts the server as build.sh does; resolves {child, url, output} once it has printed its URL.
// A port held by a concurrent run is retried for a few seconds, then reported.
async function startDemo() {
  for (let attempt = 0; ; attempt++) {
    const child = spawn(process.execPath, [path.join(h.ROOT, 'tools/demo-server.js')], { cwd: h.ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const started = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 10000);
      const onData = (chunk) => {
        output += chunk;
        const m = /local Zhenzi sandbox: (http:\/\/\S+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (started) return { child, url: started, output: () => output };
    child.kill('SIGKILL');
    if (/is in use/.test(output) && attempt < 10) {
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    throw new Error('the demo server did not start:\n' + output);
  }
}

test('the demo server serves the README\'s port as the sandbox, prints the DevTools steps, and Ctrl-C stops it', async () => {
  const port = readmePort();
  const { child, url, output } = await startDemo();
  try {
    assert.equal(url, `http://127.0.0.1:${port}`);
    for (const s of ['miniprogram-demo/', 'touristappid', '不校验合法域名', '2.15.0', `${url}/__inbox/`, 'Ctrl-C']) {
      assert.ok(output().includes(s), `prints ${s}`);
    }
    // A send through the relay path, as the demo page makes it, then the inbox the README names.
    const number = '15871770252';
    const body = new URLSearchParams({ appId: '10001', appSecret: 'sandbox-secret-10001', apiUrl: 'https://sms_developer.zhenzikj.com', number, message: '您的验证码为246810' });
    const sent = await (await fetch(`${url}/sms/send.html`, { method: 'POST', body })).json();
    assert.deepEqual(sent, { code: 0, data: '发送成功' });
    const inbox = await (await fetch(`${url}/__inbox/${number}`)).json();
    assert.deepEqual(inbox.map((m) => m.message), ['您的验证码为246810']);
    await new Promise((r) => setTimeout(r, 50));
    assert.match(output(), /→ 15871770252: 您的验证码为246810/, 'the delivered message is printed');
    assert.doesNotMatch(output(), /sandbox-secret/, 'the secret is not printed');
  } finally {
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGINT');
    assert.deepEqual(await exited, { code: 0, signal: null }, 'Ctrl-C ends it with exit code 0');
  }
});
