// Shared by the tests/node suites: the built npm package, a sandbox per suite, clients
// pointed at it, ports nobody listens on, and closing everything so the process exits.
'use strict';
const { before, beforeEach, after } = require('node:test');
const net = require('net');
const { startSandbox } = require('../../sandbox/server.js');

// ZHENZISMS_NPM_DIR runs the suites against another build of the npm package.
const DIST = process.env.ZHENZISMS_NPM_DIR || require('path').resolve(__dirname, '../../dist/npm');
const sdk = require(DIST + '/zhenzisms.js');
const nodePlatform = require(DIST + '/zhenzisms_node.js');

const NUMBER = '13800138000';

// Fixture app secrets are "sandbox-secret-<appId>".
function clientFor(sb, appId = '10001', options = {}) {
  return new sdk.ZhenziClient(Object.assign({
    route: 'direct',
    apiUrl: sb.url,
    appId,
    appSecret: 'sandbox-secret-' + appId,
    retryDelayMs: 5,
  }, options));
}

// A port that was just listened on and closed: connecting to it is refused.
function closedPort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// The rejection of `promise` (fails the test if it resolves).
async function rejection(promise) {
  try {
    const value = await promise;
    throw new Error('expected a rejection, got ' + JSON.stringify(value));
  } catch (e) {
    if (e instanceof sdk.ZhenziError) return e;
    throw e;
  }
}

// Keep-alive sockets of the Node platform would otherwise hold the process open.
function destroyAgents() {
  for (const agent of Object.values(nodePlatform.agents)) agent.destroy();
}

// Empties the pools and waits until the sockets are really gone: an agent reused right after
// destroy() still counts the closing sockets and opens extra ones (plain Node does this too).
async function emptyAgents() {
  destroyAgents();
  const agents = Object.values(nodePlatform.agents);
  while (agents.some((a) => a.totalSocketCount > 0)) await new Promise((r) => setTimeout(r, 1));
}

// The hooks every suite here needs: one sandbox for the file (handed to `use`), reset before
// each test, closed after with the Node platform's keep-alive sockets.
function useSandbox(use) {
  let sb;
  before(async () => {
    sb = await startSandbox({ port: 0 });
    use(sb);
  });
  beforeEach(() => sb.reset());
  after(async () => {
    await sb.close();
    destroyAgents();
  });
}

// A clock the test moves: timers fire only when `advance(ms)` passes their time, never on
// their own, so a test of a timeout is exact whatever the machine's load.
function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  let next = 1;
  const timers = new Map(); // id → {at, fn}
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.set(next, { at: now + Math.max(0, Number(ms) || 0), fn });
      return next++;
    },
    clearTimeout: (id) => timers.delete(id),
    pending: () => timers.size,
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
  };
}

// An SDK of the built package on `clock` (its Node platform's withClock).
function sdkOnClock(clock) {
  return require(DIST + '/zhenzisms_client.js').createSdk(nodePlatform.withClock(clock)).sdk;
}

module.exports = { sdk, nodePlatform, DIST, manualClock, sdkOnClock, NUMBER, startSandbox, useSandbox, clientFor, closedPort, rejection, destroyAgents, emptyAgents };
