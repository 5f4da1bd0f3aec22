// Issue 18, fresh eyes' pass (fixed): zhenzisms_token.js's verifyToken, the file the guide tells other
// cloud functions to copy, skips the user check when `openid` is undefined, and the guide's
// call passes getWXContext().OPENID, which is undefined exactly where the guide sends people
// to tokens (a call where OPENID does not travel). Any token then passes for any caller: one
// user's token, handed to another (or replayed from a log), signs the other in. `audience`
// fails closed when missing; `openid` does not.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const path = require('path');
const { FUNCTION_DIR } = require('../cloudmode/helpers.js');
// (No cloud backend here: the copied file alone, as another function uses it.)

test('verifyToken with openid: undefined (getWXContext() had no OPENID) refuses, as a missing audience does', () => {
  const { signToken, verifyToken } = require(path.join(FUNCTION_DIR, 'zhenzisms_token.js'));
  const key = 'attack2-token-key-2b7e151628aed2a6abf7158809cf4f3c';
  const now = Date.now();
  const alices = signToken({ openid: 'openid-alice', number: '13800138000', verifiedAt: now, expiresAt: now + 600000, via: 'sms', audience: 'env-1' }, key);
  // The guide's call, in a function whose context has no OPENID.
  const { OPENID, ENV } = { ENV: 'env-1' };
  const r = verifyToken(alices, { key, audience: ENV, openid: OPENID, number: '13800138000', maxAgeSeconds: 300 });
  assert.ok(r.err, 'alice\'s token passed for a caller with no OPENID: ' + JSON.stringify(r));
});
