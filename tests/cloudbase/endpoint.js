// Our local CloudBase endpoint: the service the real wx-server-sdk 4.0.2 talks to when
// TCB_CONTEXT_CNFG's URL points here (http on 127.0.0.1, one per test process, started on first
// use). It answers the actions the cloud function needs, as the real service does:
//   database.*                 → ./database.js, one database per environment (the `env` of the URL)
//   functions.invokeFunction   → the functions a test registered on that environment's backend
//   wx.openApi                 → 云调用: protobuf CommApiData in, CommOpenApiResp out; only
//                                phonenumber.getPhoneNumber, answered by the phone fixture
// Replies are {requestId, data} or {requestId, code, message}; the SDK maps `code` to its errCode
// (DATABASE_COLLECTION_NOT_EXIST → -502005, DATABASE_REQUEST_FAILED → -502001, …).
'use strict';
const http = require('http');
const crypto = require('crypto');
const { execFileSync } = require('child_process');
const { parseMultipart } = require('./multipart.js');
const { decodeCommApiData, encodeCommOpenApiResp } = require('./protobuf.js');

const backends = new Map(); // env name → backend (./real-sdk.js)
let server = null;
let url = null;

function reply(res, status, body, type) {
  res.writeHead(status, { 'content-type': type || 'application/json; charset=utf-8' });
  res.end(body);
}

async function invokeFunction(backend, p, source) {
  const main = backend.facade.functions[p.function_name];
  if (typeof main !== 'function') return { code: 'FUNCTIONS_EXECUTE_FAIL', message: `[ResourceNotFound.Function] FunctionName parameter could not be found (${p.function_name})` };
  let event = {};
  try {
    event = p.request_data ? JSON.parse(p.request_data) : {};
  } catch (e) {
    return { code: 'INVALID_PARAM', message: 'request_data is not JSON' };
  }
  try {
    // The callee runs as the same user; its SOURCE is the caller's chain plus 'scf' (the SDK's
    // X-TCB-Source). Its WX_* variables are set just before its main, as for any invocation.
    const pending = backend.invoke(main, event, { SOURCE: source });
    const result = await pending;
    return { data: { response_data: JSON.stringify(result === undefined ? null : result) } };
  } catch (e) {
    return { code: 'FUNCTIONS_EXECUTE_FAIL', message: 'functions execute fail | ' + String(e && e.stack ? e.stack.split('\n')[0] : e) };
  }
}

function openApi(backend, fields, res) {
  const api = fields.apiName ? fields.apiName.toString('utf8') : '';
  if (api !== 'phonenumber.getPhoneNumber') {
    return reply(res, 200, JSON.stringify({ requestId: crypto.randomUUID(), code: 'INVALID_PARAM', message: 'the local endpoint answers no 云调用 but phonenumber.getPhoneNumber: ' + api }));
  }
  const call = decodeCommApiData(fields.requestData || Buffer.alloc(0));
  const out = backend.phone.answer(call.pairs, backend.permits(api));
  const pb = out.errorCode
    ? encodeCommOpenApiResp({ errorCode: out.errorCode, httpCode: 200 })
    : encodeCommOpenApiResp({ respData: Buffer.from(JSON.stringify(out.json)), contentType: 'application/json; charset=utf-8', httpCode: 200 });
  return reply(res, 200, pb, 'application/octet-stream');
}

async function handle(req, res) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const body = Buffer.concat(chunks);
  const env = new URL(req.url, 'http://127.0.0.1').searchParams.get('env') || '';
  const backend = backends.get(env);
  const requestId = crypto.randomUUID();
  if (!backend) return reply(res, 200, JSON.stringify({ requestId, code: 'INVALIID_ENV', message: 'no such environment: ' + env }));
  backend.counted();
  const type = req.headers['content-type'] || '';
  if (/multipart\/form-data/i.test(type)) {
    const fields = parseMultipart(body, type);
    const action = fields.action && fields.action.toString('utf8');
    if (action === 'wx.openApi') return openApi(backend, fields, res);
    return reply(res, 200, JSON.stringify({ requestId, code: 'INVALID_PARAM', message: 'unexpected multipart action ' + action }));
  }
  const p = JSON.parse(body.toString('utf8') || '{}');
  backend.requests.push(p.action);
  let out;
  if (p.action === 'functions.invokeFunction') out = await invokeFunction(backend, p, String(req.headers['x-tcb-source'] || ''));
  else if (String(p.action).startsWith('database.')) out = backend.db.handle(p.action, p);
  else out = { code: 'INVALID_PARAM', message: 'action not supported by the local endpoint: ' + p.action };
  return reply(res, 200, JSON.stringify(Object.assign({ requestId }, out)));
}

// A free loopback port, found synchronously (a child binds port 0 and reports it): the SDK reads
// TCB_CONTEXT_CNFG when it builds a request, which may be before an async listen() reports back,
// so the URL must be right from the first moment. Our listen() on it completes on the next tick,
// before any request can connect.
function freePort() {
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

/** Starts the endpoint once per process; → its URL. */
function start() {
  if (!server) {
    const port = freePort();
    server = http.createServer((req, res) => {
      handle(req, res).catch((e) => reply(res, 500, JSON.stringify({ code: 'SYS_ERR', message: String(e && e.message) })));
    });
    server.on('error', (e) => {
      throw new Error('the local CloudBase endpoint could not listen on 127.0.0.1:' + port + ': ' + e.message);
    });
    server.listen(port, '127.0.0.1');
    server.unref(); // never keeps a test process alive
    url = `http://127.0.0.1:${port}/admin`;
  }
  return url;
}

function register(env, backend) {
  backends.set(env, backend);
}

module.exports = { start, register };
