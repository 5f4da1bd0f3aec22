//! Verification codes: generation, the stored record, verification, resend limits.
//!
//! Better than every vendor version (docs/zhenzi-api.md, "What the vendor SDKs got wrong"): digits are uniform over
//! 0-9 from the host's CSPRNG bytes (rejection sampling), the code is stored only as a keyed
//! hash, it is single use, it expires, wrong guesses are counted and lock the record, and
//! resends are limited. Time is an argument (milliseconds since the epoch, as `Date.now()`),
//! so tests control the clock.

use crate::errors::{Error, CODE_DAILY_CAP, CONFIG, COOLDOWN, PARAM_FORMAT};
use crate::json::{int_text, Json};
use crate::number;
use crate::sha256::{hex, hmac_sha256};

const SALT_BYTES: usize = 16;
/// A code's digits: 4 to 8.
pub const MIN_LENGTH: u32 = 4;
pub const MAX_LENGTH: u32 = 8;
/// China Standard Time: the daily cap restarts at Beijing midnight, as the vendor's does.
const DAY_OFFSET_MS: f64 = 8.0 * 3600.0 * 1000.0;
const DAY_MS: f64 = 86_400_000.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    pub length: u32,
    pub ttl_ms: f64,
    pub max_attempts: u32,
    pub cooldown_ms: f64,
    pub daily_cap: u32,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            length: 6,
            ttl_ms: 5.0 * 60_000.0,
            max_attempts: 5,
            cooldown_ms: 60_000.0,
            daily_cap: 10,
        }
    }
}

fn positive(v: &Json, key: &str) -> Option<f64> {
    v.get(key)
        .and_then(Json::as_f64)
        .filter(|n| n.is_finite() && *n >= 0.0)
}

impl Policy {
    /// `{length, ttlMs | seconds, maxAttempts, cooldownMs, dailyCap}`, each optional.
    pub fn from_json(v: Option<&Json>) -> Result<Policy, Error> {
        let mut p = Policy::default();
        let Some(v) = v else { return Ok(p) };
        if let Some(n) = positive(v, "length") {
            p.length = n as u32;
        }
        if let Some(s) = positive(v, "seconds") {
            p.ttl_ms = s * 1000.0;
        }
        if let Some(ms) = positive(v, "ttlMs") {
            p.ttl_ms = ms;
        }
        if let Some(n) = positive(v, "maxAttempts") {
            p.max_attempts = n as u32;
        }
        if let Some(ms) = positive(v, "cooldownMs") {
            p.cooldown_ms = ms;
        }
        if let Some(n) = positive(v, "dailyCap") {
            p.daily_cap = n as u32;
        }
        if !(MIN_LENGTH..=MAX_LENGTH).contains(&p.length) {
            return Err(Error::new(
                PARAM_FORMAT,
                "code length must be 4 to 8 digits",
            ));
        }
        if p.ttl_ms <= 0.0 || p.max_attempts == 0 {
            return Err(Error::new(
                PARAM_FORMAT,
                "code lifetime and attempts must be positive",
            ));
        }
        Ok(p)
    }
}

/// One limit on how often something may happen: a resend limit of a code (cloud mode keeps one
/// per number, per caller and per (number, caller)), or a budget of the cloud function (per
/// platform address, per day for the whole function, per caller for a route). Its state is when
/// it last fired (`sent_at`, 0 = never), the period of that (`day`) and how often it fired in
/// that period; its rule is the cooldown and the cap per period (0 = none). The period is the
/// Beijing day, or a fixed window of `window_ms` (an hour, say) when that is positive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub sent_at: f64,
    pub day: f64,
    pub count: u32,
    pub cooldown_ms: f64,
    pub cap: u32,
    pub window_ms: f64,
}

impl Limit {
    /// `[sentAt, day, count, cooldownMs, cap, windowMs?]`; a missing item is 0 (never sent, no
    /// rule, the Beijing day).
    pub fn from_json(v: &Json) -> Limit {
        let items = match v {
            Json::Arr(items) => items.as_slice(),
            _ => &[],
        };
        let n = |i: usize| items.get(i).and_then(Json::as_f64).unwrap_or(0.0);
        Limit {
            sent_at: n(0),
            day: n(1),
            count: n(2) as u32,
            cooldown_ms: n(3),
            cap: n(4) as u32,
            window_ms: n(5),
        }
    }

    /// The period `now` falls in: the Beijing day, or the window's number. Windows are the
    /// server module's (the cloud function's budgets): the phone's module has the day only.
    pub fn period(&self, now: f64) -> f64 {
        #[cfg(any(feature = "server", test))]
        if self.window_ms > 0.0 {
            return (now / self.window_ms).floor();
        }
        day_of(now)
    }

    /// The period in a refusal's words: today, or the window (the server module's only).
    fn period_text(&self) -> String {
        #[cfg(any(feature = "server", test))]
        if self.window_ms > 0.0 {
            let seconds = int_text((self.window_ms / 1000.0) as i64);
            return [" in this window of ", &seconds, " s"].concat();
        }
        " today".to_string()
    }

    /// Times counted against the cap in `period`. Fails closed: only a period strictly before
    /// starts afresh, so a NaN or future one keeps the count.
    fn used_in(&self, period: f64) -> u32 {
        if self.day < period {
            0
        } else {
            self.count
        }
    }

    /// Whole seconds until the cooldown ends (for a host's "retry in N s"); None when unknown.
    pub fn wait_seconds(&self, now: f64) -> Option<i64> {
        let wait = ((self.cooldown_ms - (now - self.sent_at)) / 1000.0).ceil();
        (wait.is_finite() && wait >= 0.0).then_some(wait as i64)
    }

    /// Refuses (9201, 9202) when this limit forbids a send at `now`. Written so that a NaN or
    /// infinite time refuses: every comparison with NaN is false.
    pub fn check(&self, now: f64) -> Result<(), Error> {
        let since = now - self.sent_at;
        // A limit without a cooldown (exactly 0: a NaN one still refuses) never reads the time
        // of the last use, so a use another instance stamped a few ms ahead refuses nothing.
        let cooling = self.cooldown_ms != 0.0;
        if cooling
            && !(self.sent_at == 0.0 || (self.sent_at.is_finite() && since >= self.cooldown_ms))
        {
            let detail = match self.wait_seconds(now) {
                Some(wait) => ["retry in ", &int_text(wait), " s"].concat(),
                None => "retry later".to_string(),
            };
            return Err(Error::new(COOLDOWN, detail));
        }
        let used = self.used_in(self.period(now));
        if self.cap > 0 && used >= self.cap {
            return Err(Error::new(
                CODE_DAILY_CAP,
                [
                    &int_text(used.into()),
                    " codes sent",
                    &self.period_text(),
                    "; the cap is ",
                    &int_text(self.cap.into()),
                ]
                .concat(),
            ));
        }
        Ok(())
    }

    /// The limit after a send at `now` (the count saturates).
    pub fn after(&self, now: f64) -> Limit {
        let period = self.period(now);
        Limit {
            sent_at: now,
            day: period,
            count: self.used_in(period).saturating_add(1),
            ..*self
        }
    }
}

/// Uses that count more than once: a long SMS is billed as several (cloud mode's budgets count
/// what the operator pays for). Server module only.
#[cfg(any(feature = "server", test))]
impl Limit {
    /// As `check`, and refused (9202) when `uses` more would pass the cap.
    pub fn check_uses(&self, now: f64, uses: u32) -> Result<(), Error> {
        self.check(now)?;
        let used = self.used_in(self.period(now));
        if self.cap > 0 && u64::from(used) + u64::from(uses) > u64::from(self.cap) {
            return Err(Error::new(
                CODE_DAILY_CAP,
                [
                    &int_text(used.into()),
                    " used",
                    &self.period_text(),
                    "; this one counts ",
                    &int_text(uses.into()),
                    " and the cap is ",
                    &int_text(self.cap.into()),
                ]
                .concat(),
            ));
        }
        Ok(())
    }

    /// The limit after a use counted `uses` times at `now` (the count saturates).
    pub fn after_uses(&self, now: f64, uses: u32) -> Limit {
        let period = self.period(now);
        Limit {
            sent_at: now,
            day: period,
            count: self.used_in(period).saturating_add(uses),
            ..*self
        }
    }

    /// The limit with a use counted `uses` times given back at `now` (it sent nothing): this
    /// period's count less `uses`, never below 0; the time of the last use is kept.
    pub fn given_back(&self, now: f64, uses: u32) -> Limit {
        let period = self.period(now);
        Limit {
            day: period,
            count: self.used_in(period).saturating_sub(uses),
            ..*self
        }
    }

    /// Whether `uses` more at `now` take this limit to 80 % of its cap or past it for the first
    /// time in its period (the cloud function's warning before a budget runs out).
    pub fn nears_cap(&self, now: f64, uses: u32) -> bool {
        let before = u64::from(self.used_in(self.period(now)));
        let cap = u64::from(self.cap);
        cap > 0 && before * 5 < cap * 4 && (before + u64::from(uses)) * 5 >= cap * 4
    }
}

/// `check_all` where limit `i` counts `uses[i]` times (1 when not given). Server module only.
#[cfg(any(feature = "server", test))]
pub fn check_all_uses(limits: &[Limit], uses: &[u32], now: f64) -> Result<(), (usize, Error)> {
    for (i, limit) in limits.iter().enumerate() {
        let n = uses.get(i).copied().unwrap_or(1);
        limit.check_uses(now, n).map_err(|e| (i, e))?;
    }
    Ok(())
}

/// The parts a carrier bills for an SMS of `text`: one up to 70 UTF-16 units, else one per 67
/// (a long SMS carries a header in each part). Zhenzi publishes no rule of its own; this is the
/// carriers' usual one, so cloud mode's budgets count at least what is billed. Server only.
#[cfg(any(feature = "server", test))]
pub fn sms_parts(text: &str) -> u32 {
    let units = text.encode_utf16().count() as u32;
    if units <= 70 {
        1
    } else {
        units.div_ceil(67)
    }
}

/// Checks every limit at `now`: the first that refuses says why, with its index.
pub fn check_all(limits: &[Limit], now: f64) -> Result<(), (usize, Error)> {
    for (i, limit) in limits.iter().enumerate() {
        limit.check(now).map_err(|e| (i, e))?;
    }
    Ok(())
}

/// A digit string of `length` from CSPRNG bytes: bytes ≥ 250 are skipped so each digit is
/// uniform (250 = 25 × 10). Errors if the bytes run out (the host supplies plenty).
pub fn generate(length: u32, entropy: &[u8]) -> Result<(String, usize), Error> {
    let mut code = String::with_capacity(length as usize);
    let mut used = 0;
    for &b in entropy {
        if code.len() == length as usize {
            break;
        }
        used += 1;
        if b < 250 {
            code.push((b'0' + b % 10) as char);
        }
    }
    if code.len() < length as usize {
        return Err(Error::new(CONFIG, "not enough random bytes for a code"));
    }
    Ok((code, used))
}

/// What is stored per number. Never the code itself: `hash` = HMAC(key, salt|number|code).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub number: String,
    pub salt: String,
    pub hash: String,
    /// Set only for records written by the vendor SDKs (plain text in storage).
    pub legacy_code: Option<String>,
    pub expires_at: f64,
    pub attempts_left: u32,
    pub sent_at: f64,
    pub used: bool,
    pub day: f64,
    pub day_count: u32,
}

impl Record {
    pub fn to_json(&self) -> Json {
        Json::obj(vec![
            ("number", Json::str(self.number.clone())),
            ("salt", Json::str(self.salt.clone())),
            ("hash", Json::str(self.hash.clone())),
            ("expiresAt", Json::num(self.expires_at)),
            ("attemptsLeft", Json::num(self.attempts_left as f64)),
            ("sentAt", Json::num(self.sent_at)),
            ("used", Json::Bool(self.used)),
            ("day", Json::num(self.day)),
            ("dayCount", Json::num(self.day_count as f64)),
        ])
    }

    /// Reads a stored record; `{number, code, expire}` (the vendor SDKs' plain storage) is
    /// accepted so a page upgraded mid-flow still validates the code it sent before.
    pub fn from_json(v: &Json) -> Option<Record> {
        let number = v.str_field("number")?.to_string();
        let num = |k| positive(v, k).unwrap_or(0.0);
        // Times that gate a resend are kept as read, infinities included, so that a corrupt
        // one refuses (fails closed) instead of reading as "never".
        let time = |k| v.get(k).and_then(Json::as_f64).unwrap_or(0.0);
        if let Some(code) = v.str_field("code") {
            return Some(Record {
                number,
                salt: String::new(),
                hash: String::new(),
                legacy_code: Some(code.to_string()),
                expires_at: num("expire"),
                attempts_left: Policy::default().max_attempts,
                sent_at: 0.0,
                used: false,
                day: 0.0,
                day_count: 0,
            });
        }
        Some(Record {
            number,
            salt: v.str_field("salt")?.to_string(),
            hash: v.str_field("hash")?.to_string(),
            legacy_code: None,
            expires_at: num("expiresAt"),
            attempts_left: num("attemptsLeft") as u32,
            sent_at: time("sentAt"),
            used: matches!(v.get("used"), Some(Json::Bool(true))),
            day: time("day"),
            day_count: num("dayCount") as u32,
        })
    }
}

fn keyed_hash(key: &str, salt: &str, number: &str, code: &str) -> String {
    hex(&hmac_sha256(
        key.as_bytes(),
        [salt, "|", number, "|", code].concat().as_bytes(),
    ))
}

/// Compares without an early exit, so timing does not tell how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        diff |= (a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0xff)) as usize;
    }
    diff == 0
}

pub fn day_of(now_ms: f64) -> f64 {
    ((now_ms + DAY_OFFSET_MS) / DAY_MS).floor()
}

/// What a new code needs besides entropy.
pub struct Issue<'a> {
    pub number: &'a str,
    pub now: f64,
    pub key: &'a str,
    pub policy: Policy,
    /// The number's current record, if any (for the cooldown and the daily cap).
    pub previous: Option<Record>,
    /// More limits to respect (cloud mode: per number, per caller, per pair).
    pub limits: Vec<Limit>,
}

/// A fresh code and its record, or why not now (cooldown, daily cap, bad number).
pub fn issue(req: Issue, entropy: &[u8]) -> Result<(String, Record), Error> {
    let number = number::normalise(req.number)?;
    if !(req.now > 0.0 && req.now.is_finite()) {
        return Err(Error::new(CONFIG, "now must be a time in ms"));
    }
    let today = day_of(req.now);
    let p = req.policy;
    // The number's own record (direct mode) is a limit like the ones cloud mode passes in.
    let previous = req.previous.as_ref().filter(|r| r.number == number);
    let own = previous.map(|r| Limit {
        sent_at: r.sent_at,
        day: r.day,
        count: r.day_count,
        cooldown_ms: p.cooldown_ms,
        cap: p.daily_cap,
        window_ms: 0.0,
    });
    if let Some(own) = own {
        own.check(req.now)?;
    }
    // Cloud mode's limits (the phone's module is never given any: src/api.rs refuses them).
    #[cfg(any(feature = "server", test))]
    check_all(&req.limits, req.now).map_err(|(_, e)| e)?;
    let salt_bytes = entropy
        .get(..SALT_BYTES)
        .ok_or_else(|| Error::new(CONFIG, "not enough random bytes for a code"))?;
    let (code, _) = generate(p.length, &entropy[SALT_BYTES..])?;
    let salt = hex(salt_bytes);
    let day_count = own.map_or(1, |l| l.after(req.now).count);
    let record = Record {
        hash: keyed_hash(req.key, &salt, &number, &code),
        number,
        salt,
        legacy_code: None,
        expires_at: req.now + p.ttl_ms,
        attempts_left: p.max_attempts,
        sent_at: req.now,
        used: false,
        day: today,
        day_count,
    };
    Ok((code, record))
}

/// The vendor's result strings, plus three this SDK adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Empty,
    NumberError,
    CodeError,
    CodeExpired,
    CodeUsed,
    TooManyAttempts,
}

impl Outcome {
    /// Every outcome, in the order the typings list them.
    pub const ALL: [Outcome; 7] = [
        Outcome::Ok,
        Outcome::Empty,
        Outcome::NumberError,
        Outcome::CodeError,
        Outcome::CodeExpired,
        Outcome::CodeUsed,
        Outcome::TooManyAttempts,
    ];

    /// The text the vendor's cloud function answers beside the outcome (`msg` / `data`).
    pub fn vendor_text(self) -> &'static str {
        match self {
            Outcome::Ok => "验证通过",
            Outcome::Empty => "未生成验证码!",
            Outcome::NumberError => "手机号码错误!",
            Outcome::CodeError => "验证码不一致!",
            Outcome::CodeExpired => "验证码已过期!",
            Outcome::CodeUsed => "验证码已被使用!",
            Outcome::TooManyAttempts => "错误次数过多，请重新获取验证码!",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Empty => "empty",
            Outcome::NumberError => "number_error",
            Outcome::CodeError => "code_error",
            Outcome::CodeExpired => "code_expired",
            Outcome::CodeUsed => "code_used",
            Outcome::TooManyAttempts => "too_many_attempts",
        }
    }
}

/// Checks `code` for `number` against the stored record and returns the outcome with the
/// record as it must be stored now (attempts spent, or marked used).
pub fn verify(
    record: Option<Record>,
    number: &str,
    code: &str,
    now: f64,
    key: &str,
) -> (Outcome, Option<Record>) {
    let Some(mut r) = record else {
        return (Outcome::Empty, None);
    };
    // A vendor record holds the code in clear: from now on it is kept hashed like any other,
    // so the record written back after this check still knows the code.
    if let Some(plain) = r.legacy_code.take() {
        r.hash = keyed_hash(key, &r.salt, &r.number, &plain);
    }
    let same_number = number::normalise(number).is_ok_and(|n| n == r.number);
    // Fails closed: a NaN or non-positive time, or a NaN expiry, counts as expired.
    let fresh = now > 0.0 && now < r.expires_at;
    let outcome = if !same_number {
        Outcome::NumberError
    } else if r.used {
        Outcome::CodeUsed
    } else if !fresh {
        Outcome::CodeExpired
    } else if r.attempts_left == 0 {
        Outcome::TooManyAttempts
    } else {
        let code = code.trim();
        let right = constant_time_eq(
            keyed_hash(key, &r.salt, &r.number, code).as_bytes(),
            r.hash.as_bytes(),
        );
        if right {
            r.used = true;
            Outcome::Ok
        } else {
            r.attempts_left -= 1;
            if r.attempts_left == 0 {
                Outcome::TooManyAttempts
            } else {
                Outcome::CodeError
            }
        }
    };
    (outcome, Some(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    const N: &str = "15811112222";
    const T0: f64 = 1_764_000_000_000.0;

    /// Deterministic "entropy" for tests that are not about randomness.
    fn bytes(seed: u8) -> Vec<u8> {
        (0..64u32)
            .map(|i| (i as u8).wrapping_mul(37).wrapping_add(seed))
            .collect()
    }

    fn issue_at(
        now: f64,
        previous: Option<Record>,
        policy: Policy,
    ) -> Result<(String, Record), Error> {
        issue(
            Issue {
                number: N,
                now,
                key: "k",
                policy,
                previous,
                limits: vec![],
            },
            &bytes(now as u8),
        )
    }

    #[test]
    fn generation_skips_biased_bytes_and_honours_length() {
        assert_eq!(
            generate(4, &[0, 9, 250, 255, 19, 249]).unwrap(),
            ("0999".into(), 6)
        );
        assert_eq!(generate(4, &[250, 251, 252]).unwrap_err().code, 9001);
        for len in 4..=8 {
            assert_eq!(generate(len, &bytes(1)).unwrap().0.len(), len as usize);
        }
    }

    #[test]
    fn every_byte_value_maps_uniformly() {
        // Exhaustive: of the 256 byte values, each digit gets exactly 25 and 6 are rejected.
        let mut counts = [0; 10];
        let mut rejected = 0;
        for b in 0..=255u8 {
            match generate(1, &[b]) {
                Ok((d, _)) => counts[d.parse::<usize>().unwrap()] += 1,
                Err(_) => rejected += 1,
            }
        }
        assert_eq!((counts, rejected), ([25; 10], 6));
    }

    #[test]
    fn right_code_once_then_used() {
        let (code, rec) = issue_at(T0, None, Policy::default()).unwrap();
        assert!(!rec.hash.contains(&code) && rec.to_json().to_string().find(&code).is_none());
        let (o, rec) = verify(Some(rec), N, &code, T0 + 1000.0, "k");
        assert_eq!(o, Outcome::Ok);
        let (o, _) = verify(rec, N, &code, T0 + 2000.0, "k");
        assert_eq!(o, Outcome::CodeUsed);
    }

    #[test]
    fn expiry_edges() {
        let (code, rec) = issue_at(T0, None, Policy::default()).unwrap();
        let ttl = Policy::default().ttl_ms;
        assert_eq!(
            verify(Some(rec.clone()), N, &code, T0 + ttl - 1.0, "k").0,
            Outcome::Ok
        );
        assert_eq!(
            verify(Some(rec.clone()), N, &code, T0 + ttl, "k").0,
            Outcome::CodeExpired
        );
        assert_eq!(
            verify(Some(rec.clone()), N, &code, T0 + ttl + 1.0, "k").0,
            Outcome::CodeExpired
        );
        // Expiry is checked before the code: a wrong code after expiry spends no attempt.
        let (o, after) = verify(Some(rec.clone()), N, "000000x", T0 + ttl, "k");
        assert_eq!((o, after.unwrap().attempts_left), (Outcome::CodeExpired, 5));
    }

    #[test]
    fn fifth_wrong_attempt_locks() {
        let (code, mut rec) = issue_at(T0, None, Policy::default()).unwrap();
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for i in 1..=5 {
            let (o, r) = verify(Some(rec), N, wrong, T0 + 1.0, "k");
            rec = r.unwrap();
            let want = if i < 5 {
                Outcome::CodeError
            } else {
                Outcome::TooManyAttempts
            };
            assert_eq!(o, want, "attempt {i}");
        }
        assert_eq!(
            verify(Some(rec), N, &code, T0 + 2.0, "k").0,
            Outcome::TooManyAttempts
        );
    }

    #[test]
    fn empty_number_error_and_key() {
        assert_eq!(verify(None, N, "1234", T0, "k").0, Outcome::Empty);
        let (code, rec) = issue_at(T0, None, Policy::default()).unwrap();
        let (o, r) = verify(Some(rec.clone()), "15811113333", &code, T0, "k");
        assert_eq!((o, r.unwrap().attempts_left), (Outcome::NumberError, 5));
        assert_eq!(
            verify(Some(rec.clone()), " 15811112222 ", &code, T0, "k").0,
            Outcome::Ok
        );
        // Another key (another deployment's secret) does not accept the code.
        assert_eq!(
            verify(Some(rec), N, &code, T0, "other").0,
            Outcome::CodeError
        );
    }

    #[test]
    fn cooldown_edges_and_daily_cap() {
        let p = Policy::default();
        let (_, rec) = issue_at(T0, None, p).unwrap();
        let e = issue_at(T0 + p.cooldown_ms - 1.0, Some(rec.clone()), p).unwrap_err();
        assert_eq!((e.code, e.detail.as_str()), (9201, "retry in 1 s"));
        let (_, rec2) = issue_at(T0 + p.cooldown_ms, Some(rec.clone()), p).unwrap();
        assert_eq!(rec2.day_count, 2);
        // Another number has its own cooldown.
        let other = Record {
            number: "15811113333".into(),
            ..rec.clone()
        };
        assert!(issue_at(T0 + 1.0, Some(other), p).is_ok());
        // Per caller (cloud mode): a recent send by the same caller blocks any number.
        let e = issue(
            Issue {
                number: N,
                now: T0,
                key: "k",
                policy: p,
                previous: None,
                limits: vec![Limit {
                    sent_at: T0 - 10.0,
                    day: 0.0,
                    count: 0,
                    cooldown_ms: p.cooldown_ms,
                    cap: 0,
                    window_ms: 0.0,
                }],
            },
            &bytes(3),
        )
        .unwrap_err();
        assert_eq!(e.code, 9201);
        // Daily cap: the cap-th send is allowed, the next refused, the next day allowed again.
        let cap = Policy {
            daily_cap: 2,
            cooldown_ms: 0.0,
            ..p
        };
        let (_, r1) = issue_at(T0, None, cap).unwrap();
        let (_, r2) = issue_at(T0 + 1.0, Some(r1), cap).unwrap();
        assert_eq!(
            issue_at(T0 + 2.0, Some(r2.clone()), cap).unwrap_err().code,
            9202
        );
        let tomorrow = (day_of(T0) + 1.0) * DAY_MS - DAY_OFFSET_MS;
        assert_eq!(issue_at(tomorrow, Some(r2), cap).unwrap().1.day_count, 1);
    }

    #[test]
    fn records_round_trip_and_legacy_storage_still_validates() {
        let (code, rec) = issue_at(T0, None, Policy::default()).unwrap();
        assert_eq!(Record::from_json(&rec.to_json()), Some(rec));
        let legacy = crate::json::parse(&format!(
            r#"{{"number":"{N}","code":"4321","expire":{}}}"#,
            T0 + 1000.0
        ))
        .unwrap();
        let legacy = Record::from_json(&legacy).unwrap();
        assert_eq!(
            verify(Some(legacy.clone()), N, "4321", T0, "").0,
            Outcome::Ok
        );
        assert_eq!(
            verify(Some(legacy.clone()), N, "4321", T0 + 1000.0, "").0,
            Outcome::CodeExpired
        );
        assert_eq!(
            verify(Some(legacy.clone()), N, &code, T0, "").0,
            Outcome::CodeError
        );
        // A wrong guess, then the right code: the record written back still knows the code,
        // and no longer holds it in clear.
        let (o, after) = verify(Some(legacy), N, "0000", T0, "");
        assert_eq!(o, Outcome::CodeError);
        let stored = Record::from_json(&after.unwrap().to_json()).unwrap();
        assert!(stored.legacy_code.is_none() && !stored.to_json().text().contains("4321"));
        assert_eq!(verify(Some(stored), N, "4321", T0, "").0, Outcome::Ok);
    }

    #[test]
    fn policy_bounds() {
        let p = |s: &str| Policy::from_json(Some(&crate::json::parse(s).unwrap()));
        assert_eq!(p(r#"{"length":4,"seconds":60}"#).unwrap().ttl_ms, 60_000.0);
        assert!(p(r#"{"length":8}"#).is_ok());
        assert_eq!(p(r#"{"length":3}"#).unwrap_err().code, 100);
        assert_eq!(p(r#"{"length":9}"#).unwrap_err().code, 100);
        assert_eq!(p(r#"{"seconds":0}"#).unwrap_err().code, 100);
    }

    fn limit(sent_at: f64, count: u32, cap: u32) -> Limit {
        Limit {
            sent_at,
            day: day_of(sent_at),
            count,
            cooldown_ms: 60_000.0,
            cap,
            window_ms: 0.0,
        }
    }

    fn issue_with(now: f64, limits: Vec<Limit>) -> Result<(String, Record), Error> {
        issue(
            Issue {
                number: "+86 158-1111-2222",
                now,
                key: "k",
                policy: Policy::default(),
                previous: None,
                limits,
            },
            &bytes(7),
        )
    }

    #[test]
    fn limits_refuse_within_cooldown_and_at_the_cap_and_count_after_a_send() {
        assert_eq!(
            issue_with(T0, vec![Limit::from_json(&Json::Null)])
                .unwrap()
                .1
                .number,
            N
        );
        let l = limit(T0, 1, 3);
        assert_eq!(issue_with(T0 + 59_999.0, vec![l]).unwrap_err().code, 9201);
        assert!(issue_with(T0 + 60_000.0, vec![l]).is_ok());
        let after = l.after(T0 + 60_000.0);
        assert_eq!((after.count, after.sent_at), (2, T0 + 60_000.0));
        let full = limit(T0, 3, 3);
        let e = issue_with(T0 + 120_000.0, vec![full]).unwrap_err();
        assert_eq!(
            (e.code, e.detail.as_str()),
            (9202, "3 codes sent today; the cap is 3")
        );
        // The next Beijing day starts afresh; the count saturates instead of wrapping.
        let tomorrow = (day_of(T0) + 1.0) * DAY_MS - DAY_OFFSET_MS;
        assert!(issue_with(tomorrow, vec![full]).is_ok());
        assert_eq!(full.after(tomorrow).count, 1);
        assert_eq!(limit(T0, u32::MAX, 0).after(T0 + 1.0).count, u32::MAX);
        // Any one limit refuses: the first that does says why.
        let e = issue_with(T0 + 120_000.0, vec![limit(0.0, 0, 0), full, l]).unwrap_err();
        assert_eq!(e.code, 9202);
    }

    #[test]
    fn windows_other_than_the_day_and_the_warning_at_80_percent() {
        let hour = 3_600_000.0;
        let l = Limit {
            window_ms: hour,
            cooldown_ms: 0.0,
            ..limit(0.0, 0, 5)
        };
        let mut at = l;
        let start = (T0 / hour).floor() * hour;
        let mut near = vec![];
        for i in 0..5 {
            assert!(at.check(start + i as f64).is_ok(), "{i}");
            near.push(at.nears_cap(start + i as f64, 1));
            at = at.after(start + i as f64);
        }
        // The 4th of 5 reaches 80 %: warned once.
        assert_eq!(near, [false, false, false, true, false]);
        let e = at.check(start + 10.0).unwrap_err();
        assert_eq!(
            (e.code, e.detail.as_str()),
            (9202, "5 codes sent in this window of 3600 s; the cap is 5")
        );
        // The next hour starts afresh.
        assert!(at.check(start + hour).is_ok());
        assert_eq!(at.after(start + hour).count, 1);
        // No cap, no warning; the index of the limit that refuses.
        assert!(!limit(0.0, 0, 0).nears_cap(T0, 1));
        let e = check_all(&[limit(0.0, 0, 0), at], start + 10.0).unwrap_err();
        assert_eq!((e.0, e.1.code), (1, 9202));
        assert_eq!(limit(T0, 0, 0).wait_seconds(T0 + 1500.0), Some(59));
    }

    #[test]
    fn uses_that_count_several_times_are_refused_past_the_cap_and_warned_once() {
        // 5 of 10 used today: 5 more fit, 6 do not; 3 more reach 80 % for the first time.
        let l = Limit {
            count: 5,
            day: day_of(T0),
            ..limit(1.0, 0, 10)
        };
        assert!(l.check_uses(T0, 5).is_ok());
        assert_eq!(l.check_uses(T0, 6).unwrap_err().code, 9202);
        assert_eq!(l.after_uses(T0, 5).count, 10);
        assert!(l.nears_cap(T0, 3) && !l.nears_cap(T0, 2));
        // Yesterday's count starts afresh: 10 at once fit.
        assert!(l.check_uses(T0 + 86_400_000.0, 10).is_ok());
        assert_eq!(
            check_all_uses(&[limit(0.0, 0, 0), l], &[1, 6], T0)
                .unwrap_err()
                .0,
            1
        );
        // No cooldown: a last use stamped ahead of `now` (another instance, a later call that
        // wrote first) refuses nothing; with one, it still does.
        let ahead = Limit {
            cooldown_ms: 0.0,
            sent_at: T0 + 5.0,
            ..l
        };
        assert!(ahead.check(T0).is_ok() && ahead.check_uses(T0, 1).is_ok());
        assert_eq!(
            Limit {
                cooldown_ms: 1.0,
                ..ahead
            }
            .check(T0)
            .unwrap_err()
            .code,
            9201
        );
        // Given back: 5 − 3, never below 0, and nothing of yesterday's to give back.
        assert_eq!(l.given_back(T0, 3).count, 2);
        assert_eq!(l.given_back(T0, 9).count, 0);
        assert_eq!(l.given_back(T0 + 86_400_000.0, 1).count, 0);
        assert_eq!(l.given_back(T0, 3).sent_at, l.sent_at);
    }

    #[test]
    fn an_sms_is_billed_as_one_part_up_to_70_units_then_one_per_67() {
        let parts = |n: usize, c: &str| sms_parts(&c.repeat(n));
        assert_eq!((parts(0, "a"), parts(70, "验"), parts(71, "验")), (1, 1, 2));
        assert_eq!(
            (parts(134, "a"), parts(135, "a"), parts(1000, "验")),
            (2, 3, 15)
        );
        // An emoji is two UTF-16 units, as carriers count it: 36 of them are 72 units.
        assert_eq!((parts(35, "😀"), parts(36, "😀")), (1, 2));
    }

    #[test]
    fn nan_and_infinite_times_fail_closed() {
        for now in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -5.0] {
            assert_eq!(issue_with(now, vec![]).unwrap_err().code, 9001, "{now}");
        }
        for sent_at in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, T0 + 1e9] {
            let l = Limit {
                sent_at,
                ..limit(T0, 0, 0)
            };
            assert_eq!(issue_with(T0, vec![l]).unwrap_err().code, 9201, "{sent_at}");
        }
        let nan_cooldown = Limit {
            cooldown_ms: f64::NAN,
            ..limit(T0 - 1e9, 0, 0)
        };
        assert_eq!(issue_with(T0, vec![nan_cooldown]).unwrap_err().code, 9201);
        let nan_day = Limit {
            day: f64::NAN,
            ..limit(T0 - 1e9, 5, 5)
        };
        assert_eq!(issue_with(T0, vec![nan_day]).unwrap_err().code, 9202);
        let (code, rec) = issue_at(T0, None, Policy::default()).unwrap();
        for now in [f64::NAN, f64::INFINITY, 0.0, -1.0] {
            assert_eq!(
                verify(Some(rec.clone()), N, &code, now, "k").0,
                Outcome::CodeExpired
            );
        }
        let nan_expiry = Record {
            expires_at: f64::NAN,
            ..rec
        };
        assert_eq!(
            verify(Some(nan_expiry), N, &code, T0, "k").0,
            Outcome::CodeExpired
        );
    }

    #[test]
    fn a_stored_record_with_an_infinite_time_refuses_a_resend() {
        let (_, rec) = issue_at(T0, None, Policy::default()).unwrap();
        let text = rec.to_json().text();
        for (field, was) in [("sentAt", T0), ("day", day_of(T0))] {
            let from = format!("\"{field}\":{}", crate::json::Json::num(was).text());
            assert!(text.contains(&from), "{text}");
            let bad = text.replace(&from, &format!("\"{field}\":1e999"));
            let bad = Record::from_json(&crate::json::parse(&bad).unwrap()).unwrap();
            let later = T0 + 3_600_000.0;
            let full = Policy {
                daily_cap: 1,
                ..Policy::default()
            };
            assert!(issue_at(later, Some(bad), full).is_err(), "{field}");
        }
    }

    #[test]
    fn comparison_handles_lengths() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}
