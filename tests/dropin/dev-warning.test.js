// Direct mode puts appSecret in the package: the SDK says so once, in development builds only,
// and never prints the secret itself.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const h = require('./helpers.js');

let sb;
test.before(async () => {
  sb = await h.startSandbox();
});
test.after(() => sb.close());

function warnings(mp) {
  return mp.logs.filter((l) => l.level === 'warn' && /appSecret/.test(l.text));
}

test('a development build warns once about direct mode, without the secret', (t) => {
  const mp = h.openMiniProgram(t, sb, { envVersion: 'develop' });
  const { client } = mp.require('/utils/zhenzisms.js');
  client.init(h.API_URL, h.APPS.ok.appId, h.APPS.ok.appSecret);
  client.init(h.API_URL, h.APPS.ok.appId, h.APPS.ok.appSecret);
  const found = warnings(mp);
  assert.strictEqual(found.length, 1, JSON.stringify(mp.logs));
  assert.match(found[0].text, /initCloud/);
  assert.ok(!JSON.stringify(mp.logs).includes(h.APPS.ok.appSecret));
});

test('a release build and cloud mode print no warning', (t) => {
  const release = h.openMiniProgram(t, sb, { envVersion: 'release' });
  release.require('/utils/zhenzisms.js').client.init(h.API_URL, h.APPS.ok.appId, h.APPS.ok.appSecret);
  assert.deepStrictEqual(warnings(release), []);
  const cloud = h.openMiniProgram(t, sb, { envVersion: 'develop' });
  cloud.require('/utils/zhenzisms.js').client.initCloud({ name: 'zhenzisms' });
  assert.deepStrictEqual(warnings(cloud), []);
});
