// Shared by the secret-hygiene suites (tests/node/secrets.test.js, tests/tencent/secrets.test.js):
// what a program may print while a call runs, and every way a value may be turned into text.
'use strict';
const util = require('util');

// Runs `fn` with console.* recorded (and silenced); returns [result, lines].
async function withConsole(fn) {
  const lines = [];
  const saved = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir']) {
    saved[level] = console[level];
    console[level] = (...args) => lines.push(util.format(...args));
  }
  try {
    return [await fn(), lines];
  } finally {
    Object.assign(console, saved);
  }
}

// Every way a value may be turned into text.
function renderings(value) {
  const out = [util.inspect(value, { depth: 8, showHidden: true }), util.inspect(value, { depth: 8, showHidden: true, customInspect: false })];
  try {
    out.push(JSON.stringify(value));
  } catch (e) {
    out.push(String(e));
  }
  if (value instanceof Error) out.push(String(value), value.message, value.stack);
  else if (value !== null && value !== undefined) out.push(String(value));
  return out;
}

module.exports = { withConsole, renderings };
