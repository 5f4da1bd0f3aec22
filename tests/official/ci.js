// miniprogram-ci (official, "extracted from WeChat DevTools"; tools/official) for the tests: each
// job in a child process (./ci-child.js) with ./loopback-only.js preloaded, so the tool reaches
// nothing beyond loopback. → {ok: …} or {error: {message, code}}, plus the tool's output in `log`.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFile } = require('child_process');

function runCi(job) {
  const env = Object.assign({}, process.env, {
    NODE_OPTIONS: [process.env.NODE_OPTIONS, '--require ' + JSON.stringify(path.join(__dirname, 'loopback-only.js'))].filter(Boolean).join(' '),
  });
  delete env.NODE_TEST_CONTEXT;
  // The tool leaves folders in its working directory: give it one of its own.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzi-ci-cwd-'));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(__dirname, 'ci-child.js'), JSON.stringify(job)], { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60 * 1000 }, (err, stdout, stderr) => {
      fs.rmSync(cwd, { recursive: true, force: true });
      const m = /\nCI-RESULT (.*)\n/.exec(stdout);
      if (!m) return reject(new Error(`miniprogram-ci ${job.op} gave no result${err ? ' (' + err.message + ')' : ''}:\n${stdout}\n${stderr}`));
      resolve(Object.assign(JSON.parse(m[1]), { log: stdout.slice(0, m.index) + stderr }));
    });
  });
}

const packNpm = (projectPath) => runCi({ op: 'packNpm', projectPath });
// The upload's compile: ES6 → ES5 and minified, WXML and WXSS minified.
const UPLOAD = { es6: true, es7: true, minify: true, minifyJS: true, minifyWXML: true, minifyWXSS: true };
const compile = (projectPath, outDir, setting = UPLOAD) => runCi({ op: 'compile', projectPath, outDir, setting });
const analyse = (projectPath) => runCi({ op: 'analyse', projectPath });

module.exports = { runCi, packNpm, compile, analyse, UPLOAD };
