// The demo compiles as WeChat compiles it (./demo.js): miniprogram-ci's local compile with the
// upload's settings, its analyseCode (every require resolves) and WeChat's wcc over every WXML.
// Each broken copy of the demo is refused by the check that guards against it.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const d = require('./demo.js');

test('miniprogram-demo/ compiles (WXML and WXSS minified, JS to ES5), every require resolves, wcc takes every WXML', async (t) => {
  const project = d.copyDemo();
  t.after(() => fs.rmSync(project, { recursive: true, force: true }));
  const [compiled, analysed] = await Promise.all([d.compile(project), d.analyse(project)]);
  assert.equal(compiled.error, undefined, 'the local compile');
  assert.ok(compiled.files.includes('app.json') && compiled.files.some((f) => f.endsWith('.wxml')), 'compiled files: ' + compiled.files.join(', '));
  assert.deepEqual(analysed.unresolved, [], 'analyseCode: unresolved requires');
  assert.ok(analysed.modules > 5, 'analyseCode saw the demo');
  assert.deepEqual(d.wcc(project), { ok: true });
  // The tool asks WeChat's servers on the way (getwhiteextlist): refused here before a lookup.
  assert.doesNotMatch(compiled.log, /getaddrinfo|ENOTFOUND|EAI_AGAIN/, 'no name lookup beyond loopback');
  for (const line of compiled.log.split('\n').filter((l) => /https?:\/\/(?!127\.0\.0\.1)/.test(l) && /error/i.test(l))) {
    assert.match(line, /no network beyond loopback/, 'each call to a server was stopped by tests/official/loopback-only.js');
  }
});

test('the demo\'s rendering tests use wcc: a copy with an unclosed tag does not render', async (t) => {
  const { COMPILER, TOOLS } = require('../../tools/demo-render.js');
  assert.equal(COMPILER, 'official');
  // the page template as tools/demo-render.js's renderPage takes it
  const { getWxml } = require(require('path').join(TOOLS, 'miniprogram-simulate', 'src', 'compile.js'));
  const good = d.copyDemo();
  const broken = d.copyDemo();
  t.after(() => [good, broken].forEach((p) => fs.rmSync(p, { recursive: true, force: true })));
  d.BREAKERS['an unclosed tag'].apply(broken);
  assert.equal(typeof getWxml(d.firstPage(good), { compiler: COMPILER, rootPath: d.miniprogramRoot(good) }), 'function', 'the copy compiles as it is');
  assert.throws(() => getWxml(d.firstPage(broken), { compiler: COMPILER, rootPath: d.miniprogramRoot(broken) }), /end tag missing/);
});

const CHECKS = { compile: d.compile, analyse: d.analyse, wcc: async (p) => d.wcc(p) };

// Two broken copies at a time (each compile is a process of its own).
const entries = Object.entries(d.BREAKERS);
for (let i = 0; i < entries.length; i += 2) {
  const pair = entries.slice(i, i + 2);
  test(`broken copies are refused: ${pair.map(([name, b]) => `${name} (${b.check})`).join('; ')}`, async (t) => {
    await Promise.all(pair.map(async ([name, breaker]) => {
      const project = d.copyDemo();
      t.after(() => fs.rmSync(project, { recursive: true, force: true }));
      breaker.apply(project);
      const result = await CHECKS[breaker.check](project);
      assert.equal(result.ok, false, `${breaker.check} accepted a copy with ${name}`);
    }));
  });
}
