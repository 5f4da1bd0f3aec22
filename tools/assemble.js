// Assembles dist/ from the optimised wasm (target/bindgen) and pkg-template/, checks the
// module the way the phones will judge it, loads it and calls it, and prints what ships.
//
//   dist/utils/                       copy into a mini-program's utils/ (drop-in)
//   dist/npm/                         the npm package (Node entry + miniprogram_dist/ + browser/)
//   dist/cloudfunctions/zhenzisms/    the cloud function, ready to upload
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { makeGlue } = require('./make-glue.js');
const { listExports } = require('./wasm-exports.js');
const { wasmFeatures } = require('./wasm-features.js');
const { minify } = require('terser');
const { cargoVersion } = require('./version.js');
const generated = require('./generated.js');

const ROOT = path.resolve(__dirname, '..');
const BINDGEN = path.join(ROOT, 'target/bindgen');
// Node's module: the same core plus Tencent Cloud SMS signing (cargo feature `server`).
const BINDGEN_SERVER = path.join(ROOT, 'target/bindgen-server');
const TEMPLATE = path.join(ROOT, 'pkg-template');
// Built beside dist/ and swapped in at the end, so tests running meanwhile never see half a dist.
const FINAL = path.join(ROOT, 'dist');
const DIST = path.join(ROOT, 'dist.building');

// pkg-template/ holds one folder per target, each file under the name it ships as, so that
// assembling is copying: shared/ goes everywhere, then the target's own folder.
const MINIPROGRAM = ['shared', 'miniprogram'];
// Browsers (and Node loading that folder): the npm package's browser/, never a mini-program's.
const WEB = ['shared', 'web'];
const NODE = ['shared', 'node'];
const CLOUD = ['shared', 'node', 'cloudfunction'];
// The npm package's miniprogram_dist/: the mini-program files plus index.js, its entry.
const MINIPROGRAM_NPM = MINIPROGRAM.concat('npm-miniprogram');
// For tsc and editors only: the typings of the generated glue, and the per-target tsc projects.
const NOT_SHIPPED = ['zhenzisms_core.d.ts', 'tsconfig.json'];
const NPM_WASM_PATH = '/miniprogram_npm/zhenzisms-wasm/zhenzisms_bg.wasm.br';
// Bytes of dist/utils/ (wasm.br + every JS file) a mini-program ships: over it, the build fails.
// 36 KB with the one-tap helper in (40 051 B before the browser entry left and the glue shrank).
const BUDGET_BYTES = 36 * 1024;

function fail(message) {
  console.error('assemble: ' + message);
  process.exit(1);
}

// What WeChat on iOS accepts: no exported Global, no reference types, no multi-value, and
// (to be safe on engines nobody documents) no other post-MVP feature either.
function checkModule(bytes) {
  const globals = listExports(bytes).filter((e) => e.kind === 'global');
  if (globals.length) fail('the module exports globals: ' + globals.map((e) => e.name).join(', '));
  const f = wasmFeatures(bytes);
  const used = Object.keys(f).filter((k) => k !== 'details' && f[k] === true);
  if (used.length) fail('the module uses post-MVP features: ' + used.join(', ') + '\n' + (f.details || []).join('\n'));
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
  if (imports.length) fail('the module has imports the loaders do not supply: ' + JSON.stringify(imports));
  return 'no exported globals, no post-MVP features, no imports';
}

// Loads the module with the generated glue and runs one build + parse, so a broken
// optimiser or glue edit fails the build rather than a user (docs/toolchain.md, trap 1).
function smokeTest(bytes, gluePath) {
  delete require.cache[gluePath];
  const core = require(gluePath);
  const mod = new WebAssembly.Module(bytes);
  core.attach(new WebAssembly.Instance(mod, core.imports()), mod);
  // Every request vector, byte-exact (the same file the native and wasm tests read).
  const { vectors } = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/vectors/requests.json'), 'utf8'));
  for (const v of vectors) {
    const built = core.buildRequest(v.op, JSON.stringify(v.config), JSON.stringify(v.params));
    if (!built.ok || built.ok.body !== v.body || built.ok.url !== v.url) fail(`smoke test: ${v.name}: unexpected request ` + JSON.stringify(built));
  }
  const parsed = core.parseReply('balance', 200, '{"code":0,"data":537}');
  if (parsed.ok !== 537) fail('smoke test: unexpected reply ' + JSON.stringify(parsed));
  return `loaded and called: ${vectors.length} request vectors byte-exact, parseReply as expected`;
}

// A rewrite of generated or template text that must find its target exactly once: when a new
// wasm-bindgen or an edit of pkg-template/ moves it, the build stops instead of shipping the
// text unchanged.
function replaceOnce(text, from, to, where) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) fail(`${where}: expected ${JSON.stringify(from)} exactly once`);
  return text.replace(from, () => to);
}

// The release number has one source, Cargo.toml's [package] version; every package.json and
// the JS (`zhenzisms.version`) get it from there at build time.
const VERSION = cargoVersion();
const VERSION_LINE = "var VERSION = '0.0.0-dev';";

function stampVersion(name, text) {
  if (name === 'package.json') {
    const pkg = JSON.parse(text); // name first, then version, then the rest as written
    return JSON.stringify(Object.assign({ name: pkg.name, version: VERSION }, pkg, { version: VERSION }), null, 2) + '\n';
  }
  if (name === 'zhenzisms_client.js') {
    return replaceOnce(text, VERSION_LINE, `var VERSION = '${VERSION}';`, name + ' (the version stamp)');
  }
  return text;
}

// The server module also signs: one Tencent request must carry a TC3 Authorization.
function smokeTestServer(bytes, gluePath) {
  smokeTest(bytes, gluePath);
  const core = require(gluePath);
  const built = core.tencentBuildRequest({ secretId: 'AKID', secretKey: 'k', sdkAppId: '1400000000', signName: '签名' }, { number: '13800138000', templateId: '1', templateParams: ['123456'] }, 1551113065);
  if (!built.ok || !/^TC3-HMAC-SHA256 Credential=AKID\/2019-02-25\/sms\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/.test(built.ok.header.Authorization)) fail('smoke test (server): unexpected request ' + JSON.stringify(built));
  return 'loaded and called: also tencentBuildRequest signs';
}

// Reads one module built by build.sh and makes its glue.
function loadBuilt(dir) {
  const wasm = fs.readFileSync(path.join(dir, 'zhenzisms_bg.opt.wasm'));
  const checked = checkModule(wasm);
  const glue = makeGlue(fs.readFileSync(path.join(dir, 'zhenzisms.js'), 'utf8'), fs.readFileSync(path.join(__dirname, 'glue-utf8.js'), 'utf8'));
  return { wasm, checked, glue };
}

// Copies every file of the template folders into `dir` (later folders win on a name).
function copyFolders(dir, folders, transform) {
  fs.mkdirSync(dir, { recursive: true });
  for (const folder of folders) {
    for (const name of fs.readdirSync(path.join(TEMPLATE, folder))) {
      if (NOT_SHIPPED.includes(name)) continue;
      let text = stampVersion(name, fs.readFileSync(path.join(TEMPLATE, folder, name), 'utf8'));
      const made = generated.rewrite(text, GENERATED);
      if (made.drift.length) fail(`pkg-template/${folder}/${name} restates the core differently; update it:\n` + made.drift.join('\n'));
      made.found.forEach((piece) => WRITTEN.add(piece));
      text = made.text;
      if (transform) text = transform(name, text);
      fs.writeFileSync(path.join(dir, name), text);
    }
  }
}

// The mini-program copies are minified (the sources in pkg-template/ stay commented): JS
// counts against the package budget uncompressed. ES2015 output, names of exports kept;
// function expressions that use no `this`/`arguments` become arrows, and object-literal
// functions methods (neither is ever called with `new`): ~1 KB less.
async function minifyFolder(dir) {
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.js')) continue;
    const file = path.join(dir, name);
    const out = await minify(fs.readFileSync(file, 'utf8'), { ecma: 2015, compress: { passes: 3, unsafe_arrows: true, unsafe_methods: true }, mangle: true, toplevel: true, format: { comments: false, preamble: `// zhenzisms-wasm ${VERSION} (MIT; built from pkg-template/)` } });
    fs.writeFileSync(file, out.code + '\n');
  }
}

// What the shim and typings restate of the core (tools/generated.js), asked of the server module.
let GENERATED = null;
const WRITTEN = new Set(); // the pieces some template marks: each must be somewhere

function askCore(bytes, glue) {
  const file = path.join(BINDGEN_SERVER, 'glue.cjs');
  fs.writeFileSync(file, glue);
  delete require.cache[file];
  const core = require(file);
  const mod = new WebAssembly.Module(bytes);
  core.attach(new WebAssembly.Instance(mod, core.imports()), mod);
  return core;
}

async function main() {
  const { wasm, checked, glue } = loadBuilt(BINDGEN);
  const server = loadBuilt(BINDGEN_SERVER);
  GENERATED = generated.pieces(askCore(server.wasm, server.glue));
  const br = zlib.brotliCompressSync(wasm, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: wasm.length } });

  fs.rmSync(DIST, { recursive: true, force: true });
  const utils = path.join(DIST, 'utils');
  copyFolders(utils, MINIPROGRAM);
  fs.writeFileSync(path.join(utils, 'zhenzisms_core.js'), glue);
  fs.writeFileSync(path.join(utils, 'zhenzisms_bg.wasm.br'), br);
  await minifyFolder(utils);
  const smoke = smokeTest(wasm, path.join(utils, 'zhenzisms_core.js'));

  // npm: Node entry (the server module) at the top, the mini-program files in
  // miniprogram_dist/ for "构建 npm" (the lean module).
  const npm = path.join(DIST, 'npm');
  copyFolders(npm, NODE);
  fs.writeFileSync(path.join(npm, 'zhenzisms_core.js'), server.glue);
  fs.writeFileSync(path.join(npm, 'zhenzisms_bg.wasm'), server.wasm);
  const serverSmoke = smokeTestServer(server.wasm, path.join(npm, 'zhenzisms_core.js'));
  copyFolders(path.join(npm, 'miniprogram_dist'), MINIPROGRAM_NPM, (name, text) =>
    name === 'zhenzisms_wx.js' ? replaceOnce(text, "'/utils/zhenzisms_bg.wasm.br'", `'${NPM_WASM_PATH}'`, 'zhenzisms_wx.js (the npm wasm path)') : text);
  fs.writeFileSync(path.join(npm, 'miniprogram_dist/zhenzisms_core.js'), glue);
  fs.writeFileSync(path.join(npm, 'miniprogram_dist/zhenzisms_bg.wasm.br'), br);
  await minifyFolder(path.join(npm, 'miniprogram_dist'));
  const browser = path.join(npm, 'browser');
  copyFolders(browser, WEB);
  fs.writeFileSync(path.join(browser, 'zhenzisms_core.js'), glue);
  fs.writeFileSync(path.join(browser, 'zhenzisms_bg.wasm.br'), br);
  await minifyFolder(browser);
  copyFolders(npm, ['npm']); // package.json, README.md
  fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(npm, 'LICENSE'));

  // The cloud function: the Node files (server module) plus its handler and package.json.
  const cloud = path.join(DIST, 'cloudfunctions/zhenzisms');
  copyFolders(cloud, CLOUD);
  // Typings serve editors, not a deployed function: leaving them out keeps the upload small.
  fs.rmSync(path.join(cloud, 'zhenzisms.d.ts'));
  fs.writeFileSync(path.join(cloud, 'zhenzisms_core.js'), server.glue);
  fs.writeFileSync(path.join(cloud, 'zhenzisms_bg.wasm'), server.wasm);

  const unwritten = Object.keys(GENERATED).filter((piece) => !WRITTEN.has(piece));
  if (unwritten.length) fail('no template marks the generated piece(s) ' + unwritten.join(', ') + ': a marker was lost');

  const old = FINAL + '.old';
  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(FINAL)) fs.renameSync(FINAL, old);
  fs.renameSync(DIST, FINAL);
  fs.rmSync(old, { recursive: true, force: true });

  console.log('module: ' + checked);
  console.log('module: ' + smoke);
  console.log('server module (Node): ' + server.checked + '; ' + serverSmoke + ` (raw ${server.wasm.length} B)`);
  console.log('\nshipped into a mini-program (dist/utils/):');
  let total = 0;
  for (const name of fs.readdirSync(path.join(FINAL, 'utils')).sort()) {
    if (name.endsWith('.d.ts')) continue; // typings are for the editor, not the package
    const size = fs.statSync(path.join(FINAL, 'utils', name)).size;
    total += size;
    console.log(`  ${name.padEnd(26)} ${String(size).padStart(7)} B`);
  }
  console.log(`  ${'total'.padEnd(26)} ${String(total).padStart(7)} B  (${(total / 1024).toFixed(1)} KB; budget ${BUDGET_BYTES / 1024} KB, stretch 25 KB)`);
  console.log(`  (raw wasm ${wasm.length} B; brotli ${br.length} B)`);
  if (total > BUDGET_BYTES) fail(`dist/utils/ is ${total} B, over its budget of ${BUDGET_BYTES} B: make room before adding to the phone`);
}

main().catch((e) => fail(e.stack || String(e)));
