// The built cloud function with its dependencies installed as 上传并部署（云端安装依赖）does: a
// copy of dist/cloudfunctions/zhenzisms, then `npm install` of its own package.json (the real
// wx-server-sdk from the npm registry). The install is cached under target/cloudbase/, keyed by
// that package.json, so a run re-downloads nothing; the function's own files are refreshed from
// dist/ every time. `node tests/cloudbase/install.js` (./build.sh test runs it) installs; the
// tests only call functionCopy(), which never touches the network.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '../..');
const BUILT = path.join(ROOT, 'dist', 'cloudfunctions', 'zhenzisms');
const CACHE = path.join(ROOT, 'target', 'cloudbase');

function copyDir(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const a = path.join(from, entry.name);
    const b = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(a, b);
    else fs.copyFileSync(a, b);
  }
}

/** The copy's folder for the built function's package.json (installed or not). */
function copyDirFor() {
  const pkg = fs.readFileSync(path.join(BUILT, 'package.json'));
  return path.join(CACHE, 'zhenzisms-' + crypto.createHash('sha256').update(pkg).digest('hex').slice(0, 16));
}

/** → the installed copy, its files fresh from dist/; throws when it was never installed. */
function functionCopy() {
  if (!fs.existsSync(BUILT)) throw new Error('dist/cloudfunctions/zhenzisms is missing: run ./build.sh build first');
  const dir = copyDirFor();
  if (!fs.existsSync(path.join(dir, 'node_modules', 'wx-server-sdk', 'package.json'))) {
    throw new Error('the real wx-server-sdk is not installed into a copy of the cloud function: run node tests/cloudbase/install.js (./build.sh test does)');
  }
  // the function's files as built now (a config.json that went away goes away here too)
  for (const f of fs.readdirSync(dir)) if (f !== 'node_modules' && f !== 'package-lock.json') fs.rmSync(path.join(dir, f), { recursive: true, force: true });
  copyDir(BUILT, dir);
  return dir;
}

function install() {
  const dir = copyDirFor();
  if (fs.existsSync(path.join(dir, 'node_modules', 'wx-server-sdk', 'package.json'))) {
    console.log('cloud function copy with its npm dependencies: cached in ' + path.relative(ROOT, dir));
    return dir;
  }
  const staging = dir + '.installing';
  fs.rmSync(staging, { recursive: true, force: true });
  copyDir(BUILT, staging);
  console.log('npm install in a copy of dist/cloudfunctions/zhenzisms (as 云端安装依赖 does)…');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--omit=dev'], { cwd: staging, stdio: 'inherit' });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  return dir;
}

if (require.main === module) install();

module.exports = { functionCopy, install, copyDirFor };
