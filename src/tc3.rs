//! TC3-HMAC-SHA256, the request signature of Tencent Cloud API 3.0 (docs/tencent-api.md):
//! canonical request → string to sign → key chain → `Authorization`. Pure functions of their
//! inputs; the clock is an argument. The one thing worth remembering between requests, the
//! derived signing key, is a value the caller keeps: `KeyCache` (the facade holds one, see
//! src/api.rs). Only the server wasm exports anything that reaches this module, so the
//! mini-program's module never contains it (tests/tencent/lean-wasm.test.js).

use crate::json::int_text;
use crate::sha256::{hex, hmac_sha256, sha256};

pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// What one signature covers. `sign_action` adds `x-tc-action` to the signed headers (the
/// second documented vector); requests built by this crate leave it off, as the SDKs do.
#[derive(Debug, Clone, Copy)]
pub struct Signing<'a> {
    /// The scope's service, `sms` (never taken from an overridden endpoint's host).
    pub service: &'a str,
    /// The Host header exactly as sent.
    pub host: &'a str,
    pub action: &'a str,
    pub content_type: &'a str,
    /// Unix seconds.
    pub timestamp: u64,
    pub body: &'a [u8],
    pub sign_action: bool,
}

/// The UTC calendar date of a Unix timestamp, `YYYY-MM-DD` (the scope's date: a local date
/// would fail for eight hours a day in Beijing).
pub fn utc_date(timestamp: u64) -> String {
    // Days since 1970-01-01 to a civil date (proleptic Gregorian), by 400-year eras.
    let days = (timestamp / 86_400) as i64 + 719_468;
    let era = days / 146_097;
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let two = |n: i64| {
        if n < 10 {
            ["0", &int_text(n)].concat()
        } else {
            int_text(n)
        }
    };
    [int_text(year), two(month), two(day)].join("-")
}

/// `content-type;host` or `content-type;host;x-tc-action`.
pub fn signed_headers(s: &Signing) -> &'static str {
    if s.sign_action {
        "content-type;host;x-tc-action"
    } else {
        "content-type;host"
    }
}

/// `POST\n/\n\n<canonical headers>\n<signed headers>\n<hex sha256(body)>`.
pub fn canonical_request(s: &Signing) -> String {
    let mut headers = ["content-type:", s.content_type, "\nhost:", s.host, "\n"].concat();
    if s.sign_action {
        headers.push_str("x-tc-action:");
        headers.push_str(&s.action.to_ascii_lowercase());
        headers.push('\n');
    }
    [
        "POST\n/\n\n",
        &headers,
        "\n",
        signed_headers(s),
        "\n",
        &hex(&sha256(s.body)),
    ]
    .concat()
}

fn scope(date: &str, service: &str) -> String {
    [date, "/", service, "/tc3_request"].concat()
}

pub fn string_to_sign(s: &Signing, canonical_request_hash: &str) -> String {
    let date = utc_date(s.timestamp);
    [
        ALGORITHM,
        "\n",
        &int_text(s.timestamp as i64),
        "\n",
        &scope(&date, s.service),
        "\n",
        canonical_request_hash,
    ]
    .concat()
}

/// kSigning = HMAC(HMAC(HMAC("TC3"+key, date), service), "tc3_request"): three of the four
/// HMACs of a signature, and the same for every request of one key, day and service.
pub fn signing_key(secret_key: &str, date: &str, service: &str) -> [u8; 32] {
    let k_date = hmac_sha256(["TC3", secret_key].concat().as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    hmac_sha256(&k_service, b"tc3_request")
}

/// The last signing key derived, with what it was derived from: a server signing many requests
/// with one key pays the three HMACs once a day instead of on every request. It holds one entry
/// (a new key, day or service replaces it), and its `Debug` never shows the secret.
#[derive(Default)]
pub struct KeyCache {
    last: Option<(String, String, String, [u8; 32])>,
}

impl KeyCache {
    /// `signing_key(secret_key, date, service)`, from the cache when it holds exactly that.
    pub fn get(&mut self, secret_key: &str, date: &str, service: &str) -> [u8; 32] {
        if let Some((k, d, s, key)) = &self.last {
            if k == secret_key && d == date && s == service {
                return *key;
            }
        }
        let key = signing_key(secret_key, date, service);
        self.last = Some((secret_key.into(), date.into(), service.into(), key));
        key
    }

    /// Whether the next `get` of these would be answered from the cache.
    pub fn holds(&self, secret_key: &str, date: &str, service: &str) -> bool {
        matches!(&self.last, Some((k, d, s, _)) if k == secret_key && d == date && s == service)
    }
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = self.last.as_ref().map(|(_, d, s, _)| (d, s));
        f.debug_struct("KeyCache").field("holds", &held).finish()
    }
}

/// hex(HMAC(kSigning, StringToSign)), with the signing key already derived.
pub fn signature_with(k_signing: &[u8; 32], s: &Signing) -> String {
    let cr_hash = hex(&sha256(canonical_request(s).as_bytes()));
    hex(&hmac_sha256(
        k_signing,
        string_to_sign(s, &cr_hash).as_bytes(),
    ))
}

/// hex(HMAC(kSigning, StringToSign)), deriving the key.
pub fn signature(secret_key: &str, s: &Signing) -> String {
    signature_with(
        &signing_key(secret_key, &utc_date(s.timestamp), s.service),
        s,
    )
}

/// The `Authorization` header value; the signing key comes from (and goes into) `keys`.
pub fn authorization(
    secret_id: &str,
    secret_key: &str,
    s: &Signing,
    keys: &mut KeyCache,
) -> String {
    let date = utc_date(s.timestamp);
    let k_signing = keys.get(secret_key, &date, s.service);
    [
        ALGORITHM,
        " Credential=",
        secret_id,
        "/",
        &scope(&date, s.service),
        ", SignedHeaders=",
        signed_headers(s),
        ", Signature=",
        &signature_with(&k_signing, s),
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented example (docs/tencent-api.md, "Known-answer vectors"): the `\u` escapes
    /// are literal text in the body.
    const BODY: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    fn example(sign_action: bool) -> Signing<'static> {
        Signing {
            service: "cvm",
            host: "cvm.tencentcloudapi.com",
            action: "DescribeInstances",
            content_type: "application/json; charset=utf-8",
            timestamp: 1_551_113_065,
            body: BODY.as_bytes(),
            sign_action,
        }
    }

    #[test]
    fn documented_vector_one() {
        let s = example(false);
        assert_eq!(
            hex(&sha256(BODY.as_bytes())),
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            hex(&sha256(canonical_request(&s).as_bytes())),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", &s),
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert_eq!(
            authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", &s, &mut KeyCache::default()),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
    }

    #[test]
    fn documented_vector_two_signs_the_action() {
        let s = example(true);
        assert_eq!(
            hex(&sha256(canonical_request(&s).as_bytes())),
            "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
        );
        assert_eq!(
            signature(&"*".repeat(32), &s),
            "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
        );
    }

    #[test]
    fn the_cache_answers_the_derived_key_and_holds_only_the_last() {
        let direct = |key: &str, date: &str, service: &str| {
            let k = hmac_sha256(["TC3", key].concat().as_bytes(), date.as_bytes());
            hmac_sha256(&hmac_sha256(&k, service.as_bytes()), b"tc3_request")
        };
        let mut keys = KeyCache::default();
        // (key, date, service, whether the cache holds it before the call)
        let cases = [
            ("k1", "2024-01-01", "sms", false),
            ("k1", "2024-01-01", "sms", true),
            ("k2", "2024-01-01", "sms", false),
            ("k1", "2024-01-02", "sms", false),
            ("k1", "2024-01-02", "cvm", false),
            ("k1", "2024-01-02", "cvm", true),
            ("k1", "2024-01-01", "sms", false),
        ];
        for (key, date, service, held) in cases {
            assert_eq!(
                keys.holds(key, date, service),
                held,
                "{key} {date} {service}"
            );
            assert_eq!(keys.get(key, date, service), direct(key, date, service));
            assert_eq!(signing_key(key, date, service), direct(key, date, service));
            assert!(keys.holds(key, date, service));
        }
        let shown = format!("{keys:?}");
        assert!(!shown.contains("k1"), "{shown}");
        // A signature from the cache is the signature from scratch.
        let s = example(false);
        let mut keys = KeyCache::default();
        let key = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
        let first = authorization("AKID", key, &s, &mut keys);
        assert!(keys.holds(key, "2019-02-25", "cvm"));
        assert_eq!(authorization("AKID", key, &s, &mut keys), first);
        assert!(first.ends_with(&signature(key, &s)));
    }

    #[test]
    fn scope_date_is_utc() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        // 2024-02-29 23:59:59 UTC and the next second (a leap day, then March).
        assert_eq!(utc_date(1_709_251_199), "2024-02-29");
        assert_eq!(utc_date(1_709_251_200), "2024-03-01");
        // 07:59 in Beijing on 2021-01-02 is still 2021-01-01 in UTC.
        assert_eq!(utc_date(1_609_545_540), "2021-01-01");
        assert_eq!(utc_date(4_102_444_800), "2100-01-01");
    }
}
