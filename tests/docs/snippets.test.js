'use strict';
// Docs that cannot rot: every code block of README.md, docs/guide.md (both languages), the npm
// README, the contributor page and the demo README says how it runs (an HTML comment before the
// fence, docs/contributing.md "Code blocks in the docs"), and is run that way here: page code in the
// mini-program simulator against the local sandbox, Node code in Node, cloud-function code against
// the built function, TypeScript (and the Node blocks) under tsc --strict, shell blocks checked for
// what they name. Needs dist/ (./build.sh build); without it these fail, saying so.
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { ROOT, DOCS, KINDS, allBlocks } = require('./blocks.js');
const runners = require('./runners.js');
const { checkShell } = require('./shell.js');

const blocks = allBlocks();
const LANG = { page: ['js'], node: ['js'], cloud: ['js'], ts: ['ts'], sh: ['sh'], json: ['json', 'jsonc'] };

let sandbox = null;
let types = null;

before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist/utils/zhenzisms.js')) && fs.existsSync(path.join(ROOT, 'dist/npm/zhenzisms.js')), 'dist/ is not built: run ./build.sh build first');
  sandbox = await runners.startDocSandbox();
});

after(async () => {
  if (sandbox) await sandbox.close();
});

test('every code block of the docs says how it runs', () => {
  assert.ok(blocks.length >= 40, `${blocks.length} blocks`);
  for (const file of DOCS) assert.ok(blocks.some((b) => b.file === file), `${file} has blocks`);
  for (const b of blocks) {
    assert.ok(b.marker, `${b.id}: a \`\`\`${b.lang} block without <!-- run: … --> before it`);
    assert.ok(KINDS.includes(b.marker.kind), `${b.id}: unknown kind "${b.marker.kind}"`);
    if (b.marker.kind === 'none') assert.ok(b.marker.reason.length >= 10, `${b.id}: "none" needs a reason`);
    else assert.ok(LANG[b.marker.kind].includes(b.lang), `${b.id}: a ${b.marker.kind} block fenced as \`\`\`${b.lang}`);
  }
});

test('the guide\'s two languages run the same kinds of blocks, section by section', () => {
  const guide = fs.readFileSync(path.join(ROOT, 'docs/guide.md'), 'utf8').split('\n');
  const en = guide.findIndex((l) => l === '## English');
  const section = (line) => {
    for (let i = line - 1; i >= 0; i--) {
      const m = /^### (\d+)\./.exec(guide[i]);
      if (m) return m[1];
    }
    return '0';
  };
  const kinds = (half) => blocks.filter((b) => b.file === 'docs/guide.md' && (b.line > en) === half)
    .map((b) => `§${section(b.line)} ${b.marker && b.marker.kind}`);
  assert.deepEqual(kinds(true), kinds(false));
});

describe('the blocks, run', () => {
  for (const b of blocks) {
    const kind = b.marker ? b.marker.kind : '?';
    test(`${b.id} (${kind}${b.marker && b.marker.text !== kind ? `: ${b.marker.text.slice(kind.length).trim()}` : ''})`, async () => {
      assert.ok(b.marker, 'says how it runs');
      sandbox.reset();
      switch (kind) {
        case 'page':
          await runners.runPage(b, sandbox);
          break;
        case 'cloud':
          await runners.runCloud(b, sandbox);
          break;
        case 'node': {
          if (!types) types = runners.typeCheck(blocks.filter((x) => x.marker && (x.marker.kind === 'ts' || x.marker.kind === 'node')));
          assert.equal(types.get(b.id), '', `tsc --strict (checkJs):\n${types.get(b.id)}`);
          await runners.runNode(b, sandbox);
          break;
        }
        case 'ts':
          if (!types) types = runners.typeCheck(blocks.filter((x) => x.marker && (x.marker.kind === 'ts' || x.marker.kind === 'node')));
          assert.equal(types.get(b.id), '', `tsc --strict:\n${types.get(b.id)}`);
          break;
        case 'sh': {
          const ownFiles = new Set(blocks.filter((x) => x.file === b.file && x.marker && x.marker.kind === 'node').map((x) => runners.ownName(x.code)).filter(Boolean));
          assert.deepEqual(checkShell(b.code, { ownFiles }), []);
          break;
        }
        case 'json':
          assert.doesNotThrow(() => JSON.parse(b.code.replace(/^\s*\/\/.*$/gm, '')));
          break;
        case 'none':
          break;
        default:
          assert.fail(`unknown kind ${kind}`);
      }
    });
  }
});
