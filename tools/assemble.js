// Assembles dist/ from the optimised wasm (target/bindgen) and pkg-template/, checks the
// module the way the phones will judge it, loads it and calls it, and prints what ships.
//
//   dist/utils/                       copy into a mini-program's utils/ (drop-in)
//   dist/npm/                         the npm package (Node entry + miniprogram_dist/)
//   dist/cloudfunctions/zhenzisms/    the cloud function, ready to upload
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { makeGlue } = require('./make-glue.js');
const { listExports } = require('./wasm-exports.js');
const { wasmFeatures } = require('../tests/simulator/wasm-features.js');
const { minify } = require('terser');

const ROOT = path.resolve(__dirname, '..');
const BINDGEN = path.join(ROOT, 'target/bindgen');
const TEMPLATE = path.join(ROOT, 'pkg-template');
// Built beside dist/ and swapped in at the end, so tests running meanwhile never see half a dist.
const FINAL = path.join(ROOT, 'dist');
const DIST = path.join(ROOT, 'dist.building');

// Shipped file name → template file. The prefix keeps them apart from a project's own utils.
const SHARED = {
  'zhenzisms_client.js': 'client.js',
  'zhenzisms_vendor.js': 'vendor.js',
  'zhenzisms_codes.js': 'codes.js',
};
const MINIPROGRAM = Object.assign({}, SHARED, {
  'zhenzisms.js': 'entry-miniprogram.js',
  'zhenzisms_wx.js': 'platform-wx.js',
  'zhenzisms_web.js': 'platform-web.js',
  'zhenzisms.d.ts': 'zhenzisms.d.ts',
});
const NODE = Object.assign({}, SHARED, {
  'zhenzisms.js': 'entry-node.js',
  'zhenzisms_node.js': 'platform-node.js',
  'zhenzisms.d.ts': 'zhenzisms.d.ts',
});
const NPM_WASM_PATH = '/miniprogram_npm/zhenzisms-wasm/zhenzisms_bg.wasm.br';

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
// optimiser or glue edit fails the build rather than a user (TOOLCHAIN.md gotcha 1).
function smokeTest(bytes, gluePath) {
  delete require.cache[gluePath];
  const core = require(gluePath);
  const mod = new WebAssembly.Module(bytes);
  core.attach(new WebAssembly.Instance(mod, core.imports()), mod);
  const built = JSON.parse(core.buildRequest('send', JSON.stringify({ route: 'relay', appId: '10001', appSecret: 's' }), JSON.stringify({ number: '15811112222', message: '验证码😀' })));
  const want = 'appId=10001&appSecret=s&apiUrl=https%3A%2F%2Fsms_developer.zhenzikj.com&message=%E9%AA%8C%E8%AF%81%E7%A0%81%F0%9F%98%80&number=15811112222&messageId=&clientIp=';
  if (!built.ok || built.ok.body !== want || built.ok.url !== 'https://smsdeveloper.zhenzikj.com/sms/send.html') fail('smoke test: unexpected request ' + JSON.stringify(built));
  const parsed = JSON.parse(core.parseReply('balance', 200, '{"code":0,"data":537}'));
  if (parsed.ok !== 537) fail('smoke test: unexpected reply ' + JSON.stringify(parsed));
  return 'loaded and called: buildRequest + parseReply answer as expected';
}

function copyFiles(dir, files, transform) {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, source] of Object.entries(files)) {
    let text = fs.readFileSync(path.join(TEMPLATE, source), 'utf8');
    if (transform) text = transform(name, text);
    fs.writeFileSync(path.join(dir, name), text);
  }
}

// The mini-program copies are minified (the sources in pkg-template/ stay commented): JS
// counts against the package budget uncompressed. ES2015 output, names of exports kept.
async function minifyFolder(dir) {
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.js')) continue;
    const file = path.join(dir, name);
    const out = await minify(fs.readFileSync(file, 'utf8'), { ecma: 2015, compress: { passes: 3 }, mangle: true, toplevel: true, format: { comments: false, preamble: '// zhenzisms-wasm (built; sources in pkg-template/)' } });
    fs.writeFileSync(file, out.code + '\n');
  }
}

async function main() {
  const wasm = fs.readFileSync(path.join(BINDGEN, 'zhenzisms_bg.opt.wasm'));
  const checked = checkModule(wasm);
  const glue = makeGlue(fs.readFileSync(path.join(BINDGEN, 'zhenzisms.js'), 'utf8'), fs.readFileSync(path.join(TEMPLATE, 'utf8.js'), 'utf8'));
  const br = zlib.brotliCompressSync(wasm, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: wasm.length } });

  fs.rmSync(DIST, { recursive: true, force: true });
  const utils = path.join(DIST, 'utils');
  copyFiles(utils, MINIPROGRAM);
  fs.writeFileSync(path.join(utils, 'zhenzisms_core.js'), glue);
  fs.writeFileSync(path.join(utils, 'zhenzisms_bg.wasm.br'), br);
  await minifyFolder(utils);
  const smoke = smokeTest(wasm, path.join(utils, 'zhenzisms_core.js'));

  // npm: Node entry at the top, the mini-program files in miniprogram_dist/ for "构建 npm".
  const npm = path.join(DIST, 'npm');
  copyFiles(npm, NODE);
  fs.writeFileSync(path.join(npm, 'zhenzisms_core.js'), glue);
  fs.writeFileSync(path.join(npm, 'zhenzisms_bg.wasm'), wasm);
  copyFiles(path.join(npm, 'miniprogram_dist'), MINIPROGRAM, (name, text) =>
    name === 'zhenzisms_wx.js' ? text.replace("'/utils/zhenzisms_bg.wasm.br'", `'${NPM_WASM_PATH}'`) : text);
  fs.writeFileSync(path.join(npm, 'miniprogram_dist/zhenzisms_core.js'), glue);
  fs.writeFileSync(path.join(npm, 'miniprogram_dist/zhenzisms_bg.wasm.br'), br);
  await minifyFolder(path.join(npm, 'miniprogram_dist'));
  const pkg = JSON.parse(fs.readFileSync(path.join(TEMPLATE, 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(npm, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  fs.copyFileSync(path.join(TEMPLATE, 'README.md'), path.join(npm, 'README.md'));

  // The cloud function: the Node files plus its handler and package.json.
  const cloud = path.join(DIST, 'cloudfunctions/zhenzisms');
  copyFiles(cloud, Object.assign({}, NODE, { 'index.js': 'cloudfunction/index.js', 'zhenzisms_store.js': 'cloudfunction/store.js', 'package.json': 'cloudfunction/package.json' }));
  fs.writeFileSync(path.join(cloud, 'zhenzisms_core.js'), glue);
  fs.writeFileSync(path.join(cloud, 'zhenzisms_bg.wasm'), wasm);

  const old = FINAL + '.old';
  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(FINAL)) fs.renameSync(FINAL, old);
  fs.renameSync(DIST, FINAL);
  fs.rmSync(old, { recursive: true, force: true });

  console.log('module: ' + checked);
  console.log('module: ' + smoke);
  console.log('\nshipped into a mini-program (dist/utils/):');
  let total = 0;
  for (const name of fs.readdirSync(path.join(FINAL, 'utils')).sort()) {
    if (name.endsWith('.d.ts')) continue; // typings are for the editor, not the package
    const size = fs.statSync(path.join(FINAL, 'utils', name)).size;
    total += size;
    console.log(`  ${name.padEnd(26)} ${String(size).padStart(7)} B`);
  }
  console.log(`  ${'total'.padEnd(26)} ${String(total).padStart(7)} B  (${(total / 1024).toFixed(1)} KB; budget 40 KB, stretch 25 KB)`);
  console.log(`  (raw wasm ${wasm.length} B; brotli ${br.length} B)`);
}

main().catch((e) => fail(e.stack || String(e)));
