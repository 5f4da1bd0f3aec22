//! Well-kept libraries as oracles for the hand-written pieces that stay in the wasm for size
//! (src/sha256.rs, json.rs, form.rs): `sha2`/`hmac`, `serde_json` and `form_urlencoded`, as
//! dev-dependencies only, agree with ours on generated inputs.
//!
//! Why ours stay: RustCrypto's `sha2` (soft-compact backend) with `hmac` in place of
//! src/sha256.rs cost the mini-program's module +281 B of brotli (21 066 → 21 347 B, `Hmac`;
//! `SimpleHmac` +353 B; the unrolled soft backend +909 B), measured 2026-11 with the build's
//! own pipeline, against a package budget with ~1.8 KB left.

use crate::json::{self, Json};
use crate::sha256::{hex, hmac_sha256, sha256};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// xorshift64: deterministic, so a failure reproduces.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }

    /// Text with what JSON and forms find hard: quotes, escapes, controls, CJK, emoji.
    fn text(&mut self, max: u64) -> String {
        const PIECES: [&str; 16] = [
            "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{7f}", "验", "码", "😀",
            "&=+%", "*-._~",
        ];
        (0..self.below(max))
            .map(|_| PIECES[self.below(16) as usize])
            .collect()
    }
}

#[test]
fn sha256_and_hmac_agree_with_rustcrypto_at_every_length_around_the_blocks() {
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    for len in 0..300 {
        let data = g.bytes(len);
        assert_eq!(
            sha256(&data).as_slice(),
            Sha256::digest(&data).as_slice(),
            "len {len}"
        );
        let key_len = g.below(200) as usize;
        let key = g.bytes(key_len);
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(&data);
        assert_eq!(
            hmac_sha256(&key, &data).as_slice(),
            mac.finalize().into_bytes().as_slice(),
            "key {} data {len}",
            key.len()
        );
    }
}

#[test]
fn nist_sha256_two_block_vector() {
    assert_eq!(
        hex(&sha256(b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")),
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    );
}

#[test]
fn rfc4231_cases_3_4_5_7() {
    let key4: Vec<u8> = (1..=25).collect();
    assert_eq!(
        hex(&hmac_sha256(&[0xaa; 20], &[0xdd; 50])),
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
    );
    assert_eq!(
        hex(&hmac_sha256(&key4, &[0xcd; 50])),
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
    );
    // Case 5 publishes the first 128 bits only.
    assert_eq!(
        hex(&hmac_sha256(&[0x0c; 20], b"Test With Truncation")[..16]),
        "a3b6167473100ee06e0c796c2955552b"
    );
    assert_eq!(
        hex(&hmac_sha256(&[0xaa; 131], b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.")),
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
    );
}

/// A random JSON value as serde_json holds it.
fn value(g: &mut Gen, depth: u32) -> serde_json::Value {
    use serde_json::Value as V;
    match g.below(if depth > 4 { 5 } else { 7 }) {
        0 => V::Null,
        1 => V::Bool(g.below(2) == 0),
        2 => V::from(g.next() as i64 >> g.below(60)),
        3 => V::from((g.next() as i64 >> 20) as f64 / 1024.0),
        4 => V::String(g.text(12)),
        5 => V::Array((0..g.below(5)).map(|_| value(g, depth + 1)).collect()),
        _ => V::Object(
            (0..g.below(5))
                .map(|_| (g.text(6), value(g, depth + 1)))
                .collect(),
        ),
    }
}

/// Ours as serde_json's, numbers read by serde_json from the text we kept (serde_json with
/// `arbitrary_precision` keeps number text too, so `1e999` is valid grammar on both sides).
fn to_serde(v: &Json) -> serde_json::Value {
    use serde_json::Value as V;
    match v {
        Json::Null => V::Null,
        Json::Bool(b) => V::Bool(*b),
        Json::Num(text) => serde_json::from_str(text).unwrap(),
        Json::Str(s) => V::String(s.clone()),
        Json::Arr(items) => V::Array(items.iter().map(to_serde).collect()),
        Json::Obj(fields) => V::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), to_serde(v)))
                .collect(),
        ),
    }
}

#[test]
fn json_reader_and_writer_agree_with_serde_json() {
    let mut g = Gen(0x2545_f491_4f6c_dd1d);
    for _ in 0..5_000 {
        let expected = value(&mut g, 0);
        let text = if g.below(2) == 0 {
            serde_json::to_string(&expected).unwrap()
        } else {
            serde_json::to_string_pretty(&expected).unwrap()
        };
        let ours = json::parse(&text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert_eq!(to_serde(&ours), expected, "{text}");
        // What we write, serde_json reads back as the same value.
        let written = ours.text();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&written).unwrap(),
            expected,
            "{written}"
        );
    }
}

#[test]
fn json_reader_accepts_exactly_what_serde_json_accepts() {
    let mut g = Gen(0xdead_beef_cafe_f00d);
    const NOISE: [&str; 14] = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\u00",
        "\\ud83d\\ude00",
        "1e",
        "-",
        "01",
        "tru",
        " ",
    ];
    let mut checked = 0;
    for _ in 0..20_000 {
        let mut text = serde_json::to_string(&value(&mut g, 0)).unwrap();
        // Cut, splice or both: most become invalid, some stay valid.
        let at = (0..=g.below(text.len() as u64 + 1) as usize)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        match g.below(3) {
            0 => text.truncate(at),
            1 => text.insert_str(at, NOISE[g.below(14) as usize]),
            _ => {
                text.insert_str(at, NOISE[g.below(14) as usize]);
                text.insert_str(0, NOISE[g.below(14) as usize]);
            }
        }
        let theirs = serde_json::from_str::<serde_json::Value>(&text);
        let ours = json::parse(&text);
        assert_eq!(ours.is_ok(), theirs.is_ok(), "{text:?}: ours {ours:?}");
        if let (Ok(o), Ok(t)) = (&ours, &theirs) {
            assert_eq!(&to_serde(o), t, "{text}");
        }
        checked += 1;
    }
    assert_eq!(checked, 20_000);
}

#[test]
fn form_encoder_agrees_with_form_urlencoded() {
    let mut g = Gen(0x0123_4567_89ab_cdef);
    for _ in 0..5_000 {
        let fields: Vec<(String, String)> =
            (0..g.below(5)).map(|_| (g.text(8), g.text(20))).collect();
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let theirs = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&borrowed)
            .finish();
        assert_eq!(crate::form::encode(&borrowed), theirs);
        // And it decodes back to the same pairs.
        let back: Vec<(String, String)> = form_urlencoded::parse(theirs.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        assert_eq!(back, fields);
    }
}
