// A stand-in for `wx-server-sdk` with the API surface the cloud function uses: init,
// getWXContext, DYNAMIC_CURRENT_ENV, a document database kept in memory (collection → where /
// orderBy / limit / get / add / update, dot paths in queries), callFunction, and the 云调用
// openapi.phonenumber.getPhoneNumber (answered by the fixture in phone-exchange.js).
// Every database call yields to the event loop first, as a network round trip would, so
// concurrent invocations interleave and conditional updates are really exercised.
// It answers as the real wx-server-sdk 4.0.2 does where the function depends on it (results and
// errors with the SDK's errCode/errMsg, nested updates merged field by field, undefined fields
// dropped from where(), -502005 for a collection not created, at most 100 per get());
// backends.test.js checks that against the real SDK, README.md lists what still differs.
// createCloudSdk() gives the real SDK instead when ZHENZISMS_TEST_CLOUD=real (tests/cloudbase/).
// For tests: db.addAsPage(openid, collection, data) writes a document as a page's client SDK
// would (the platform stamps _openid; the page may choose any _id), db.dump(name) reads a
// collection, and db.trips / db.calls / db.resetTrips() count database round trips in a row
// (./trips.js; the real backend counts the same way).
'use strict';
const path = require('path');
const crypto = require('crypto');
const { createPhoneExchange, permits, API } = require('./phone-exchange.js');
const { createTrips } = require('./trips.js');

function clone(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function at(doc, dotted) {
  return dotted.split('.').reduce((v, k) => (v == null ? undefined : v[k]), doc);
}

function matches(doc, query) {
  return Object.keys(query).every((k) => at(doc, k) === query[k]);
}

// As @cloudbase/database does: undefined fields are left out of the query (so a where()
// meant for one user may match everyone's documents), and a query left empty that way throws.
function cleanQuery(q) {
  const keys = Object.keys(q || {});
  const kept = keys.filter((k) => q[k] !== undefined);
  if (keys.length > 0 && kept.length === 0) throw new Error('查询参数对象值不能均为undefined'); // the real SDK's text
  return Object.fromEntries(kept.map((k) => [k, q[k]]));
}

// A database failure as wx-server-sdk 4.0.2 raises it: an Error whose message is its errMsg.
function dbError(op, errCode, what, detail) {
  const errMsg = `collection.${op}:fail ${errCode} ${what}. ${detail}`;
  return Object.assign(new Error(errMsg), { errCode, errMsg });
}

function missingCollection(name, op) {
  return dbError(op, -502005, 'database collection not exists', 'Db or Table not exist: ' + name + '. [ResourceNotFound] ');
}

// The SDK's CloudSDKError (what a 云调用 rejects with): errCode, errMsg, and a message naming both.
const ERR_TEXT = { '-1': 'unknown error', '-604101': 'function has no permission to call this API' };
class CloudSDKError extends Error {
  constructor(errCode, errMsg) {
    super(errMsg);
    this.errCode = errCode;
    this.errMsg = errMsg;
    Object.defineProperty(this, 'message', { get: () => `errCode: ${this.errCode} ${ERR_TEXT[this.errCode] || ''} | errMsg: ${this.errMsg}` });
  }
}

// cloud.openapi.phonenumber.getPhoneNumber as wx-server-sdk 4.0.2 hands WeChat's answer over: a
// success with snake_case keys turned to camelCase plus errCode 0; a WeChat errcode rejects with it;
// the platform's refusal (no permission in config.json) rejects with its own code.
async function callOpenApi(phone, functionDir, data) {
  await tick();
  const name = 'openapi.' + API;
  const out = phone.answer(data, permits(functionDir, API));
  if (out.errorCode) throw new CloudSDKError(out.errorCode, 'system error: error code: ' + out.errorCode);
  if (out.json.errcode) throw new CloudSDKError(out.json.errcode, `${name}:fail ${out.json.errmsg}`);
  return { phoneInfo: out.json.phone_info, errMsg: name + ':ok', errCode: 0 };
}

// update({data}) as the SDK sends it: nested plain objects become dot paths, so they merge field
// by field into what is stored (arrays and other values replace).
function flatten(data, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(data)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype && Object.keys(v).length) flatten(v, prefix + k + '.', out);
    else out[prefix + k] = v;
  }
  return out;
}

function setPath(doc, dotted, v) {
  const keys = dotted.split('.');
  let o = doc;
  for (const k of keys.slice(0, -1)) {
    if (o[k] === null || typeof o[k] !== 'object') o[k] = {};
    o = o[k];
  }
  o[keys[keys.length - 1]] = clone(v);
}

function tick() {
  return new Promise((resolve) => setImmediate(resolve));
}

const MAX_GET = 100; // the server SDK's default (and cap without limit()) per get()

// `collections`: the ones that exist (created in the console); others fail like the real ones.
function createDatabase({ collections: names = ['sms-record'] } = {}) {
  const collections = new Map(names.map((n) => [n, []]));
  const trips = createTrips();
  function docs(name, op) {
    if (!collections.has(name)) throw missingCollection(name, op);
    return collections.get(name);
  }
  function insert(name, data, op) {
    const doc = Object.assign({ _id: crypto.randomBytes(16).toString('hex') }, clone(data));
    // As the real database does: an explicit _id that exists already is refused.
    if (docs(name, op).some((d) => d._id === doc._id)) {
      throw dbError(op, -502001, 'database request fail', `E11000 duplicate key error collection: ${name} index: _id_ dup key: { _id: ${JSON.stringify(doc._id)} }`);
    }
    docs(name, op).push(doc);
    return doc._id;
  }
  function query(name, where, order, max) {
    return {
      where: (q) => query(name, Object.assign({}, where, cleanQuery(q)), order, max),
      orderBy: (field, direction) => query(name, where, { field, direction }, max),
      limit: (n) => query(name, where, order, n),
      get: () => trips.count(async () => {
        await tick();
        let found = docs(name, 'get').filter((d) => matches(d, where));
        if (order) {
          const sign = order.direction === 'desc' ? -1 : 1;
          found = found.slice().sort((a, b) => (at(a, order.field) > at(b, order.field) ? sign : at(a, order.field) < at(b, order.field) ? -sign : 0));
        }
        found = found.slice(0, Math.min(max === undefined ? MAX_GET : max, MAX_GET));
        return { data: clone(found), errMsg: 'collection.get:ok' };
      }),
      // Merges `data` into every matching document, atomically (no await between match and write).
      update: ({ data }) => trips.count(async () => {
        await tick();
        const hit = docs(name, 'update').filter((d) => matches(d, where));
        const paths = flatten(data);
        for (const d of hit) for (const [k, v] of Object.entries(paths)) setPath(d, k, v);
        return { stats: { updated: hit.length }, errMsg: 'collection.update:ok' };
      }),
    };
  }
  return {
    collection(name) {
      return Object.assign(query(name, {}), {
        add: ({ data }) => trips.count(async () => {
          await tick();
          return { _id: insert(name, data, 'add'), errMsg: 'collection.add:ok' };
        }),
      });
    },
    createCollection: async (name) => {
      await tick();
      if (!collections.has(name)) collections.set(name, []);
    },
    // For tests: everything stored in a collection ([] if it does not exist).
    dump: (name) => (collections.has(name) ? clone(docs(name)) : []),
    // For tests: a document as a page's client SDK writes it (the platform stamps _openid; any
    // _id): written at once, and, like the client's add(), a promise (a duplicate _id rejects).
    addAsPage: async (openid, name, data) => ({ _id: insert(name, Object.assign({}, data, { _openid: openid }), 'add') }),
    // For tests: database round trips in a row and calls since the last reset (./trips.js).
    get trips() {
      return trips.trips;
    },
    get calls() {
      return trips.calls;
    },
    resetTrips: () => trips.reset(),
  };
}

// The backend the cloud suites run on: this stand-in, or with ZHENZISMS_TEST_CLOUD=real the real
// wx-server-sdk against our local CloudBase endpoint (tests/cloudbase/real-sdk.js), behind the
// same interface: context, beforeMain(), db.dump / db.addAsPage, functions, phone, inits.
const BACKEND = process.env.ZHENZISMS_TEST_CLOUD === 'real' ? 'real' : 'standin';

function createCloudSdk(options = {}) {
  if (BACKEND === 'real') return require('../cloudbase/real-sdk.js').createCloudSdk(options);
  return createCloudSdkStandin(options);
}

function createCloudSdkStandin(options = {}) {
  const db = createDatabase({ collections: options.collections });
  const context = { OPENID: 'openid' in options ? options.openid : 'sim-openid-1', APPID: 'wxsimulator', UNIONID: '', CLIENTIP: '127.0.0.1', ENV: 'env' in options ? options.env : 'test-env-1', SOURCE: 'wx_client' };
  const phone = createPhoneExchange({ appid: () => context.APPID });
  const functionDir = options.functionDir || path.resolve(__dirname, '../../dist/cloudfunctions/zhenzisms');
  return {
    backend: 'standin',
    DYNAMIC_CURRENT_ENV: Symbol('DYNAMIC_CURRENT_ENV'),
    inits: [],
    context, // tests change OPENID to act as another user
    beforeMain() {}, // the real backend sets WX_* variables here; this one reads `context` directly
    init(opts) {
      this.inits.push(opts);
    },
    getWXContext: () => Object.assign({}, context),
    database: () => db,
    db,
    phone,
    openapi: { phonenumber: { getPhoneNumber: (data) => callOpenApi(phone, functionDir, data) } },
    // Cloud functions another function may call: name → exports.main. The callee sees the
    // caller's user (OPENID) — the assumption the guide states — and SOURCE 'wx_client,scf'.
    functions: {},
    async callFunction({ name, data }) {
      const main = this.functions[name];
      if (!main) throw new CloudSDKError(-1, `callFunction:fail [ResourceNotFound.Function] FunctionName parameter could not be found (${name})`);
      const source = context.SOURCE;
      context.SOURCE = source + ',scf';
      try {
        let result;
        try {
          result = await main(JSON.parse(JSON.stringify(data || {})), {});
        } catch (e) {
          throw new CloudSDKError(-1, 'callFunction:fail functions execute fail | ' + String(e && e.stack ? e.stack.split('\n')[0] : e));
        }
        return { result: JSON.parse(JSON.stringify(result === undefined ? null : result)), errMsg: 'callFunction:ok', requestID: crypto.randomUUID() };
      } finally {
        context.SOURCE = source;
      }
    },
  };
}

module.exports = { createCloudSdk, createCloudSdkStandin, createDatabase, BACKEND };
