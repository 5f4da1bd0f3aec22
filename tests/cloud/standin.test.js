// The wx-server-sdk stand-in behaves like the real SDK where the cloud function's safety
// depends on it (README.md beside this file lists what still differs).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { createCloudSdk, createDatabase } = require('./wx-server-sdk-standin.js');

test('where() drops undefined fields (widening the query) and throws when every field is undefined', async () => {
  const db = createDatabase();
  const col = db.collection('sms-record');
  await col.add({ data: { openid: 'alice', number: '13800138000' } });
  await col.add({ data: { openid: 'bob', number: '13800138000' } });
  const all = await col.where({ openid: undefined, number: '13800138000' }).get();
  assert.equal(all.data.length, 2, 'an undefined openid matches every user');
  assert.throws(() => col.where({ openid: undefined }), /undefined/);
  assert.equal((await col.where({ openid: 'alice' }).get()).data.length, 1);
});

test('a collection that was not created fails with errCode -502005; get() returns at most 100', async () => {
  const db = createDatabase({ collections: [] });
  await assert.rejects(db.collection('sms-record').add({ data: {} }), (e) => e.errCode === -502005 && /not exist/.test(e.message));
  await assert.rejects(db.collection('sms-record').where({ a: 1 }).get(), (e) => e.errCode === -502005);
  await db.createCollection('sms-record');
  const col = db.collection('sms-record');
  for (let i = 0; i < 120; i++) await col.add({ data: { i } });
  assert.equal((await col.get()).data.length, 100);
  assert.equal((await col.limit(500).get()).data.length, 100);
});

test('an explicit _id that exists is refused; update is a compare-and-set on the where()', async () => {
  const col = createDatabase().collection('sms-record');
  await col.add({ data: { _id: 'slot:x', sentAt: 1 } });
  await assert.rejects(col.add({ data: { _id: 'slot:x', sentAt: 2 } }));
  assert.equal((await col.where({ _id: 'slot:x', sentAt: 2 }).update({ data: { sentAt: 3 } })).stats.updated, 0);
  assert.equal((await col.where({ _id: 'slot:x', sentAt: 1 }).update({ data: { sentAt: 3 } })).stats.updated, 1);
});

test('getWXContext gives OPENID and CLIENTIP from the platform, and none when there is no user', () => {
  const sdk = createCloudSdk({ openid: 'o1' });
  assert.deepEqual([sdk.getWXContext().OPENID, sdk.getWXContext().CLIENTIP], ['o1', '127.0.0.1']);
  assert.equal(createCloudSdk({ openid: undefined }).getWXContext().OPENID, undefined);
});

test('addAsPage stamps the page user\'s _openid over the data and allows any _id; trips counts round trips in a row', async () => {
  const db = createDatabase();
  await db.addAsPage('page-user', 'sms-record', { _id: 'chosen', _openid: 'someone-else', openid: 'victim' });
  assert.deepEqual(db.dump('sms-record'), [{ _id: 'chosen', _openid: 'page-user', openid: 'victim' }]);
  await assert.rejects(db.addAsPage('page-user', 'sms-record', { _id: 'chosen' }), /duplicate/);
  db.resetTrips();
  const col = db.collection('sms-record');
  await Promise.all([col.where({ _id: 'chosen' }).get(), col.where({ openid: 'victim' }).get()]);
  await col.where({ _id: 'chosen' }).update({ data: { n: 1 } });
  assert.deepEqual([db.trips, db.calls], [2, 3]);
  assert.equal(createCloudSdk().getWXContext().ENV, 'test-env-1');
});
