//! The verification-code logic, with properties rather than "no panic":
//! - a number normalises to 11 ASCII digits or is refused, and normalising is idempotent;
//! - an issued code has the policy's length and is not in its record;
//! - no limit lets a send through inside its cooldown or at its cap, whatever the times
//!   (NaN and infinities included);
//! - a wrong code never verifies, the right one verifies once before expiry and never after,
//!   and a NaN or infinite time never verifies.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhenzisms::code::{self, Issue, Limit, Outcome, Policy};
use zhenzisms::number;

/// Reads little pieces off the fuzzer's bytes.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let (b, rest) = self.0.split_first().map_or((0, &[][..]), |(b, r)| (*b, r));
        self.0 = rest;
        b
    }
    fn f64(&mut self) -> f64 {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.byte();
        }
        // Mostly plausible times, sometimes any bit pattern (NaN, infinities, negatives).
        if b[0] & 3 == 0 {
            f64::from_le_bytes(b)
        } else {
            1.7e12 + (u32::from_le_bytes([b[1], b[2], b[3], b[4]]) as f64) * 10.0
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let split = b.byte() as usize % 24;
    let raw = String::from_utf8_lossy(b.0.get(..split).unwrap_or(b.0)).into_owned();
    b.0 = b.0.get(split..).unwrap_or(&[]);
    if let Ok(n) = number::normalise(&raw) {
        assert!(
            n.len() == 11 && n.bytes().all(|c| c.is_ascii_digit()),
            "{raw:?} → {n:?}"
        );
        assert_eq!(number::normalise(&n).as_deref(), Ok(n.as_str()));
    }
    let number = if b.byte() & 1 == 0 {
        raw
    } else {
        "+86 138 0013 8000".to_string()
    };

    let policy = Policy {
        length: 4 + (b.byte() % 5) as u32,
        ttl_ms: 1000.0 + b.byte() as f64 * 1000.0,
        ..Policy::default()
    };

    let now = b.f64();
    let limits: Vec<Limit> = (0..b.byte() % 4)
        .map(|_| Limit {
            sent_at: b.f64(),
            day: b.f64() / 1e8,
            count: b.byte() as u32,
            cooldown_ms: (b.byte() as f64) * 1000.0,
            cap: (b.byte() % 12) as u32,
            window_ms: if b.byte() % 2 == 0 { 0.0 } else { 3_600_000.0 },
        })
        .collect();
    let entropy: Vec<u8> = (0..64).map(|_| b.byte()).collect();
    let issued = code::issue(
        Issue {
            number: &number,
            now,
            key: "k",
            policy,
            previous: None,
            limits: limits.clone(),
        },
        &entropy,
    );
    let Ok((code, record)) = issued else { return };
    assert!(now.is_finite() && now > 0.0);
    for l in &limits {
        assert!(
            l.cooldown_ms == 0.0 || l.sent_at == 0.0 || now - l.sent_at >= l.cooldown_ms,
            "sent inside a cooldown: {l:?} at {now}"
        );
        assert!(
            l.cap == 0 || l.day < l.period(now) || l.count < l.cap,
            "sent over a cap: {l:?} at {now}"
        );
        assert!(l.after(now).count >= 1);
    }
    assert_eq!(code.len(), policy.length as usize);
    assert!(!record.to_json().text().contains(&format!("\"{code}\"")));

    let wrong: String = code
        .bytes()
        .map(|c| (b'0' + (c - b'0' + 1) % 10) as char)
        .collect();
    let at = now + (b.byte() as f64) * 100.0;
    let (o, after) = code::verify(Some(record.clone()), &number, &wrong, at, "k");
    assert_ne!(o, Outcome::Ok);
    let after = after.unwrap();
    match o {
        Outcome::CodeError | Outcome::TooManyAttempts => {
            assert_eq!(after.attempts_left + 1, record.attempts_left)
        }
        _ => assert_eq!(
            after.attempts_left, record.attempts_left,
            "{o:?} spent an attempt"
        ),
    }
    for bad in [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        record.expires_at,
        record.expires_at + 1.0,
    ] {
        assert_ne!(
            code::verify(Some(record.clone()), &number, &code, bad, "k").0,
            Outcome::Ok,
            "verified at {bad}"
        );
    }
    let (first, used) = code::verify(Some(record.clone()), &number, &code, at, "k");
    if at < record.expires_at {
        assert_eq!(first, Outcome::Ok);
        assert_eq!(
            code::verify(used, &number, &code, at, "k").0,
            Outcome::CodeUsed
        );
    } else {
        assert_eq!(first, Outcome::CodeExpired);
    }
});
