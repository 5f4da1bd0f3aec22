'use strict';
// `node` blocks: a file of its own in a child process, with tests/docs/node-preload.js as its hosts
// file, its fence and its witness (docs/contributing.md).
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const { ROOT, FIXTURE, nodeProject, isModule } = require('./fixture.js');
const { judge } = require('./answers.js');

/** The file name a node block gives itself on its first line ("// try.js — …"), or null. */
function ownName(code) {
  const m = /^\/\/\s*([\w.-]+\.(?:c|m)?js)\b/.exec(code);
  return m ? m[1] : null;
}

function runNode(block, sb) {
  const dir = nodeProject();
  const file = path.join(dir, isModule(block.code) ? 'block.mjs' : 'block.js');
  fs.writeFileSync(file, block.code);
  const out = path.join(dir, 'outcomes.json');
  const env = Object.assign({}, process.env, {
    DOCS_SANDBOX_URL: sb.url,
    DOCS_ROOT: ROOT,
    DOCS_OUTCOMES: out,
    DOCS_FIXTURE: JSON.stringify(FIXTURE),
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', path.join(__dirname, 'node-preload.js'), file], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      try {
        if (status !== 0) throw new Error(`${block.id}: node exited ${status === null ? `on ${signal}` : status}:\n${output}`);
        const outcomes = JSON.parse(fs.readFileSync(out, 'utf8'));
        const calls = outcomes.map((o) => ({ method: o.call, answers: o.outcome === null ? [] : [o.outcome], counts: true }));
        judge(calls, block.marker.options.expect, block.id);
        resolve({ output, calls });
      } catch (e) {
        reject(e);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

module.exports = { runNode, ownName };
