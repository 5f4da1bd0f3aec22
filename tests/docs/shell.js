'use strict';
// `sh` blocks of the docs are not run (they build, install, start servers), but everything they
// name is checked: each command is one this checker knows, each ./build.sh verb is one build.sh
// has, each file or folder is in the repository (or made by the build: dist/), each flag given to a
// repository script is one the script reads, each download named is one tools/release.js makes,
// and each URL is the local sandbox's. A new command needs a line here: on purpose.
const fs = require('fs');
const path = require('path');
const { ROOT } = require('./blocks.js');

const buildSh = fs.readFileSync(path.join(ROOT, 'build.sh'), 'utf8');
const releaseTool = fs.readFileSync(path.join(ROOT, 'tools/release.js'), 'utf8');
const version = /^version = "([^"]+)"/m.exec(fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))[1];

/** The verbs of build.sh's final `case` (the empty one is ./build.sh alone). */
function buildVerbs() {
  const body = buildSh.slice(buildSh.lastIndexOf('case "${1:-}" in'));
  return new Set([...body.matchAll(/^ {2}("?)([a-z]*)\1\)/gm)].map((m) => m[2]));
}

// Release downloads, as tools/release.js lists them in its header (`<v>` there, `<version>` in the
// docs); the two zips are also checked against the names it writes (tests/release/readme.test.js).
const RELEASE_NAMES = [...releaseTool.matchAll(/^\/\/\s+(zhenzisms-wasm-[\w-]*)<v>(\.\w+)\s/gm)].map((m) => `${m[1]}<version>${m[2]}`);

function isReleaseFile(token) {
  const t = token.replace(/^\.\//, '').replace(/^dist\/release\//, '').replace(version, '<version>').replace(/<版本>/g, '<version>');
  return RELEASE_NAMES.some((n) => t === n || t === `${n}.sha256` || t === '*.sha256');
}

/** Shell words of one command line (quotes removed; no expansion). */
function words(line) {
  const out = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m;
  while ((m = re.exec(line))) out.push(m[1] !== undefined ? m[1] : m[2] !== undefined ? m[2] : m[3]);
  return out;
}

/** The command lines of a block: comments dropped, `\` continuations joined, `&&` / `|` split. */
function commands(code) {
  const joined = code.replace(/\\\n/g, ' ');
  const lines = joined.split('\n').map((l) => l.replace(/(^|\s)#.*$/, '').trim()).filter(Boolean);
  return lines.flatMap((l) => l.split(/\s*(?:&&|\|\||\||;)\s*/)).filter(Boolean);
}

const looksLikePath = (t) => !t.startsWith('-') && !/^[a-z]+:\/\//.test(t) && (t.includes('/') || /\.(js|mjs|json|md|sh|toml|ts|wasm|br)$/.test(t));

function checkPath(token, problems, ctx) {
  if (isReleaseFile(token)) return;
  if (ctx.ownFiles.has(token)) return;
  const clean = token.replace(/\/\*$/, '').replace(/\/$/, '');
  if (!fs.existsSync(path.join(ROOT, clean))) problems.push(`${token}: no such file or folder in the repository`);
}

function checkScriptFlags(script, args, problems) {
  const file = path.join(ROOT, script);
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) return;
  const source = fs.readFileSync(file, 'utf8');
  for (const a of args) {
    const flag = /^(--?[\w-]+)/.exec(a);
    if (flag && !source.includes(`'${flag[1]}'`) && !source.includes(`"${flag[1]}"`) && !source.includes(flag[1])) problems.push(`${script} does not read ${flag[1]}`);
  }
}

function checkUrl(url, problems) {
  const u = new URL(url);
  if (u.hostname !== '127.0.0.1') problems.push(`${url}: a shell block may only name the local sandbox`);
  else if (u.pathname !== '/' && !/^\/__(inbox|requests|faults|reset)\b/.test(u.pathname)) problems.push(`${url}: not a sandbox route`);
}

// command → check(args, problems, ctx). Paths in any command are checked too.
const KNOWN = {
  './build.sh': (args, problems) => {
    const verb = args[0] || '';
    if (!buildVerbs().has(verb)) problems.push(`./build.sh ${verb}: build.sh has no such verb`);
  },
  node: (args, problems) => {
    const i = args.findIndex((a) => !a.startsWith('-'));
    if (args[0] === '--test' || i < 0) return;
    checkScriptFlags(args[i], args.slice(i + 1), problems);
  },
  npm: (args, problems) => {
    if (!['install', 'ci', 'run', 'pack'].includes(args[0])) problems.push(`npm ${args[0]}: not a command the docs should need`);
    for (const a of args.slice(1)) {
      if (a.startsWith('-') || looksLikePath(a) || isReleaseFile(a)) continue;
      if (a !== 'zhenzisms-wasm') problems.push(`npm install ${a}: only this package is ever installed`);
    }
  },
  curl: (args, problems) => args.filter((a) => /^https?:\/\//.test(a)).forEach((u) => checkUrl(u, problems)),
  cargo: () => {},
  rustup: () => {},
  'wasm-pack': () => {},
  tsc: () => {},
  git: () => {},
  cd: () => {},
  ls: () => {},
  cp: () => {},
  mkdir: () => {},
  unzip: () => {},
  'sha256sum': () => {},
};

/** Problems with a sh block ([] when none). `ctx.ownFiles`: files node blocks of that doc name. */
function checkShell(code, ctx) {
  const problems = [];
  const cmds = commands(code);
  if (cmds.length === 0) problems.push('no command in the block');
  for (const cmd of cmds) {
    const [name, ...args] = words(cmd);
    const check = KNOWN[name];
    if (!check) {
      problems.push(`${name}: a command the checker does not know (tests/docs/shell.js)`);
      continue;
    }
    check(args, problems, ctx);
    if (name === 'curl') continue;
    for (const a of args) {
      if (/<(version|版本|v)>/.test(a)) {
        if (!isReleaseFile(a)) problems.push(`${a}: not a download tools/release.js makes`);
        continue;
      }
      if (a.includes('<')) {
        // A placeholder the reader fills in (<path>/dist/npm): what follows it must still exist.
        const tail = a.slice(a.lastIndexOf('>') + 1).replace(/^\//, '');
        if (tail && looksLikePath(tail)) checkPath(tail, problems, ctx);
        continue;
      }
      if (looksLikePath(a)) checkPath(a, problems, ctx);
    }
    if (name === './build.sh' && !fs.existsSync(path.join(ROOT, 'build.sh'))) problems.push('build.sh is missing');
  }
  return problems;
}

module.exports = { checkShell, buildVerbs, commands, RELEASE_NAMES };
