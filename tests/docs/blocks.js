'use strict';
// The code blocks of the user docs and how each one says it runs. The convention (documented in
// docs/contributing.md, "Code blocks in the docs"): the line right before a fence is an HTML comment
//
//   <!-- run: KIND option option=value … -->
//
// which GitHub does not render. KIND is page, node, cloud, ts, sh, json or none; the options are
// KIND's own (tests/docs/runners.js reads them). A fence without such a comment is an error: every
// block is run, so none can rot unnoticed.
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

// The files whose every block is run, and the kinds each may use. The demo README and the
// contributor page hold shell commands only.
const DOCS = [
  'README.md',
  'docs/guide.md',
  'pkg-template/npm/README.md',
  'docs/contributing.md',
  'miniprogram-demo/README.md',
];

const KINDS = ['page', 'node', 'cloud', 'ts', 'sh', 'json', 'none'];
const MARKER = /^\s*<!--\s*run:\s*(.*?)\s*-->\s*$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)\s*$/;

/** "page cloud tap=a,b env.X=1" → {kind: 'page', flags: Set{'cloud'}, options: {tap: 'a,b', 'env.X': '1'}, reason} */
function parseMarker(text) {
  const words = text.split(/\s+/).filter(Boolean);
  const kind = words.shift() || '';
  const flags = new Set();
  const options = {};
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0) options[w.slice(0, eq)] = w.slice(eq + 1);
    else flags.add(w);
  }
  // `none` takes its reason as free text: "none: the output of ./build.sh".
  const reason = kind.replace(/:$/, '') === 'none' ? words.join(' ') : '';
  return { kind: kind.replace(/:$/, ''), flags, options, reason, text };
}

/**
 * Every fenced block of `file` (relative to ROOT): {file, line, lang, code, marker, id, previous};
 * `marker` is null when the line before the fence is not a run comment; `previous` is the block
 * before it in the file (a `continues` block runs after it). `code` loses the fence's indentation.
 */
function blocksOf(file) {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const fence = open[2];
    let end = i + 1;
    while (end < lines.length && !(lines[end].trim().startsWith(fence[0].repeat(fence.length)) && lines[end].trim().replace(/[`~]/g, '') === '')) end++;
    if (end >= lines.length) throw new Error(`${file}:${i + 1}: a fence that is never closed`);
    const code = lines.slice(i + 1, end).map((l) => (l.slice(0, indent).trim() === '' ? l.slice(indent) : l)).join('\n');
    const before = i > 0 ? MARKER.exec(lines[i - 1]) : null;
    const previous = blocks.length ? blocks[blocks.length - 1] : null;
    blocks.push({ file, line: i + 1, lang: open[3], code, marker: before ? parseMarker(before[1]) : null, id: `${file}:${i + 1}`, previous });
    i = end;
  }
  return blocks;
}

function allBlocks() {
  return DOCS.flatMap(blocksOf);
}

module.exports = { ROOT, DOCS, KINDS, parseMarker, blocksOf, allBlocks };
