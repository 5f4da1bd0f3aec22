'use strict';
// Renders the demo's pages (miniprogram-demo/miniprogram) under miniprogram-simulate in Node, and
// turns a rendered page into HTML + CSS a browser lays out the way WeChat would: the page's WXML as
// `wx-*` elements, its WXSS (app + page + components, rpx converted at a 375 px wide screen) and,
// underneath, an approximation of the base library's own component styles (style v2). Used by the
// demo's tests (tests/demo/helpers/) and by tools/demo-shots.js (pictures in headless Chromium).
//
// Pages under miniprogram-simulate: it only knows components, so the page's .js runs with a `Page`
// that captures its options, which are then registered as a component whose template is the page's
// .wxml and whose methods are the page's functions (what Page() gives `this`: data, setData,
// selectComponent). `require` inside the page resolves within the mini-program root, except
// utils/zhenzisms.js, which is replaced by the `sdk` the caller passes in.
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const ROOT = path.resolve(__dirname, '..');
const TOOLS = path.join(ROOT, 'tools', 'node_modules');
const DEMO = path.join(ROOT, 'miniprogram-demo', 'miniprogram');

// The DOM must exist before miniprogram-simulate is required: exparser picks its "dom" backend at
// load time, and j-component routes taps through DOM nodes.
function installDom() {
  if (typeof global.window === 'object' && global.window.document) return 'existing';
  // eslint-disable-next-line import/no-dynamic-require, global-require
  const { JSDOM } = require(path.join(TOOLS, 'jsdom'));
  const win = new JSDOM('<!doctype html><html><head></head><body></body></html>').window;
  global.window = win;
  global.document = win.document;
  // Node has Event/CustomEvent of its own, which jsdom's dispatchEvent refuses: use jsdom's.
  global.Event = win.Event;
  global.CustomEvent = win.CustomEvent;
  return 'jsdom';
}

const domKind = installDom();
// eslint-disable-next-line import/no-dynamic-require
const simulate = require(path.join(TOOLS, 'miniprogram-simulate'));

// WXML goes through WeChat's own compiler (wcc, from miniprogram-compiler): it refuses what a
// phone refuses (an unclosed tag, say), where the simulated compiler renders it silently.
const COMPILER = 'official';
// eslint-disable-next-line import/no-dynamic-require
const { getWxml } = require(path.join(TOOLS, 'miniprogram-simulate', 'src', 'compile.js'));

/** Load a component of the demo by its path relative to miniprogram/ (e.g. 'components/x/index'). */
function loadDemoComponent(rel, options) {
  return simulate.load(path.join(DEMO, rel), Object.assign({ compiler: COMPILER, rootPath: DEMO }, options));
}

/** A page's template compiled by wcc (with every WXML of the demo, as WeChat compiles them). */
function pageTemplate(base) {
  return getWxml(base, { compiler: COMPILER, rootPath: DEMO });
}

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
 * → {comp, options, app, wx, toasts, cloudInits, json}. `pageRel` like 'pages/login/login'. The
 * page's onLoad/onShow are not called: callers call comp.instance.onLoad() when they want to.
 * `wxExtra` adds to or replaces members of `wx` (e.g. cloud.callFunction, getAccountInfoSync).
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
    template: pageTemplate(base),
    usingComponents,
    data: JSON.parse(JSON.stringify(options.data || {})),
    methods,
  });
  const comp = simulate.render(id);
  comp.attach(document.createElement('page-wrapper'));
  return { comp, options, app, wx, toasts, cloudInits, json };
}

/** Text of the first node matching selector ('' when absent). */
function textOf(comp, selector) {
  const node = comp.querySelector(selector);
  if (!node) return '';
  const collect = (j) => (typeof j === 'string' ? j : (j.children || []).map(collect).join(''));
  return collect(node.toJSON());
}

// wcc hands attributes over as the properties exparser makes of them (aria-disabled →
// ariaDisabled), the simulated compiler as written: `name` is matched in either spelling.
const dashed = (name) => name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
const sameAttr = (rendered, name) => rendered === name || dashed(rendered) === name;

/** Value of attribute `name` as rendered on the first node matching selector. */
function attrOf(comp, selector, name) {
  const node = comp.querySelector(selector);
  if (!node) return undefined;
  const found = node.toJSON().attrs.find((a) => sameAttr(a.name, name));
  return found && found.value;
}

// --- HTML for a browser -------------------------------------------------------------------------

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Attributes that matter for layout and style; a boolean false means the attribute is absent.
const KEPT = ['id', 'class', 'type', 'size', 'disabled', 'plain', 'checked', 'aria-role', 'aria-disabled'];

function attrsHtml(attrs) {
  return KEPT.filter((k) => attrs[k] !== undefined && attrs[k] !== false && attrs[k] !== '')
    .map((k) => (attrs[k] === true ? ` ${k}` : ` ${k}="${esc(attrs[k])}"`)).join('');
}

/** A rendered tree (comp.toJSON()) as HTML; built-in components get the inner parts WeChat draws. */
function toHtml(node) {
  if (typeof node === 'string') return esc(node);
  const attrs = {};
  (node.attrs || []).forEach((a) => { attrs[dashed(a.name)] = a.value; });
  const inner = (node.children || []).map(toHtml).join('');
  const tag = node.tagName === 'main' ? 'wx-component' : node.tagName;
  let content = inner;
  if (tag === 'wx-input') {
    const value = attrs.value == null ? '' : String(attrs.value);
    content = value
      ? `<span class="wx-input-value">${esc(value)}</span>`
      : `<span class="wx-input-placeholder ${esc(attrs['placeholder-class'] || '')}">${esc(attrs.placeholder || '')}</span>`;
  } else if (tag === 'wx-button' && attrs.loading === true) {
    content = `<i class="wx-button-loading"></i>${inner}`;
  } else if (tag === 'wx-switch') {
    const on = attrs.checked === true;
    const style = on && attrs.color ? ` style="background-color:${esc(attrs.color)};border-color:${esc(attrs.color)}"` : '';
    content = `<span class="wx-switch-input${on ? ' wx-switch-input-checked' : ''}"${style}></span>`;
  }
  return `<${tag}${attrsHtml(attrs)}>${content}</${tag}>`;
}

// An approximation of the base library's built-in component styles with "style": "v2" [I: from
// public notes on WeChat's WAWebview styles]. What matters most is kept exactly: the SELECTORS, so a
// page's one-class rule loses to `wx-button:not([size=mini])` (width 184px, margin auto) as it does
// on a phone, and the values that shape a page: button size, colours, padding.
const BASE_CSS = `
html, body { margin: 0; }
wx-page { display: block; }
wx-view, wx-navigator, wx-input { display: block; }
wx-text { white-space: pre-wrap; }
wx-input { display: flex; align-items: center; height: 1.4rem; min-height: 1.4rem; overflow: hidden; white-space: nowrap; }
.wx-input-placeholder { color: #808080; }
wx-button { position: relative; display: block; margin-left: auto; margin-right: auto; padding: 8px 24px;
  box-sizing: border-box; font-size: 17px; font-weight: 700; line-height: 1.41176471; text-align: center;
  border-radius: 4px; overflow: hidden; color: #000; background-color: #f2f2f2; }
wx-button:not([size=mini]) { width: 184px; margin-left: auto; margin-right: auto; }
wx-button:not([type]), wx-button[type=default] { color: #06ae56; background-color: #f2f2f2; }
wx-button[type=primary] { color: #fff; background-color: #07c160; }
wx-button[disabled]:not([type]), wx-button[disabled][type=default],
wx-button[disabled][type=primary] { color: rgba(0,0,0,.18); background-color: rgba(0,0,0,.05); }
wx-button[size=mini] { display: inline-block; font-size: 14px; line-height: 2.3; padding: 0 .75em; width: auto; }
wx-button::after { content: " "; position: absolute; top: 0; left: 0; width: 200%; height: 200%;
  border: 0 solid rgba(0,0,0,.2); transform: scale(.5); transform-origin: 0 0; box-sizing: border-box; border-radius: 8px; }
.wx-button-loading { display: inline-block; width: 1em; height: 1em; margin: -.2em .34em 0 0; vertical-align: middle;
  border: 2px solid currentColor; border-right-color: transparent; border-radius: 50%; box-sizing: border-box; }
wx-switch { display: inline-block; }
.wx-switch-input { display: block; position: relative; width: 52px; height: 32px; box-sizing: border-box;
  border: 2px solid transparent; border-radius: 16px; background-color: rgba(0,0,0,.1); }
.wx-switch-input::after { content: ""; position: absolute; top: 0; left: 0; width: 28px; height: 28px;
  border-radius: 14px; background: #fff; box-shadow: 0 2px 3px rgba(0,0,0,.06); }
.wx-switch-input-checked { background-color: #07c160; border-color: #07c160; }
.wx-switch-input-checked::after { transform: translateX(20px); }
`;

/** WXSS → CSS: rpx at a screen `width` px wide (750rpx = width), `page` → the page element. */
function wxssToCss(wxss, width) {
  return wxss
    .replace(/(-?\d*\.?\d+)rpx/g, (m, n) => `${+(Number(n) * width / 750).toFixed(3)}px`)
    .replace(/(^|[\s,}])page(?=[\s,{.:])/g, '$1wx-page');
}

/** Every WXSS a page uses: app.wxss, its components' (recursively), its own. */
function pageWxss(pageRel) {
  const files = [path.join(DEMO, 'app.wxss')];
  const seen = new Set();
  const visit = (base) => {
    const json = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8'));
    Object.values(json.usingComponents || {}).forEach((p) => {
      const comp = p.startsWith('/') ? path.join(DEMO, p) : path.resolve(path.dirname(base), p);
      if (seen.has(comp)) return;
      seen.add(comp);
      visit(comp);
      files.push(`${comp}.wxss`);
    });
  };
  visit(path.join(DEMO, pageRel));
  files.push(path.join(DEMO, `${pageRel}.wxss`));
  return files.filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

/** A whole HTML document for a rendered page: `chrome` is extra HTML/CSS around it (nav bar, caption). */
function pageHtml(page, pageRel, { width = 375, before = '', after = '', css = '' } = {}) {
  const body = (page.comp.toJSON().children || []).map(toHtml).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${BASE_CSS}\n${wxssToCss(pageWxss(pageRel), width)}\n${css}</style></head>`
    + `<body>${before}<wx-page>${body}</wx-page>${after}</body></html>`;
}

module.exports = {
  simulate, loadDemoComponent, domKind, ROOT, DEMO, TOOLS, COMPILER, sameAttr,
  renderPage, textOf, attrOf, toHtml, wxssToCss, pageWxss, pageHtml, BASE_CSS,
};
