// Where the official packages the tests use are installed (tools/official, by ./build.sh test;
// pinned in its package.json and lock), and a clear error when they are not.
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '../..');
const OFFICIAL = path.join(ROOT, 'tools', 'official', 'node_modules');

function load(name) {
  const dir = path.join(OFFICIAL, name);
  if (!fs.existsSync(dir)) throw new Error(`${name} is not installed in tools/official: run ./build.sh setup (or npm ci --prefix tools/official)`);
  return require(dir);
}

module.exports = {
  OFFICIAL,
  bson: () => load('bson'),
  miniprogramCi: () => load('miniprogram-ci'),
};
