// @ts-check
// zhenzisms_token.js — the "verified" token a successful validateCode returns: which user
// (openid) proved which number, how ('sms' or 'phone'), when and until when, in which
// environment (the audience: getWXContext().ENV or ZHENZI_TOKEN_AUDIENCE), signed with
// HMAC-SHA256 under ZHENZI_VERIFY_KEY, a key of its own that only cloud functions hold (never
// derived from the Zhenzi appSecret). Standalone (Node's crypto only): another cloud function
// may copy this file and check tokens itself, offline, with the same key:
//
//   const { verifyToken } = require('./zhenzisms_token.js');
//   const { OPENID, ENV } = cloud.getWXContext();
//   const r = verifyToken(token, { key: process.env.ZHENZI_VERIFY_KEY, audience: ENV, openid: OPENID, number, maxAgeSeconds: 300 });
//   if (r.ok) signIn(OPENID, r.ok.number);   // else r.err says why
//
// One encoding only: 'zv2.' + base64url(claims JSON) + '.' + base64url(MAC), no padding, no
// other character: a token with anything added or changed is refused.
'use strict';

const crypto = require('crypto');

const PREFIX = 'zv2.';
const B64URL = /^[A-Za-z0-9_-]+$/;

function b64url(buf) {
  return Buffer.from(buf).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function unb64url(text) {
  const buf = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return b64url(buf) === text ? buf : null; // canonical: it must encode back to the same text
}

function mac(key, body) {
  return crypto.createHmac('sha256', String(key)).update(PREFIX + body).digest();
}

/**
 * @param {{openid: string, number: string, verifiedAt: number, expiresAt: number, via: string, audience: string}} claim
 * @param {string} key  ZHENZI_VERIFY_KEY (never empty: without it there are no tokens)
 */
function signToken(claim, key) {
  if (!key) throw new Error('signToken needs a key (ZHENZI_VERIFY_KEY)');
  const body = b64url(JSON.stringify({ o: claim.openid, n: claim.number, t: claim.verifiedAt, e: claim.expiresAt, v: claim.via, a: claim.audience }));
  return PREFIX + body + '.' + b64url(mac(key, body));
}

/**
 * Checks the encoding, signature, audience, expiry and user, and (when given) the number and the
 * age. `audience` and `openid` are required: a token is good in its own environment, for its own
 * user (a caller without an OPENID is refused; `openid: null` says, on purpose, any user).
 * @param {unknown} token
 * @param {{key: string, audience: string, openid: string | null, number?: string, maxAgeSeconds?: number, now?: number}} o
 * @returns {{ok?: {openid: string, number: string, verifiedAt: number, expiresAt: number, via: string}, err?: string}}
 */
function verifyToken(token, o) {
  if (!o || !o.key) return { err: 'no key: set ZHENZI_VERIFY_KEY' };
  if (typeof o.audience !== 'string') return { err: 'no audience: pass the environment (getWXContext().ENV)' };
  if (o.openid !== null && (typeof o.openid !== 'string' || !o.openid)) return { err: 'no openid: pass the caller (getWXContext().OPENID), or null to accept any user' };
  if (typeof token !== 'string' || token.length > 1024 || token.indexOf(PREFIX) !== 0) return { err: 'not a token' };
  const parts = token.slice(PREFIX.length).split('.');
  if (parts.length !== 2 || !B64URL.test(parts[0]) || !B64URL.test(parts[1])) return { err: 'not a token' };
  const body = unb64url(parts[0]);
  const got = unb64url(parts[1]);
  if (!body || !got) return { err: 'not a token' };
  const want = mac(o.key, parts[0]);
  if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) return { err: 'bad signature' };
  let c;
  try {
    c = JSON.parse(body.toString('utf8'));
  } catch (e) {
    return { err: 'not a token' };
  }
  const now = o.now === undefined ? Date.now() : o.now;
  // A given age must be a number of seconds above 0; anything else refuses (NaN, below).
  const maxAgeMs = o.maxAgeSeconds === undefined ? Infinity : typeof o.maxAgeSeconds === 'number' && o.maxAgeSeconds > 0 ? o.maxAgeSeconds * 1000 : NaN;
  if (c.a !== o.audience) return { err: 'another environment' };
  // Written to fail closed: NaN anywhere makes a comparison false, and false refuses.
  if (!(now < c.e)) return { err: 'expired' };
  if (!(now - c.t <= maxAgeMs)) return { err: 'too old' };
  if (o.openid !== null && o.openid !== c.o) return { err: 'another user' };
  if (o.number !== undefined && o.number !== c.n) return { err: 'another number' };
  return { ok: { openid: c.o, number: c.n, verifiedAt: c.t, expiresAt: c.e, via: c.v } };
}

module.exports = { signToken: signToken, verifyToken: verifyToken };
