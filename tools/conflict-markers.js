// Merge-conflict markers left in a tracked file fail the build (`./build.sh test` runs this first).
// A marker is a line that starts with seven '<', '|' or '>' and a space (or ends there), as git
// writes them; a lone '=======' line is not enough (Markdown and banners use it), so a file is
// flagged by its '<<<<<<<' / '>>>>>>>' lines, and the '=======' between them is reported with them.
//   node tools/conflict-markers.js [root]      (default: the repository; exit 1 and a list if any)
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const OPEN = /^(<{7}|\|{7}|>{7})( |$)/;
const MIDDLE = /^={7}$/;

/** Line numbers (1-based) of the conflict markers in `text`, [] when there are none. */
function findMarkers(text) {
  const lines = String(text).split(/\r?\n/);
  const marked = [];
  lines.forEach((line, i) => {
    if (OPEN.test(line)) marked.push(i + 1);
  });
  if (marked.length === 0) return [];
  lines.forEach((line, i) => {
    if (MIDDLE.test(line)) marked.push(i + 1);
  });
  return marked.sort((a, b) => a - b);
}

// Outside a git work tree (a source archive) every file counts, but what the build makes.
const UNTRACKED_DIRS = new Set(['.git', 'target', 'dist', 'node_modules', 'dist.building', 'dist.old']);

/** Tracked files of the git work tree at `root` (NUL-separated, so any name works); without git, all files. */
function trackedFiles(root) {
  try {
    const out = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\0').filter(Boolean);
  } catch (e) {
    const files = [];
    const walk = (rel) => {
      for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
        const name = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory() && !UNTRACKED_DIRS.has(entry.name)) walk(name);
        else if (entry.isFile()) files.push(name);
      }
    };
    walk('');
    return files;
  }
}

/** [{file, lines}] for every tracked text file with markers. Binary files (a NUL byte) are skipped. */
function scan(root) {
  const found = [];
  for (const file of trackedFiles(root)) {
    let bytes;
    try {
      bytes = fs.readFileSync(path.join(root, file));
    } catch (e) {
      continue; // tracked but deleted in the work tree: nothing to read
    }
    if (bytes.includes(0)) continue;
    const lines = findMarkers(bytes.toString('utf8'));
    if (lines.length) found.push({ file, lines });
  }
  return found;
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] || path.join(__dirname, '..'));
  const found = scan(root);
  if (found.length) {
    console.error('merge-conflict markers in tracked files (resolve them, then commit):');
    for (const f of found) console.error(`  ${f.file}: line ${f.lines.join(', ')}`);
    process.exit(1);
  }
  console.log(`no merge-conflict markers in ${trackedFiles(root).length} tracked files`);
}

module.exports = { findMarkers, scan };
