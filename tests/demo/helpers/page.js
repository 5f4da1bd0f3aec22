'use strict';
// Renders a demo PAGE under miniprogram-simulate (see tools/demo-render.js for how a page becomes a
// component there), and reads texts and attributes off the rendered tree.
const { renderPage, textOf, attrOf } = require('../../../tools/demo-render.js');

module.exports = { renderPage, textOf, attrOf };
