// The demo (miniprogram-demo/) checked as WeChat checks it, on whatever it holds:
//   compile  miniprogram-ci's local compile with the upload's settings (WXML, WXSS and JSON
//            checked, JS to ES5 and minified): any error fails
//   analyse  miniprogram-ci's analyseCode: every require must resolve
//   wcc      WeChat's WXML compiler (miniprogram-compiler) over every .wxml: what the official
//            rendering in tests/demo uses; it refuses an unclosed tag and bad {{ }} expressions
//            that the local compile lets through
// and the broken copies that prove each check fails (breakers below), made from the demo's own
// app.json (its first page), not from its current text.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const ci = require('./ci.js');

const ROOT = path.resolve(__dirname, '../..');
const DEMO = path.join(ROOT, 'miniprogram-demo');
// eslint-disable-next-line import/no-dynamic-require
const wccCompiler = require(path.join(ROOT, 'tools', 'node_modules', 'miniprogram-compiler'));

function miniprogramRoot(project) {
  const config = JSON.parse(fs.readFileSync(path.join(project, 'project.config.json'), 'utf8'));
  return path.join(project, config.miniprogramRoot || '');
}

/** A copy of the demo project (without its pictures) in a temp folder. */
function copyDemo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzi-demo-'));
  fs.cpSync(DEMO, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}screenshots`) && !src.includes(`${path.sep}node_modules`) });
  return dir;
}

function firstPage(project) {
  const app = JSON.parse(fs.readFileSync(path.join(miniprogramRoot(project), 'app.json'), 'utf8'));
  return path.join(miniprogramRoot(project), app.pages[0]);
}

async function compile(project) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzi-demo-out-'));
  try {
    const r = await ci.compile(project, path.join(out, 'compiled'));
    return r.error ? { ok: false, error: r.error.message, log: r.log } : { ok: true, files: r.ok.files, log: r.log };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

async function analyse(project) {
  const r = await ci.analyse(project);
  if (r.error) return { ok: false, error: r.error.message };
  const unresolved = r.ok.analysis.modules.flatMap((m) => m.deps.filter((d) => d.error).map((d) => d.error));
  return { ok: unresolved.length === 0, unresolved, modules: r.ok.analysis.modules.length };
}

function wcc(project) {
  try {
    wccCompiler.wxmlToJs(miniprogramRoot(project));
    return { ok: true };
  } catch (e) {
    return { ok: false, error: String(e && e.message) };
  }
}

const append = (file, text) => fs.appendFileSync(file, text);
// Each breaker damages a demo copy in one way, and names the check that must catch it.
const BREAKERS = {
  'an unclosed tag': { check: 'wcc', apply: (p) => append(firstPage(p) + '.wxml', '\n<view>') },
  'a mismatched closing tag': { check: 'compile', apply: (p) => append(firstPage(p) + '.wxml', '\n<view></text>') },
  'an unterminated {{ binding': { check: 'compile', apply: (p) => append(firstPage(p) + '.wxml', '\n<view>{{ a </view>') },
  // the local compile accepts this one; wcc (and so the phone) does not
  'a bad {{ }} expression': { check: 'wcc', apply: (p) => append(firstPage(p) + '.wxml', '\n<view class="{{ a b }}">{{ a + }}</view>') },
  'invalid JSON in a page config': { check: 'compile', apply: (p) => fs.writeFileSync(firstPage(p) + '.json', '{"usingComponents": {},}') },
  'a JS syntax error': { check: 'compile', apply: (p) => append(firstPage(p) + '.js', '\nvar = ;') },
  'an unclosed WXSS block': { check: 'compile', apply: (p) => append(firstPage(p) + '.wxss', '\n.broken { color: red;') },
  'a page missing from app.json': {
    check: 'compile',
    apply: (p) => {
      const file = path.join(miniprogramRoot(p), 'app.json');
      const app = JSON.parse(fs.readFileSync(file, 'utf8'));
      app.pages.push('pages/not-there/not-there');
      fs.writeFileSync(file, JSON.stringify(app, null, 2));
    },
  },
  'an unresolved require': { check: 'analyse', apply: (p) => append(firstPage(p) + '.js', "\nrequire('./no-such-module.js');") },
};

module.exports = { DEMO, copyDemo, firstPage, miniprogramRoot, compile, analyse, wcc, BREAKERS };
