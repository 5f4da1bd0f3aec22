'use strict';
// Renders a demo PAGE under miniprogram-simulate, which only knows components: the page's own .js
// runs with a `Page` that captures its options, which are then registered as a component whose
// template is the page's .wxml and whose methods are the page's functions (what Page() gives `this`:
// data, setData, selectComponent). `require` inside the page is resolved within the mini-program root,
// except utils/zhenzisms.js, which is replaced by the `sdk` the test passes in.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const { simulate, loadDemoComponent, DEMO } = require('./simulate');

const PAGE_LIFECYCLE = new Set(['onLoad', 'onShow', 'onReady', 'onHide', 'onUnload']);

function loadModule(file, env, cache) {
  if (cache.has(file)) return cache.get(file).exports;
  const mod = { exports: {} };
  cache.set(file, mod);
  const source = fs.readFileSync(file, 'utf8');
  const wrapper = vm.runInThisContext(
    `(function (require, module, exports, App, Page, Component, getApp, wx) {${source}\n})`,
    { filename: file },
  );
  const req = (spec) => {
    let target = spec.startsWith('/') ? path.join(DEMO, spec) : path.resolve(path.dirname(file), spec);
    if (!/\.(js|json)$/.test(target)) target += '.js';
    if (path.relative(DEMO, target).split(path.sep).join('/').startsWith('utils/zhenzisms')) return env.sdk;
    if (target.endsWith('.json')) return JSON.parse(fs.readFileSync(target, 'utf8'));
    return loadModule(target, env, cache);
  };
  wrapper(req, mod, mod.exports, env.App, env.Page, env.Component, env.getApp, env.wx);
  return mod.exports;
}

/**
 * → {comp, options, app, wx, toasts, cloudInits}. `pageRel` like 'pages/login/login'. The page's onLoad/onShow are
 * not called: tests call comp.instance.onLoad() when they want to. `wxExtra` adds to or replaces
 * members of `wx` (e.g. cloud.callFunction, getAccountInfoSync).
 */
function renderPage(pageRel, { sdk, globalData, wxExtra }) {
  const base = path.join(DEMO, pageRel);
  const json = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8'));
  const toasts = [];
  const cloudInits = [];
  const wx = Object.assign(Object.create(global.wx), {
    showToast: (o) => toasts.push(o),
    cloud: { init: (o) => cloudInits.push(o) },
  }, wxExtra || {});
  let app = null;
  let options = null;
  const env = {
    sdk,
    wx,
    getApp: () => app,
    App: (o) => { app = o; },
    Page: (o) => { options = o; },
    Component: () => { throw new Error('a page file called Component()'); },
  };
  const cache = new Map();
  // The real app.js, so getApp() has its globalData and methods; its onLaunch is not run.
  loadModule(path.join(DEMO, 'app.js'), Object.assign({}, env, { Page: null }), cache);
  if (!app) throw new Error('app.js did not call App()');
  Object.assign(app.globalData, globalData);
  loadModule(`${base}.js`, env, cache);
  if (!options) throw new Error(`${pageRel}.js did not call Page()`);

  const usingComponents = {};
  Object.entries(json.usingComponents || {}).forEach(([tag, p]) => {
    const rel = p.startsWith('/') ? p.slice(1) : path.relative(DEMO, path.resolve(path.dirname(base), p));
    usingComponents[tag] = loadDemoComponent(rel);
  });

  const methods = {};
  Object.keys(options).forEach((key) => {
    if (typeof options[key] === 'function') methods[key] = options[key];
  });
  const id = simulate.load({
    template: fs.readFileSync(`${base}.wxml`, 'utf8'),
    usingComponents,
    data: JSON.parse(JSON.stringify(options.data || {})),
    methods,
  });
  const comp = simulate.render(id);
  comp.attach(document.createElement('page-wrapper'));
  return { comp, options, app, wx, toasts, cloudInits, lifecycle: [...PAGE_LIFECYCLE].filter((k) => methods[k]) };
}

/** Text of the first node matching selector ('' when absent). */
function textOf(comp, selector) {
  const node = comp.querySelector(selector);
  if (!node) return '';
  const collect = (j) => (typeof j === 'string' ? j : (j.children || []).map(collect).join(''));
  return collect(node.toJSON());
}

/** Value of attribute `name` as rendered on the first node matching selector. */
function attrOf(comp, selector, name) {
  const node = comp.querySelector(selector);
  if (!node) return undefined;
  const found = node.toJSON().attrs.find((a) => a.name === name);
  return found && found.value;
}

module.exports = { renderPage, textOf, attrOf };
