'use strict';
// Static checks of the WeChat DevTools project in miniprogram-demo/: the files DevTools needs, every
// JSON parses, pages and components resolve, WXML is well formed and only names handlers that exist,
// and the demo's own JS loads in a mini-program-like sandbox (no Node globals, no eval).
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const ROOT = path.resolve(__dirname, '../..');
const PROJECT = path.join(ROOT, 'miniprogram-demo');
const projectConfig = JSON.parse(fs.readFileSync(path.join(PROJECT, 'project.config.json'), 'utf8'));
const MP = path.join(PROJECT, projectConfig.miniprogramRoot || 'miniprogram/');

// Files ../build.sh copies in from dist/ (git-ignored, not part of the demo's own code).
const BUILT = /^utils\/zhenzisms/;

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

const rel = (file) => path.relative(MP, file).split(path.sep).join('/');
const ownFiles = (ext) => walk(MP).filter((f) => f.endsWith(ext) && !BUILT.test(rel(f)));
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const appJson = readJson(path.join(MP, 'app.json'));

function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((pa[i] || 0) !== (pb[i] || 0)) return (pa[i] || 0) - (pb[i] || 0);
  }
  return 0;
}

// --- a strict WXML tokenizer: tags must nest and close exactly -------------------------------------
const VOID_OK = new Set(['import', 'include', 'input', 'image', 'icon', 'switch', 'slot', 'textarea', 'wxs']);
function parseWxml(source) {
  const tags = [];
  const stack = [];
  const re = /<!--[\s\S]*?-->|<\/([\w-]+)\s*>|<([\w-]+)((?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>/g;
  let m;
  let last = 0;
  while ((m = re.exec(source))) {
    const between = source.slice(last, m.index);
    if (/[<>]/.test(between.replace(/\{\{[\s\S]*?\}\}/g, ''))) {
      throw new Error(`stray < or > near: ${between.trim().slice(0, 60)}`);
    }
    last = re.lastIndex;
    if (m[0].startsWith('<!--')) continue;
    if (m[1]) {
      const open = stack.pop();
      if (open !== m[1]) throw new Error(`</${m[1]}> closes <${open}>`);
      continue;
    }
    const attrs = {};
    (m[3] || '').replace(/([\w:.-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/g, (all, name, v1, v2) => {
      if (name in attrs) throw new Error(`<${m[2]}> repeats attribute ${name}`);
      attrs[name] = v1 !== undefined ? v1 : v2 !== undefined ? v2 : true;
      return '';
    });
    tags.push({ name: m[2], attrs });
    if (!m[4]) stack.push(m[2]);
  }
  if (/[<>]/.test(source.slice(last).replace(/\{\{[\s\S]*?\}\}/g, ''))) throw new Error('stray < or > at the end');
  if (stack.length) throw new Error(`unclosed <${stack.join('>, <')}>`);
  // Mustaches must balance too.
  const opens = (source.match(/\{\{/g) || []).length;
  const closes = (source.match(/\}\}/g) || []).length;
  if (opens !== closes) throw new Error(`${opens} "{{" but ${closes} "}}"`);
  return tags;
}

const BUILTIN_TAGS = new Set([
  'view', 'text', 'button', 'input', 'textarea', 'switch', 'navigator', 'image', 'icon', 'block',
  'scroll-view', 'swiper', 'swiper-item', 'form', 'label', 'checkbox', 'checkbox-group', 'radio',
  'radio-group', 'picker', 'slider', 'progress', 'rich-text', 'template', 'import', 'include', 'wxs', 'slot',
]);

function handlerNames(tags) {
  const names = [];
  for (const tag of tags) {
    for (const [attr, value] of Object.entries(tag.attrs)) {
      if (/^(capture-)?(bind|catch|mut-bind)(:|[a-z])/.test(attr) && typeof value === 'string' && !value.includes('{{')) {
        names.push({ attr, handler: value, tag: tag.name });
      }
    }
  }
  return names;
}

// --- run demo JS in a mini-program-like context -------------------------------------------------
function sdkStub() {
  const noop = () => {};
  return {
    client: {
      init: noop, initCloud: noop, configure: noop, ready: () => Promise.resolve(),
      send: noop, balance: noop, findSmsByMessageId: noop, sendCode: noop, createCode: noop, validateCode: noop,
    },
    ZhenziClient: function ZhenziClient() {},
    ZhenziError: Error,
    errorInfo: (code) => ({ code }),
  };
}

/** Loads a page/component/app file; returns what it registered and which files it required. */
function loadMiniprogramJs(file) {
  const registered = {};
  const required = [];
  const cache = {};
  const context = vm.createContext({
    console, setTimeout, clearTimeout, setInterval, clearInterval, Promise, Date, JSON, Math,
    wx: { cloud: { init() {} }, getStorageSync: () => '', setStorageSync() {}, removeStorageSync() {}, showToast() {} },
    getApp: () => ({ globalData: { mode: 'direct', lastMessageId: '' } }),
    App: (def) => { registered.App = def; },
    Page: (def) => { registered.Page = def; },
    Component: (def) => { registered.Component = def; },
    Behavior: (def) => def,
  }, { codeGeneration: { strings: false, wasm: false } });

  function load(target) {
    if (cache[target]) return cache[target].exports;
    const mod = { exports: {} };
    cache[target] = mod;
    const source = fs.readFileSync(target, 'utf8');
    const fn = vm.runInContext(`(function (require, module, exports) {${source}\n})`, context, { filename: target });
    fn(makeRequire(target), mod, mod.exports);
    return mod.exports;
  }

  function makeRequire(from) {
    return (spec) => {
      if (!spec.startsWith('.') && !spec.startsWith('/')) throw new Error(`${rel(from)}: require('${spec}') is not a package file`);
      let target = spec.startsWith('/') ? path.join(MP, spec) : path.resolve(path.dirname(from), spec);
      if (!target.endsWith('.js') && !target.endsWith('.json')) target += '.js';
      const r = rel(target);
      required.push(r);
      if (r.startsWith('..')) throw new Error(`${rel(from)}: require('${spec}') leaves the miniprogram root`);
      if (BUILT.test(r)) return sdkStub();
      if (!fs.existsSync(target)) throw new Error(`${rel(from)}: require('${spec}') → missing ${r}`);
      if (target.endsWith('.json')) return readJson(target);
      return load(target);
    };
  }

  const exportsValue = load(file);
  return { registered, required, exports: exportsValue };
}

function componentFiles(base) {
  return ['.js', '.json', '.wxml', '.wxss'].map((ext) => base + ext);
}

/** usingComponents entries of a page/component json → absolute base paths (no extension). */
function resolveUsing(jsonFile) {
  const using = readJson(jsonFile).usingComponents || {};
  return Object.entries(using).map(([tag, p]) => ({
    tag,
    spec: p,
    base: p.startsWith('/') ? path.join(MP, p) : path.resolve(path.dirname(jsonFile), p),
  }));
}

describe('project files', () => {
  test('project.config.json has what DevTools needs', () => {
    assert.equal(projectConfig.compileType, 'miniprogram');
    assert.equal(typeof projectConfig.appid, 'string');
    assert.ok(projectConfig.appid.length > 0);
    for (const key of ['miniprogramRoot', 'cloudfunctionRoot']) {
      assert.equal(typeof projectConfig[key], 'string', key);
      assert.ok(fs.statSync(path.join(PROJECT, projectConfig[key])).isDirectory(), `${key} exists`);
    }
    assert.equal(typeof projectConfig.setting, 'object');
    assert.equal(projectConfig.setting.urlCheck, false, 'development: the sandbox is http on loopback');
    // WXWebAssembly + .wasm.br need 2.14.0, wx.getRandomValues 2.15.0.
    assert.ok(compareVersions(projectConfig.libVersion, '2.15.0') >= 0, projectConfig.libVersion);
  });

  test('every JSON file parses (JSON, not JSON with comments)', () => {
    const files = walk(PROJECT).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 5, `found ${files.length}`);
    for (const f of files) assert.doesNotThrow(() => readJson(f), path.relative(PROJECT, f));
  });

  test('app.json pages exist, each with .js/.json/.wxml/.wxss', () => {
    assert.ok(Array.isArray(appJson.pages) && appJson.pages.length >= 2);
    assert.equal(new Set(appJson.pages).size, appJson.pages.length, 'no duplicates');
    assert.ok(appJson.pages.some((p) => /login/.test(p)) && appJson.pages.some((p) => /tools/.test(p)));
    for (const page of appJson.pages) {
      for (const f of componentFiles(path.join(MP, page))) assert.ok(fs.existsSync(f), `missing ${rel(f)}`);
    }
    assert.ok(fs.existsSync(path.join(MP, 'app.js')) && fs.existsSync(path.join(MP, 'app.wxss')));
    if (appJson.sitemapLocation) assert.doesNotThrow(() => readJson(path.join(MP, appJson.sitemapLocation)));
  });

  test('usingComponents resolve to components (recursively)', () => {
    const seen = new Set();
    const queue = appJson.pages.map((p) => path.join(MP, `${p}.json`));
    if (appJson.usingComponents) queue.push(path.join(MP, 'app.json'));
    let components = 0;
    while (queue.length) {
      const jsonFile = queue.shift();
      for (const { tag, spec, base } of resolveUsing(jsonFile)) {
        const where = `${rel(jsonFile)} → ${tag}: ${spec}`;
        for (const f of componentFiles(base)) assert.ok(fs.existsSync(f), `${where}: missing ${rel(f)}`);
        assert.equal(readJson(`${base}.json`).component, true, `${where}: "component": true`);
        if (!seen.has(base)) {
          seen.add(base);
          components++;
          queue.push(`${base}.json`);
        }
      }
    }
    assert.ok(components >= 1, 'the login page uses the sms-code-button component');
  });

  test('.gitignore keeps the copied SDK and cloud function out of git', () => {
    const lines = fs.readFileSync(path.join(PROJECT, '.gitignore'), 'utf8').split('\n').map((l) => l.trim());
    assert.ok(lines.includes('miniprogram/utils/zhenzisms*'));
    assert.ok(lines.includes('cloudfunctions/zhenzisms/'));
  });
});

describe('WXML and JS', () => {
  const wxmlFiles = ownFiles('.wxml');

  test('every WXML file is well formed', () => {
    assert.ok(wxmlFiles.length >= 3);
    for (const f of wxmlFiles) {
      assert.doesNotThrow(() => parseWxml(fs.readFileSync(f, 'utf8')), rel(f));
    }
  });

  test('the WXML checker itself rejects broken markup', () => {
    assert.throws(() => parseWxml('<view><text>a</view>'));
    assert.throws(() => parseWxml('<view>'));
    assert.throws(() => parseWxml('<view>{{a</view>'));
    assert.throws(() => parseWxml('<view a="1" a="2"></view>'));
    assert.doesNotThrow(() => parseWxml('<view wx:if="{{a > 1}}"><input value="{{b}}" /></view>'));
  });

  test('pages and components register themselves and define every handler their WXML names', () => {
    const units = appJson.pages.map((p) => ({ base: path.join(MP, p), kind: 'Page' }));
    const compBases = new Set();
    appJson.pages.forEach((p) => resolveUsing(path.join(MP, `${p}.json`)).forEach((u) => compBases.add(u.base)));
    compBases.forEach((base) => units.push({ base, kind: 'Component' }));

    for (const { base, kind } of units) {
      const { registered } = loadMiniprogramJs(`${base}.js`);
      const def = registered[kind];
      assert.ok(def, `${rel(base)}.js calls ${kind}()`);
      const methods = kind === 'Page' ? def : def.methods || {};
      const tags = parseWxml(fs.readFileSync(`${base}.wxml`, 'utf8'));
      const using = new Set(resolveUsing(`${base}.json`).map((u) => u.tag));
      for (const tag of tags) {
        assert.ok(BUILTIN_TAGS.has(tag.name) || using.has(tag.name), `${rel(base)}.wxml: <${tag.name}> is neither built in nor in usingComponents`);
      }
      const handlers = handlerNames(tags);
      assert.ok(handlers.length > 0, `${rel(base)}.wxml binds something`);
      for (const h of handlers) {
        assert.equal(typeof methods[h.handler], 'function', `${rel(base)}.wxml ${h.attr}="${h.handler}"`);
      }
    }
  });

  test('app.js registers the app and every demo JS file loads without Node globals or eval', () => {
    const app = loadMiniprogramJs(path.join(MP, 'app.js'));
    assert.equal(typeof app.registered.App, 'object');
    assert.equal(typeof app.registered.App.onLaunch, 'function');
    const jsFiles = ownFiles('.js');
    assert.ok(jsFiles.length >= 8);
    for (const f of jsFiles) assert.doesNotThrow(() => loadMiniprogramJs(f), rel(f));
  });

  test('the pages require the SDK from utils/zhenzisms.js (the path build.sh fills)', () => {
    for (const page of appJson.pages) {
      const { required } = loadMiniprogramJs(path.join(MP, `${page}.js`));
      assert.ok(required.includes('utils/zhenzisms.js'), `${page} → ${required.join(', ')}`);
    }
  });

  test('demo code avoids what a mini-program lacks or forbids', () => {
    const forbidden = [
      /Math\.random/, /\beval\s*\(/, /new\s+Function\s*\(/, /\bTextEncoder\b/, /\bTextDecoder\b/,
      /\bWebAssembly\b/, /\bprocess\./, /\bBuffer\b/, /\bfetch\s*\(/, /XMLHttpRequest/, /\bwindow\./, /\bdocument\./,
    ];
    for (const f of ownFiles('.js')) {
      const code = fs.readFileSync(f, 'utf8').replace(/^\s*\/\/.*$/gm, '');
      for (const re of forbidden) assert.ok(!re.test(code), `${rel(f)} uses ${re}`);
    }
  });
});

describe('demo configuration', () => {
  const config = loadMiniprogramJs(path.join(MP, 'config.js')).exports;

  test('has every field the pages use, with a valid mode', () => {
    for (const key of ['mode', 'apiUrl', 'appId', 'appSecret', 'relayUrl', 'cloudEnv', 'cloudFunctionName']) {
      assert.ok(key in config, key);
    }
    assert.ok(['auto', 'direct', 'cloud'].includes(config.mode));
    assert.ok(config.codeLength >= 4 && config.codeLength <= 8);
    assert.ok(config.resendSeconds > 0 && config.codeSeconds >= config.resendSeconds);
  });

  test('the defaults are an app of the local sandbox (sandbox/fixture.json)', () => {
    const fixtureFile = path.join(ROOT, 'sandbox/fixture.json');
    const fixture = readJson(fixtureFile);
    const app = (fixture.apps || []).find((a) => a.appId === config.appId);
    assert.ok(app, `appId ${config.appId} is a sandbox app`);
    assert.equal(app.appSecret, config.appSecret);
    assert.ok(!app.banned && app.accountExists !== false && !(app.ipWhitelist || []).length && app.balance > 0, 'a usable app');
    assert.ok((fixture.apiHosts || []).includes(config.apiUrl));
    assert.match(config.relayUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
