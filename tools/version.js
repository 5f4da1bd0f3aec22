// The release number, from its one source: Cargo.toml's [package] version. tools/assemble.js
// stamps it into every package.json and the JS (zhenzisms.version); tools/release.js names the
// files after it. `node tools/version.js` prints it (the release workflow compares it to the tag).
'use strict';
const fs = require('fs');
const path = require('path');

function cargoVersion() {
  const toml = fs.readFileSync(path.join(__dirname, '..', 'Cargo.toml'), 'utf8');
  const m = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m.exec(toml);
  if (!m) throw new Error('no [package] version in Cargo.toml');
  return m[1];
}

if (require.main === module) console.log(cargoVersion());

module.exports = { cargoVersion };
