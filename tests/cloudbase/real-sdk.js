// The cloud suites' second backend: the real wx-server-sdk 4.0.2, installed into a copy of the
// built function (./install.js), talking HTTP to our local CloudBase endpoint (./endpoint.js).
// createCloudSdk() gives the same interface as the stand-in (tests/cloud/wx-server-sdk-standin.js):
// it IS the real SDK module (what require('wx-server-sdk') answers) plus the test's handles:
//   context      OPENID, APPID, UNIONID, CLIENTIP, ENV, SOURCE: tests change them between calls
//   beforeMain() sets the WX_* variables the real getWXContext() reads from `context`, as
//                WeChat does at each invocation; the loaders call it just before each main
//   db           dump(collection), addAsPage(openid, collection, data), createCollection(name),
//                trips / calls / resetTrips(): the function's database round trips in a row,
//                counted on its side of the wire (../cloud/trips.js), as the stand-in counts them
//   functions    name → main, reached by cloud.callFunction through the endpoint
//   phone        the 云调用 phone-number fixture (tests/cloud/phone-exchange.js)
//   inits        what the function passed to cloud.init()
// One real SDK per process (it initialises once, like a warm instance); each createCloudSdk() is
// its own CloudBase environment (TCB_ENV), so its database starts empty.
'use strict';
const path = require('path');
const endpoint = require('./endpoint.js');
const { functionCopy } = require('./install.js');
const { createDatabase } = require('./database.js');
const { createPhoneExchange, permits } = require('../cloud/phone-exchange.js');
const { createTrips, countedDatabase } = require('../cloud/trips.js');

let real = null;
let functionDir = null;
let envs = 0;

// Variables the platform sets in every SCF instance (docs/testing.md, "Running on the real SDK"), so the SDK behaves as
// in the cloud.
function platformEnv() {
  Object.assign(process.env, {
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: 'ap-shanghai',
    SILENCE: 'true', // no slow-query warnings
  });
}

// The function role's temporary keys, which CloudBase injects into every invocation (the SDK
// signs its requests with them and fails without). A test that sets its own (tests/tencent: the
// runtime's keys signing Tencent SMS) keeps them; otherwise placeholders stand in.
function roleKeys() {
  if (process.env.TENCENTCLOUD_SECRETID && process.env.TENCENTCLOUD_SECRETKEY) return;
  Object.assign(process.env, {
    TENCENTCLOUD_SECRETID: 'AKIDlocalCloudBaseEndpointRoleKey',
    TENCENTCLOUD_SECRETKEY: 'local-cloudbase-endpoint-role-key',
    TENCENTCLOUD_SESSIONTOKEN: 'local-cloudbase-endpoint-session-token',
  });
}

// With ZHENZISMS_TEST_CLOUD_REPORT set (tests/cloudbase/real-sdk.test.js), each process notes on
// exit how many requests the real SDK made to the endpoint: proof the suite ran on it.
let requestCount = 0;
const REPORT = process.env.ZHENZISMS_TEST_CLOUD_REPORT; // read now: suites clear variables
function reportOnExit() {
  const file = REPORT;
  if (!file) return;
  process.on('exit', () => {
    require('fs').appendFileSync(file, JSON.stringify({ argv: process.argv.slice(1), requests: requestCount }) + '\n');
  });
}

function loadReal() {
  if (!real) {
    // Nothing of the SDK's may reach beyond loopback (a request built before TCB_CONTEXT_CNFG,
    // say, would look up Tencent's hosts): such a call fails here at once.
    require('../official/loopback-only.js');
    reportOnExit();
    functionDir = functionCopy();
    platformEnv();
    process.env.TCB_CONTEXT_CNFG = JSON.stringify({ URL: endpoint.start() });
    real = require(path.join(functionDir, 'node_modules', 'wx-server-sdk'));
  }
  return real;
}

const WX_KEYS = { OPENID: 'WX_OPENID', APPID: 'WX_APPID', UNIONID: 'WX_UNIONID', CLIENTIP: 'WX_CLIENTIP' };

function createCloudSdk(options = {}) {
  const sdk = loadReal();
  const env = 'zhenzisms-test-' + process.pid + '-' + ++envs;
  const context = { OPENID: 'openid' in options ? options.openid : 'sim-openid-1', APPID: 'wxsimulator', UNIONID: '', CLIENTIP: '127.0.0.1', ENV: env, SOURCE: 'wx_client' };
  const db = createDatabase({ collections: options.collections });
  const inits = [];
  // `overrides` (a callee's SOURCE) apply to this invocation only.
  function beforeMain(overrides) {
    const c = Object.assign({}, context, overrides);
    const keys = [];
    for (const [k, v] of Object.entries(WX_KEYS)) {
      if (c[k] === undefined || c[k] === null) delete process.env[v];
      else {
        process.env[v] = String(c[k]);
        keys.push(v);
      }
    }
    process.env.WX_CONTEXT_KEYS = keys.join(',');
    roleKeys();
    // A test that moves the call to another environment (a token from staging checked in
    // production) reaches this backend under that name too.
    endpoint.register(c.ENV, backend);
    process.env.TCB_ENV = c.ENV;
    process.env.SCF_NAMESPACE = c.ENV;
    process.env.TCB_SOURCE = c.SOURCE;
    process.env.TCB_CONTEXT_KEYS = 'TCB_ENV,TCB_SOURCE'; // what the SDK reads them through
  }
  const backend = {
    db,
    facade: null, // its `functions` are the ones a test registered
    phone: createPhoneExchange({ appid: () => context.APPID }),
    permits: (api) => permits(options.functionDir || functionDir, api),
    requests: [],
    counted: () => requestCount++,
    // A callee: its variables set just before its main, the caller's put back right after
    // (main reads them synchronously, before its first await).
    invoke(main, event, overrides) {
      beforeMain(overrides);
      try {
        return Promise.resolve(main(event, {}));
      } finally {
        beforeMain();
      }
    },
  };
  endpoint.register(env, backend);
  beforeMain();
  // The real SDK's own members (copied, so Object.assign({}, cloudSdk) keeps them, as the
  // stand-in's are), then the test's handles.
  const facade = Object.defineProperties({}, Object.getOwnPropertyDescriptors(sdk));
  backend.facade = facade;
  const trips = createTrips();
  const database = sdk.database.bind(sdk);
  return Object.assign(facade, {
    backend: 'real',
    context,
    beforeMain: () => beforeMain(),
    inits,
    init: (opts) => {
      inits.push(opts);
      return sdk.init(opts);
    },
    database: (...args) => countedDatabase(database(...args), trips),
    db: {
      dump: db.dump,
      addAsPage: db.addAsPage,
      createCollection: db.createCollection,
      get trips() {
        return trips.trips;
      },
      get calls() {
        return trips.calls;
      },
      resetTrips: () => trips.reset(),
    },
    functions: {},
    phone: backend.phone,
    requests: backend.requests,
    functionDir,
  });
}

module.exports = { createCloudSdk };
