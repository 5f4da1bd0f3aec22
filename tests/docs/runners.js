'use strict';
// How each kind of docs block runs (the convention: docs/contributing.md, "Code blocks in the docs").
//
//   page   mini-program page code, in the simulator (tests/simulator/) with the built dist/utils/ in
//          utils/ (and dist/npm's miniprogram_dist as miniprogram_npm/zhenzisms-wasm/, for
//          require('zhenzisms-wasm')), the relay pointed at the sandbox. `cloud`: cloud mode, with the
//          built cloud function and the wx-server-sdk stand-in (tests/cloud/); `env.NAME=value` sets
//          one of its variables. The block is the page's .js file; if it calls Page({...}),
//          `tap=a,b` calls those handlers in turn, waiting for what each started. `continues`: the
//          block goes on from the one before it (the two run as one file).
//   node   a file of its own (.mjs when it uses import), run by Node in a child process, where
//          require('zhenzisms-wasm') and ./dist/npm are the built package; the vendors' hosts go to
//          the sandbox, nothing else leaves loopback (tests/docs/node-preload.js). It is also
//          type-checked as JavaScript (checkJs, --strict but noImplicitAny) against the typings.
//   cloud  a cloud function's index.js (or, without exports.main, the body of one, with `cloud`,
//          `event` and `OPENID` given), beside the built zhenzisms function; the user has just
//          verified `number`, and the function is called with {number, token}.
//   ts     TypeScript, type-checked with tsc --strict against the shipped typings.
//   sh     shell: every command is one the checker knows, every ./build.sh verb exists, every file or
//          folder it names is in the repository (or made by the build), every flag it gives a
//          script is one the script reads.
//   json   parsed.   none: <why>   not code (an output sample): nothing to run, the reason is required.
//
// What passes (page, node): every SDK call the block makes is answered exactly once, and each answer
// is a success (res.data.code 0, validateCode 'ok', a fulfilled Promise), with at least one call;
// `expect=none`: no call at all; `expect=settled`: answered, whatever the answer; `expect=a,b,…`:
// the answers, in the order of the calls (codes as numbers, validateCode results as words).
//
// The parts: fixture.js (the names, the sandbox, dist/), answers.js (what a call got, and the
// verdict), run-page.js (page, cloud), run-node.js (node, with node-preload.js), types.js (ts and
// the node blocks under tsc), shell.js (sh), blocks.js (the blocks and their comments).
const fixture = require('./fixture.js');
const answers = require('./answers.js');
const { runPage, runCloud, cloudSource } = require('./run-page.js');
const { runNode, ownName } = require('./run-node.js');
const { typeCheck } = require('./types.js');

module.exports = {
  FIXTURE: fixture.FIXTURE,
  TENCENT_EXAMPLE: fixture.TENCENT_EXAMPLE,
  startDocSandbox: fixture.startDocSandbox,
  judge: answers.judge,
  answerOf: answers.answerOf,
  runPage,
  runCloud,
  cloudSource,
  runNode,
  ownName,
  typeCheck,
};
