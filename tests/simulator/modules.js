'use strict';
// CommonJS as the mini-program runtime does it: `require` resolves only files
// of the code package. Relative ('./a', '../utils/x.js') and absolute-from-
// root ('/utils/x.js') paths, '.js' appended when missing, '.json' files, and
// bare names looked up in miniprogram_npm/ folders (what "构建 npm" makes).
// Node built-ins and anything outside the root throw
//   Error: module "<x>" is not defined
// like WeChat. Each module gets `require`, `module`, `exports`; there is no
// __dirname / __filename.

const fs = require('fs');
const path = require('path');
const vm = require('vm');

const posix = path.posix;

function createModules(sim, ctx, realm) {
  const root = sim.root;
  const cache = new Map(); // package path ('utils/x.js') -> module object
  const stack = []; // package paths of the modules being executed

  const notDefined = (name) => realm.error(realm.Error, `module "${name}" is not defined`);
  const isFile = (rel) => {
    try { return fs.statSync(path.join(root, rel)).isFile(); } catch (e) { return false; }
  };
  // A normalised package path must not climb out of the root.
  const inside = (rel) => rel !== '..' && !rel.startsWith('../') && !posix.isAbsolute(rel);
  const withExt = (rel) => (/\.(js|json)$/.test(rel) ? [rel] : [rel + '.js']);

  /** Resolve `request` made from package directory `fromDir` ('' = root). */
  function resolve(request, fromDir) {
    if (typeof request !== 'string' || request === '') throw notDefined(String(request));
    let candidates;
    if (request.startsWith('/')) {
      candidates = withExt(posix.normalize(request.slice(1)));
    } else if (request.startsWith('./') || request.startsWith('../')) {
      candidates = withExt(posix.normalize(posix.join(fromDir, request)));
    } else {
      // Bare name: an npm package built into miniprogram_npm, searched from
      // the requiring file's folder up to the root.
      candidates = [];
      let dir = fromDir;
      for (;;) {
        const base = posix.normalize(posix.join(dir, 'miniprogram_npm', request));
        candidates.push(...withExt(base), posix.join(base, 'index.js'));
        if (dir === '' || dir === '.') break;
        dir = posix.dirname(dir);
        if (dir === '.') dir = '';
      }
    }
    for (const rel of candidates) if (inside(rel) && isFile(rel)) return rel;
    const shown = request.startsWith('/') || request.startsWith('.') ? (candidates[0] || request) : request;
    throw notDefined(shown);
  }

  function load(rel) {
    const cached = cache.get(rel);
    if (cached) return cached.exports;
    const abs = path.join(root, rel);
    const source = fs.readFileSync(abs, 'utf8');
    const module = new realm.Object();
    module.exports = new realm.Object();
    cache.set(rel, module);
    try {
      if (rel.endsWith('.json')) {
        module.exports = realm.parse(source);
      } else {
        // The host compiles the file (allowed); code inside still cannot eval.
        const fn = vm.compileFunction(source, ['require', 'module', 'exports'], {
          parsingContext: ctx,
          filename: abs,
        });
        stack.push(rel);
        try {
          fn.call(undefined, makeRequire(posix.dirname(rel)), module, module.exports);
        } finally {
          stack.pop();
        }
      }
    } catch (e) {
      cache.delete(rel); // a failed module is not cached, so a retry re-runs it
      throw e;
    }
    return module.exports;
  }

  function makeRequire(fromDir) {
    const dir = fromDir === '.' ? '' : fromDir;
    return realm.fn((request) => load(resolve(request, dir)), 'require');
  }

  return {
    /** mp.require: '/utils/x.js' and 'utils/x.js' both mean from the root. */
    requireFromRoot(request) {
      if (typeof request !== 'string') throw new TypeError('mp.require expects a package path');
      const req = request.startsWith('/') || request.startsWith('.') ? request : '/' + request;
      return load(resolve(req, ''));
    },
    /** Package path of the module now executing (Page()/Component() use it). */
    current: () => stack[stack.length - 1],
    cache,
  };
}

module.exports = { createModules };
