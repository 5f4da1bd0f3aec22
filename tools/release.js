// The release downloads, from a built dist/ (`./build.sh release` builds first):
//
//   zhenzisms-wasm-utils-<v>.zip          unzip into the mini-program's utils/ (the vendor's download was
//                                         one zhenzisms.js for there)
//   zhenzisms-wasm-cloudfunction-<v>.zip  unzip into cloudfunctions/zhenzisms/, then 上传并部署
//   zhenzisms-wasm-<v>.tgz                the npm package (npm pack of dist/npm/)
//
// each with <file>.sha256 ("<hex>  <file>", as sha256sum -c reads it), into dist/release/.
//   node tools/release.js [--out <dir>]
// Zip entries carry SOURCE_DATE_EPOCH (seconds) when set, else 2026-01-01 UTC, so the same
// build gives the same bytes.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { zipFolder } = require('./zip.js');
const { cargoVersion } = require('./version.js');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

function fail(message) {
  console.error('release: ' + message);
  process.exit(1);
}

function outDir() {
  const i = process.argv.indexOf('--out');
  return i > 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]) : path.join(DIST, 'release');
}

function entryDate() {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return new Date(Date.UTC(2026, 0, 1));
  if (!/^\d+$/.test(epoch)) fail('SOURCE_DATE_EPOCH must be whole seconds');
  return new Date(Number(epoch) * 1000);
}

// dist/ must be a build of this version: a stale dist/ would ship under the wrong number.
function checkDist(version) {
  for (const dir of ['utils', 'cloudfunctions/zhenzisms', 'npm/miniprogram_dist']) {
    if (!fs.existsSync(path.join(DIST, dir))) fail(`dist/${dir} is missing: run ./build.sh release`);
  }
  const built = JSON.parse(fs.readFileSync(path.join(DIST, 'npm/package.json'), 'utf8')).version;
  if (built !== version) fail(`dist/ was built as ${built}, Cargo.toml says ${version}: rebuild`);
}

function writeSum(file) {
  const hex = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  fs.writeFileSync(file + '.sha256', `${hex}  ${path.basename(file)}\n`);
  return hex;
}

function npmPack(out) {
  const json = execFileSync('npm', ['pack', path.join(DIST, 'npm'), '--pack-destination', out, '--json', '--ignore-scripts', '--offline'], { cwd: ROOT, encoding: 'utf8' });
  return path.join(out, JSON.parse(json)[0].filename);
}

function main() {
  const version = cargoVersion();
  checkDist(version);
  const out = outDir();
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const date = entryDate();

  const files = [];
  const utils = path.join(out, `zhenzisms-wasm-utils-${version}.zip`);
  zipFolder(path.join(DIST, 'utils'), utils, date);
  files.push(utils);
  const cloud = path.join(out, `zhenzisms-wasm-cloudfunction-${version}.zip`);
  zipFolder(path.join(DIST, 'cloudfunctions/zhenzisms'), cloud, date);
  files.push(cloud);
  files.push(npmPack(out));

  console.log(`release ${version} in ${path.relative(process.cwd(), out) || '.'}/:`);
  for (const file of files) {
    const hex = writeSum(file);
    console.log(`  ${path.basename(file).padEnd(40)} ${String(fs.statSync(file).size).padStart(7)} B  sha256 ${hex}`);
  }
}

main();
