'use strict';
// miniprogram-simulate with a DOM installed first, and the demo's paths: see tools/demo-render.js,
// which the pictures (tools/demo-shots.js) share with these tests.
const { simulate, loadDemoComponent, domKind, ROOT, DEMO, TOOLS, sameAttr } = require('../../../tools/demo-render.js');

module.exports = { simulate, loadDemoComponent, domKind, ROOT, DEMO, TOOLS, sameAttr };
