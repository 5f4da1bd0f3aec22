// Issue 18, fresh eyes' pass (fixed where it can be): without ZHENZI_CODE_KEY the key that seals
// sms-record's documents and hashes the codes was derived from ZHENZI_APP_SECRET alone, which ships
// in every direct-mode package. With that appSecret and a collection left readable, a page opened
// its own code record for a victim's number, found the code offline from its hash and was verified
// for it. The key now also rests on ZHENZI_VERIFY_KEY when it is set (the deployment's own secret);
// without either key of its own a deployment rests on the appSecret, and the guide says to reset it
// when moving from direct to cloud mode (the old one gives anyone the SMS balance anyway).
'use strict';
const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert');
const crypto = require('crypto');
const { startSandbox } = require('../../sandbox/server.js');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { loadCloudFunction, invoker, setEnv, clearEnv, destroyAgents } = require('../cloudmode/helpers.js');

// The appSecret, as unpacked from the app's direct-mode package (or read in the console).
const SECRET = 'ATTACK2-LEAKED-APPSECRET-c4b1';
const KEY = 'attack2-appsecret-verify-key-9e0d4f7a21';
const VICTIM = '13800138000';
let sb;
before(async () => {
  sb = await startSandbox({ port: 0, fixture: { apps: [{ appId: '10001', appSecret: SECRET, appName: '云短信体验', balance: 100000 }] } });
});
beforeEach(() => sb.reset());
after(async () => {
  clearEnv();
  await sb.close();
  destroyAgents();
});

// What the attacker computes from the appSecret alone (the function's key derivation is in its
// zip, which is public code).
function open(doc, secret) {
  const sealKey = crypto.createHmac('sha256', 'zhenzisms-code-key:' + secret).update('zhenzisms document cipher').digest();
  const raw = Buffer.from(String(doc.body).slice(3), 'base64');
  try {
    const d = crypto.createDecipheriv('aes-256-gcm', sealKey, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8'));
  } catch (e) {
    return null;
  }
}

function crack(record, secret) {
  const key = 'zhenzisms-code-key:' + secret;
  for (let n = 0; n < 1e6; n++) {
    const code = String(n).padStart(6, '0');
    const h = crypto.createHmac('sha256', key).update(record.salt + '|' + record.number + '|' + code).digest('hex');
    if (h === record.hash) return code;
  }
  return null;
}

test('a known appSecret and a readable sms-record do not let a page prove a number it does not own', async () => {
  setEnv({ ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: SECRET, ZHENZI_API_URL: sb.url, ZHENZI_VERIFY_KEY: KEY });
  const cloudSdk = createCloudSdk({ openid: 'openid-mallory' });
  const run = invoker(loadCloudFunction(cloudSdk), cloudSdk);
  // Mallory asks for a code for the victim's number; the SMS goes to the victim.
  // (A fix that refuses to run on the appSecret's key alone ends the attack here: 9001.)
  const sent = await run({ $url: 'sendCode', number: VICTIM });
  if (sent.code !== 'success') return assert.equal(sent.error && sent.error.code, 9001, JSON.stringify(sent));
  // Her page reads the collection (readable by mistake) and opens what it can.
  const mine = cloudSdk.db.dump('sms-record').map((d) => open(d, SECRET))
    .find((b) => b && b.caller === 'openid-mallory' && b.number === VICTIM && b.record);
  const code = mine ? crack(mine.record, SECRET) : null;
  const r = code ? await run({ $url: 'validateCode', number: VICTIM, code }) : { code: 'not opened' };
  assert.notEqual(r.code, 'success', 'the page found the victim\'s code ' + code + ' offline, and is now verified for ' + VICTIM + ': ' + JSON.stringify(r.verified));
});
