// @ts-check
// zhenzisms_limits.js — the function's limits as stored slots. The core decides (a slot and its
// rule are a code::Limit: cooldown, cap per Beijing day or per window, the slot after a use,
// the warning at 80 %); this file only reads the slots, hands them to the core, and writes back
// what the core answered, with a compare-and-set per slot so concurrent calls cannot both pass.
//
//   const held = await limits.read(store, items)        // items: [{subject, rule, name, say}]
//   held.limits                                         // for core.codeIssue / core.limitsTake
//   await limits.claim(store, held, slots, extra, retake, give) // → release() | {refused} | null
'use strict';

/**
 * Reads every item's slot at once (one round trip).
 * @param {any} store
 * @param {{subject: string, rule: number[], name: string, say: any}[]} items
 */
async function read(store, items) {
  const seen = await Promise.all(items.map((it) => store.slot(it.subject)));
  const limits = seen.map((doc, i) => limitOf(doc, items[i]));
  return { items: items, seen: seen, limits: limits };
}

/**
 * Writes each slot as the core answered (`slots[i]`, plus `extra[i]` fields) in one round trip.
 * A slot many callers share (an address, the whole function's budget: `item.shared`) that
 * another call changed first is read again and asked again (`retake(i, limit)` → {slot} or
 * {refused}), so concurrent users do not refuse each other; any other slot lost means a
 * concurrent call for the same number or caller, and that is a refusal.
 * → a function that gives them back (nothing was sent after all; `give(i, limit)` → the slot
 * with the use taken off, for a shared slot written since), or {refused} (the core's
 * answer for a shared slot now over its cap), or null when another call won; whatever this call
 * wrote is given back before it answers so.
 */
async function claim(store, held, slots, extra, retake, give) {
  const bodies = slots.map((s, i) => Object.assign({}, s, (extra && extra[i]) || {}));
  const seen = held.seen.slice();
  const won = await Promise.all(seen.map((doc, i) => store.putSlot(doc, bodies[i])));
  let refused = null;
  const exclusiveLost = won.some((ok, i) => !ok && !held.items[i].shared);
  for (let i = 0; i < won.length && !exclusiveLost; i++) {
    for (let tries = 0; !won[i] && held.items[i].shared && retake && !refused && tries < 64; tries++) {
      seen[i] = await store.slot(held.items[i].subject);
      const again = retake(i, limitOf(seen[i], held.items[i]));
      if (again.refused) refused = again.refused;
      else won[i] = await store.putSlot(seen[i], Object.assign({}, again.slot, (extra && extra[i]) || {}));
    }
  }
  const mine = won.map((ok, i) => (ok ? { id: seen[i].id, seq: seen[i].seq + 1 } : null));
  // Each slot this call wrote goes back as it was; a shared one another call has written since
  // is read again and the core takes this use off what is stored now (`give(i, limit)` → slot),
  // so a refused send leaves no count behind however many calls share the slot.
  const giveBack = async (m, i) => {
    if (await store.putSlot(m, seen[i].body || { sentAt: 0, day: 0, count: 0 })) return;
    for (let tries = 0; held.items[i].shared && give && tries < 64; tries++) {
      const stored = await store.slot(held.items[i].subject);
      if (await store.putSlot(stored, give(i, limitOf(stored, held.items[i])))) return;
    }
  };
  const release = () => Promise.all(mine.map((m, i) => m && giveBack(m, i)));
  if (won.every(Boolean)) return release;
  await release();
  return refused ? { refused: refused } : null;
}

function limitOf(doc, item) {
  const b = doc.body || {};
  return [Number(b.sentAt) || 0, Number(b.day) || 0, Number(b.count) || 0].concat(item.rule);
}

module.exports = { read: read, claim: claim };
