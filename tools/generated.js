// The few places where the shim and the typings restate the core's vocabulary — the error kinds,
// the verification outcomes, the 9104 row the shim needs before the wasm is in — are written from
// the core at build time. In pkg-template/ each such place sits between
//   /* generated: NAME */ … /* end */
// and holds the current text, so editors and tsc see the truth; the build rewrites it from the
// core and fails when the template has drifted (with the text to put there).
'use strict';

/** What each marker holds, from the server module's `vocabulary()` and `errorTable()`. */
function pieces(core) {
  const words = core.vocabulary();
  const table = core.errorTable();
  const row9104 = table.find((e) => e.code === 9104);
  if (!row9104) throw new Error('the core has no 9104 row');
  const union = (list) => list.map((w) => `'${w}'`).join(' | ');
  return {
    kinds: union(words.kinds),
    outcomes: union(words.outcomes.map((o) => o.result)),
    'error 9104': JSON.stringify(row9104, null, 2),
  };
}

const MARKED = /\/\* generated: ([\w ]+) \*\/ ([\s\S]*?) \/\* end \*\//g;

/** `text` with every marked place rewritten; `drift` lists the places the template had wrong,
 * `found` the pieces it holds (the build checks that each piece is written somewhere). */
function rewrite(text, generated) {
  const drift = [];
  const found = [];
  const out = text.replace(MARKED, (_, name, current) => {
    if (!(name in generated)) throw new Error(`unknown generated piece "${name}"`);
    found.push(name);
    if (current !== generated[name]) drift.push(`${name}: the template has\n  ${current}\nthe core says\n  ${generated[name]}`);
    return `/* generated: ${name} */ ${generated[name]} /* end */`;
  });
  return { text: out, drift, found };
}

module.exports = { pieces, rewrite };
