'use strict';
// Loads miniprogram-simulate (from the project's tool folder) with a DOM installed first.
// The DOM must exist before the require: exparser picks its "dom" backend at load time, and
// j-component routes taps through DOM nodes. jsdom comes from the tool folder (build.sh installs it).
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TOOLS = path.join(ROOT, 'tools', 'node_modules');
const DEMO = path.join(ROOT, 'miniprogram-demo', 'miniprogram');

function installDom() {
  if (typeof global.window === 'object' && global.window.document) return 'existing';
  // eslint-disable-next-line import/no-dynamic-require, global-require
  const { JSDOM } = require(path.join(TOOLS, 'jsdom'));
  const win = new JSDOM('<!doctype html><html><head></head><body></body></html>').window;
  const kind = 'jsdom';
  global.window = win;
  global.document = win.document;
  // Node has Event/CustomEvent of its own, which jsdom's dispatchEvent refuses: use jsdom's.
  global.Event = win.Event;
  global.CustomEvent = win.CustomEvent;
  return kind;
}

const domKind = installDom();
// eslint-disable-next-line import/no-dynamic-require
const simulate = require(path.join(TOOLS, 'miniprogram-simulate'));

/** Load a component of the demo by its path relative to miniprogram/ (e.g. 'components/x/index'). */
function loadDemoComponent(rel, options) {
  return simulate.load(path.join(DEMO, rel), Object.assign({ compiler: 'simulate', rootPath: DEMO }, options));
}

module.exports = { simulate, loadDemoComponent, domKind, ROOT, DEMO, TOOLS };
