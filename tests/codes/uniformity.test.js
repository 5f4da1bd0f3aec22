// Codes from the shipped wasm (dist/npm) are uniform over 0–9 (chi-square), honour lengths 4–8,
// refuse 3 and 9, and the vendor's defect (no digit 9, from Math.floor(Math.random() * 9)) is gone.
// The statistical tests draw their bytes from a seeded SHA-256 stream, so they give the same answer
// every run (a p > 0.001 test on fresh bytes fails by design once in 1 000 runs); the exhaustive
// Rust test (src/code.rs) proves the mapping uniform for every byte value.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const crypto = require('crypto');
const path = require('path');
const { DIST } = require('./helpers.js');

const sdk = require(path.join(DIST, 'npm/zhenzisms.js'));
const NUMBER = '13912345678';
const CRITICAL_9DF_P001 = 27.877; // chi-square, 9 degrees of freedom, p = 0.001

// Regularized upper incomplete gamma Q(a, x) (series below a + 1, continued fraction above).
function lnGamma(z) {
  const g = [676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61508217733087,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  z -= 1;
  let x = 0.99999999999980993;
  for (let i = 0; i < g.length; i++) x += g[i] / (z + i + 1);
  const t = z + g.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}
function gammaQ(a, x) {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * Math.exp(lead);
  }
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.exp(lead) * h;
}

// Pearson's chi-square of digit counts against "each digit equally likely", and its p-value.
function chiSquare(counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  const stat = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
  return { stat, p: gammaQ((counts.length - 1) / 2, stat / 2) };
}

// Deterministic bytes: SHA-256(seed ‖ counter) blocks. Uniform enough for a chi-square test, and
// the same every run.
function seededStream(seed) {
  let counter = 0;
  let buf = Buffer.alloc(0);
  return (n) => {
    while (buf.length < n) {
      buf = Buffer.concat([buf, crypto.createHash('sha256').update(seed + ':' + counter++).digest()]);
    }
    const out = buf.subarray(0, n);
    buf = buf.subarray(n);
    return out;
  };
}

function issue(input, entropy = crypto.randomBytes(48)) {
  return sdk.server.core().codeIssue(input, entropy);
}

test.before(() => sdk.ready());

test('the p-value helper matches published chi-square tables (9 degrees of freedom)', () => {
  // Table values: 27.877 → 0.001, 16.919 → 0.05, 4.168 → 0.90, 21.666 → 0.01.
  for (const [stat, p] of [[27.877, 0.001], [16.919, 0.05], [4.168, 0.9], [21.666, 0.01]]) {
    const got = gammaQ(4.5, stat / 2);
    assert.ok(Math.abs(got - p) / p < 0.005, `Q(4.5, ${stat}/2) = ${got}, table says ${p}`);
  }
});

test('the test has power: the vendor digits Math.floor(Math.random() * 9) fail it', () => {
  const counts = new Array(10).fill(0);
  const bytes = seededStream('vendor')(400000);
  for (let i = 0; i < 100000; i++) counts[Math.floor((bytes.readUInt32BE(i * 4) / 2 ** 32) * 9)]++;
  const { stat, p } = chiSquare(counts);
  assert.strictEqual(counts[9], 0);
  assert.ok(stat > CRITICAL_9DF_P001 && p < 1e-6, `vendor digits passed: chi2 ${stat}, p ${p}`);
});

test('100 000 digits from the shipped wasm are uniform over 0–9, in every position', () => {
  const next = seededStream('uniformity');
  const counts = new Array(10).fill(0);
  const byPosition = Array.from({ length: 8 }, () => new Array(10).fill(0));
  const policy = { length: 8, cooldownMs: 0, dailyCap: 0 };
  const now = Date.UTC(2025, 0, 1);
  for (let i = 0; i < 12500; i++) {
    const r = issue({ number: NUMBER, now: now + i, key: 'k', policy }, next(48));
    assert.ok(r.ok, JSON.stringify(r));
    const code = r.ok.code;
    assert.match(code, /^\d{8}$/);
    for (let j = 0; j < 8; j++) {
      counts[code.charCodeAt(j) - 48]++;
      byPosition[j][code.charCodeAt(j) - 48]++;
    }
  }
  assert.strictEqual(counts.reduce((a, b) => a + b, 0), 100000);
  for (let d = 0; d <= 9; d++) assert.ok(counts[d] > 0, `digit ${d} never appeared: ${counts}`);
  // The vendor defect is gone: 9 appears, as often as the others, in every position.
  assert.ok(counts[9] > 9000, `digit 9 appeared ${counts[9]} times in 100 000`);
  for (let j = 0; j < 8; j++) assert.ok(byPosition[j][9] > 0, `digit 9 never in position ${j + 1}`);
  const { stat, p } = chiSquare(counts);
  assert.ok(stat < CRITICAL_9DF_P001 && p > 0.001, `counts ${counts}: chi2 ${stat.toFixed(2)}, p ${p}`);
});

test('the digit comes from the bytes given: bytes 250–255 are skipped, not folded onto 0–5', () => {
  // Salt (16 bytes), then 255, 250, 9, 19, 29, 39: the code is 9999, whatever the salt.
  const entropy = Buffer.concat([crypto.randomBytes(16), Buffer.from([255, 250, 9, 19, 29, 39]), Buffer.alloc(26, 251)]);
  const r = issue({ number: NUMBER, now: 1, key: 'k', policy: { length: 4 } }, entropy);
  assert.strictEqual(r.ok && r.ok.code, '9999');
  // Too few usable bytes: refused, never a short or padded code.
  const starved = issue({ number: NUMBER, now: 1, key: 'k', policy: { length: 4 } }, Buffer.concat([crypto.randomBytes(16), Buffer.alloc(32, 252)]));
  assert.strictEqual(starved.err && starved.err.code, 9001, JSON.stringify(starved));
});

test('lengths 4 to 8 are honoured, 3 and 9 refused with 100', () => {
  for (const length of [4, 5, 6, 7, 8]) {
    for (let i = 0; i < 50; i++) {
      const r = issue({ number: NUMBER, now: 1, key: 'k', policy: { length } });
      assert.ok(r.ok, JSON.stringify(r));
      assert.match(r.ok.code, new RegExp(`^\\d{${length}}$`));
    }
  }
  for (const length of [3, 9]) {
    const r = issue({ number: NUMBER, now: 1, key: 'k', policy: { length } });
    assert.strictEqual(r.ok, undefined);
    assert.strictEqual(r.err.code, 100, JSON.stringify(r));
  }
  // No length given: 6 digits (the default).
  assert.match(issue({ number: NUMBER, now: 1, key: 'k' }).ok.code, /^\d{6}$/);
});

test('codes from different bytes differ, and the record never holds the code', () => {
  const seen = new Set();
  const next = seededStream('distinct');
  for (let i = 0; i < 200; i++) {
    const r = issue({ number: NUMBER, now: 1, key: 'k', policy: { length: 8 } }, next(48));
    seen.add(r.ok.code);
    assert.match(r.ok.record.hash, /^[0-9a-f]{64}$/);
    assert.ok(!Object.values(r.ok.record).some((v) => typeof v === 'string' && v.includes(r.ok.code) && v !== r.ok.record.hash));
    assert.strictEqual(r.ok.record.code, undefined);
  }
  // 200 eight-digit codes from these seeded bytes: a repeat would have had probability about 2e-4.
  assert.ok(seen.size >= 199, `only ${seen.size} distinct codes in 200`);
});
