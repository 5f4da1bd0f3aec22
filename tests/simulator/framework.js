'use strict';
// App / Page / Component / Behavior / getApp / getCurrentPages.
// Definitions are recorded (mp.app, mp.pages[route], mp.components[route],
// mp.behaviors) under the route of the file that called them, e.g.
// 'pages/index/index'. There is no rendering; mp.openPage() makes a page
// instance with data / setData / route / options and runs onLoad and onShow
// (onReady on a later macrotask), which is enough to drive page logic.

function createFramework(sim, modules) {
  const { realm } = sim;
  const route = () => (modules.current() || '').replace(/\.js$/, '');
  const pageStack = [];

  // setData('a.b[0].c', v) style paths, as the framework accepts.
  function setPath(target, key, value) {
    const parts = [];
    String(key).replace(/[^.[\]]+|\[(\d+)\]/g, (m, idx) => { parts.push(idx !== undefined ? Number(idx) : m); return m; });
    let o = target;
    for (let i = 0; i < parts.length - 1; i++) {
      if (o[parts[i]] === null || typeof o[parts[i]] !== 'object') o[parts[i]] = typeof parts[i + 1] === 'number' ? new realm.Array() : new realm.Object();
      o = o[parts[i]];
    }
    o[parts[parts.length - 1]] = value;
  }

  const api = {
    App(def) {
      sim.app = def;
    },
    getApp() {
      return sim.app;
    },
    Page(def) {
      sim.pages[route()] = def;
    },
    Component(def) {
      sim.components[route()] = def;
    },
    Behavior(def) {
      sim.behaviors.push(def);
      return def;
    },
    getCurrentPages() {
      const a = new realm.Array();
      for (const p of pageStack) a.push(p);
      return a;
    },
  };

  /** mp.launch(options): App onLaunch + onShow, after requiring app.js if there is one. */
  function launch(launchOptions) {
    if (!sim.app) {
      try { modules.requireFromRoot('/app.js'); } catch (e) { if (!/is not defined/.test(e.message)) throw e; }
    }
    const app = sim.app;
    const opts = realm.toContext(Object.assign({ path: '', query: {}, scene: 1001 }, launchOptions));
    if (app && typeof app.onLaunch === 'function') app.onLaunch(opts);
    if (app && typeof app.onShow === 'function') app.onShow(opts);
    return app;
  }

  /** mp.openPage('pages/index/index', {query}) → the page instance. */
  function openPage(pageRoute, query) {
    const r = pageRoute.replace(/^\/+/, '').replace(/\.js$/, '');
    if (!sim.pages[r]) modules.requireFromRoot('/' + r + '.js');
    const def = sim.pages[r];
    if (!def) throw new Error(`${r}.js did not call Page()`);
    const page = new realm.Object();
    for (const k of Object.keys(def)) if (k !== 'data') page[k] = def[k];
    page.data = realm.jsonClone(def.data || {});
    page.route = r;
    page.options = realm.toContext(Object.assign({}, query));
    page.setData = realm.fn(function setData(obj, cb) {
      for (const k of Object.keys(obj || {})) setPath(page.data, k, realm.jsonClone(obj[k]));
      if (typeof cb === 'function') sim.macrotask(() => cb.call(page));
    }, 'setData');
    pageStack.push(page);
    if (typeof page.onLoad === 'function') page.onLoad(page.options);
    if (typeof page.onShow === 'function') page.onShow();
    if (typeof page.onReady === 'function') sim.macrotask(() => page.onReady());
    return page;
  }

  return { api, launch, openPage };
}

module.exports = { createFramework };
