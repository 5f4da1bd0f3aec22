// @ts-check
// zhenzisms_token.js — the "verified" token a successful validateCode returns: which user
// (openid) proved which number, when, and until when, signed with HMAC-SHA256 under a key only
// cloud functions hold (ZHENZI_VERIFY_KEY). Standalone (Node's crypto only): another cloud
// function may copy this file and check tokens itself, offline, with the same key:
//
//   const { verifyToken } = require('./zhenzisms_token.js');
//   const r = verifyToken(token, { key: process.env.ZHENZI_VERIFY_KEY, openid: OPENID, number, maxAgeSeconds: 300 });
//   if (r.ok) signIn(OPENID, r.ok.number);   // else r.err says why
'use strict';

const crypto = require('crypto');

const PREFIX = 'zv1.';

function b64url(buf) {
  return Buffer.from(buf).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function mac(key, body) {
  return crypto.createHmac('sha256', String(key)).update(PREFIX + body).digest();
}

/**
 * @param {{openid: string, number: string, verifiedAt: number, expiresAt: number}} claim
 * @param {string} key
 */
function signToken(claim, key) {
  const body = b64url(JSON.stringify({ o: claim.openid, n: claim.number, t: claim.verifiedAt, e: claim.expiresAt }));
  return PREFIX + body + '.' + b64url(mac(key, body));
}

/**
 * Checks signature, expiry, and (when given) the openid, the number (11 digits) and the age.
 * @param {unknown} token
 * @param {{key: string, openid?: string, number?: string, maxAgeSeconds?: number, now?: number}} o
 * @returns {{ok?: {openid: string, number: string, verifiedAt: number, expiresAt: number}, err?: string}}
 */
function verifyToken(token, o) {
  if (typeof token !== 'string' || token.length > 1024 || token.indexOf(PREFIX) !== 0) return { err: 'not a token' };
  const parts = token.slice(PREFIX.length).split('.');
  if (parts.length !== 2 || !o || !o.key) return { err: 'not a token' };
  const want = mac(o.key, parts[0]);
  const got = Buffer.from(parts[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) return { err: 'bad signature' };
  let c;
  try {
    c = JSON.parse(Buffer.from(parts[0].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  } catch (e) {
    return { err: 'not a token' };
  }
  const now = o.now === undefined ? Date.now() : o.now;
  const maxAgeMs = o.maxAgeSeconds === undefined ? Infinity : Number(o.maxAgeSeconds) * 1000;
  // Written to fail closed: NaN anywhere makes a comparison false, and false refuses.
  if (!(now < c.e)) return { err: 'expired' };
  if (!(now - c.t <= maxAgeMs)) return { err: 'too old' };
  if (o.openid !== undefined && o.openid !== c.o) return { err: 'another user' };
  if (o.number !== undefined && o.number !== c.n) return { err: 'another number' };
  return { ok: { openid: c.o, number: c.n, verifiedAt: c.t, expiresAt: c.e } };
}

module.exports = { signToken: signToken, verifyToken: verifyToken };
