// @ts-check
// The npm package's mini-program entry. "工具 → 构建 npm" copies miniprogram_dist/ into
// miniprogram_npm/zhenzisms-wasm/, and require('zhenzisms-wasm') loads this index.js.
'use strict';

module.exports = require('./zhenzisms.js');
