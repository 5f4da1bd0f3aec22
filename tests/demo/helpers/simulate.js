'use strict';
// Loads miniprogram-simulate (from the project's tool folder) with a DOM installed first.
// The DOM must exist before the require: exparser picks its "dom" backend at load time, and
// j-component routes taps through DOM nodes. jsdom is used when the tool folder has it; otherwise
// the small stand-in in mini-dom.js.
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TOOLS = path.join(ROOT, 'tools', 'node_modules');
const DEMO = path.join(ROOT, 'miniprogram-demo', 'miniprogram');

function installDom() {
  if (typeof global.window === 'object' && global.window.document) return 'existing';
  let win;
  let kind;
  try {
    // eslint-disable-next-line import/no-dynamic-require, global-require
    const { JSDOM } = require(path.join(TOOLS, 'jsdom'));
    win = new JSDOM('<!doctype html><html><head></head><body></body></html>').window;
    kind = 'jsdom';
  } catch (e) {
    // eslint-disable-next-line global-require
    win = require('./mini-dom').createWindow();
    kind = 'mini-dom';
  }
  global.window = win;
  global.document = win.document;
  if (typeof global.CustomEvent !== 'function') global.CustomEvent = win.CustomEvent;
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
