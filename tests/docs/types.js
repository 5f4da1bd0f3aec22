'use strict';
// `ts` blocks under tsc --strict, and the `node` blocks as JavaScript (checkJs), against the shipped
// typings: 'zhenzisms-wasm' and ./dist/npm resolve to the built package.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const { ROOT, FIXTURE, nodeProject, isModule } = require('./fixture.js');

const FIXTURE_DTS = `${Object.entries(FIXTURE).map(([k, v]) => `declare const ${k}: ${typeof v};`).join('\n')}\n`;

/** One tsc run over `blocks` in a folder where 'zhenzisms-wasm' is the built package → Map id → text. */
function tsc(blocks, extra) {
  const dir = nodeProject();
  const files = blocks.map((b, i) => {
    const ts = b.marker.kind === 'ts';
    const ext = ts ? (isModule(b.code) ? '.ts' : '.cts') : (isModule(b.code) ? '.mjs' : '.js');
    const name = `block${i}${ext}`;
    fs.writeFileSync(path.join(dir, name), b.code);
    return { name, block: b };
  });
  fs.writeFileSync(path.join(dir, 'fixture.d.ts'), FIXTURE_DTS);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: Object.assign({
      strict: true,
      noEmit: true,
      allowJs: true,
      checkJs: true,
      target: 'es2020',
      lib: ['es2020', 'dom'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      types: ['node'],
      typeRoots: [path.join(ROOT, 'tools/node_modules/@types')],
      skipLibCheck: true,
    }, extra),
    files: ['fixture.d.ts'].concat(files.map((f) => f.name)),
  }));
  const run = spawnSync(process.execPath, [path.join(ROOT, 'tools/node_modules/typescript/bin/tsc'), '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  const text = `${run.stdout}${run.stderr}`;
  const found = new Map(files.map((f) => [f.block.id, '']));
  for (const line of text.split('\n')) {
    const m = /(?:^|\/)(block\d+\.\w+)\((\d+),\d+\): (.*)$/.exec(line.trim());
    const f = m && files.find((x) => x.name === m[1]);
    if (f) found.set(f.block.id, `${found.get(f.block.id)}${f.block.file}:${f.block.line + Number(m[2])}: ${m[3]}\n`);
  }
  // A failure that names no block (a broken set-up) must not pass silently.
  if (run.status !== 0 && [...found.values()].every((v) => v === '')) throw new Error(`tsc failed:\n${text}`);
  return found;
}

/**
 * ts blocks under tsc --strict; node blocks as JavaScript (checkJs) under --strict without
 * noImplicitAny (plain JS has no annotations to give; null checks and the typings still apply).
 * → Map block id → diagnostics ('' when clean).
 */
function typeCheck(blocks) {
  const ts = blocks.filter((b) => b.marker.kind === 'ts');
  const js = blocks.filter((b) => b.marker.kind === 'node');
  return new Map([...(ts.length ? tsc(ts, {}) : []), ...(js.length ? tsc(js, { noImplicitAny: false }) : [])]);
}

module.exports = { typeCheck };
