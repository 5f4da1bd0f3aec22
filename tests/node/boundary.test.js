// The shim's boundary: every shipped folder's modules require each other without a cycle, no
// part reaches into the SDK's internals (`sdk._…`), and the server API the cloud function
// builds on is there with exactly its documented names, answering objects.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { sdk, NUMBER } = require('./helpers.js');

const ROOT = path.resolve(__dirname, '../..');
const FOLDERS = ['dist/utils', 'dist/npm', 'dist/npm/miniprogram_dist', 'dist/npm/browser', 'dist/cloudfunctions/zhenzisms'];

// file → the package-relative files it requires.
function requireGraph(dir) {
  const graph = {};
  for (const name of fs.readdirSync(path.join(ROOT, dir)).filter((n) => n.endsWith('.js'))) {
    const text = fs.readFileSync(path.join(ROOT, dir, name), 'utf8').replace(/^\s*\/\/.*$/gm, ''); // code, not comments
    graph[name] = [...text.matchAll(/require\(\s*['"]\.\/([\w.-]+)['"]\s*\)/g)].map((m) => m[1]);
  }
  return graph;
}

function cycleIn(graph) {
  const state = {};
  const visit = (n, trail) => {
    if (state[n] === 'done') return null;
    if (state[n] === 'open') return trail.concat(n);
    state[n] = 'open';
    for (const m of graph[n] || []) {
      const c = visit(m, trail.concat(n));
      if (c) return c;
    }
    state[n] = 'done';
    return null;
  };
  for (const n of Object.keys(graph)) {
    const c = visit(n, []);
    if (c) return c;
  }
  return null;
}

test('no shipped folder has a require cycle', () => {
  assert.deepEqual(cycleIn({ a: ['b'], b: ['a'] }), ['a', 'b', 'a']); // the check itself sees one
  for (const dir of FOLDERS) {
    const graph = requireGraph(dir);
    assert.ok(Object.keys(graph).length >= 4, dir);
    assert.equal(cycleIn(graph), null, dir + ': ' + JSON.stringify(graph));
  }
});

test('no part of pkg-template reaches into the SDK internals (sdk._…)', () => {
  const hits = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (/\.(js|ts)$/.test(e.name)) {
        fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
          if (/\bsdk\._/.test(line)) hits.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
        });
      }
    }
  };
  walk(path.join(ROOT, 'pkg-template'));
  assert.deepEqual(hits, []);
  assert.deepEqual(Object.keys(sdk).filter((k) => k.startsWith('_')), []);
});

test('the server API: ready, core, call, errorInfo, issueCode, verifyCode; the core answers objects', async () => {
  const { server } = sdk;
  assert.deepEqual(Object.keys(server), ['ready', 'core', 'call', 'errorInfo', 'issueCode', 'verifyCode']);
  assert.equal(await server.ready(), true);
  const core = server.core();
  assert.deepEqual(core.normalizeNumber('+86 138-0013 8000'), { ok: NUMBER });
  assert.deepEqual(core.vocabulary().kinds.slice(0, 2), ['input', 'config']);
  const info = server.errorInfo(9101, 'after 5 ms');
  assert.deepEqual([info.code, info.kind, info.detail], [9101, 'timeout', 'after 5 ms']);
  const issued = server.issueCode({ number: NUMBER, now: 1000, key: 'k' });
  assert.match(issued.ok.code, /^\d{6}$/);
  const checked = server.verifyCode({ number: NUMBER, code: issued.ok.code, now: 2000, key: 'k', record: issued.ok.record });
  assert.equal(checked.ok.result, 'ok');
  // A call refused by the core never leaves: an answer, not a rejection.
  const refused = await server.call({ route: 'direct', appId: '1', appSecret: 's' }, 'send', { number: '12', message: 'x' });
  assert.equal(refused.err.code, 100);
  assert.match(refused.vendor.data, /^参数格式错误。/);
});
