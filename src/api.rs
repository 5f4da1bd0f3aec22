//! The core's whole surface as functions from JSON text to JSON text. The wasm layer exports
//! these one to one; keeping them here, free of wasm-bindgen, lets native tests cover exactly
//! what JavaScript calls.
//!
//! Every result is an object with either `ok` (the value) or `err` (`{code, kind, reason,
//! message, solution, retriable, detail?}`). Calls that talk to Zhenzi also carry `vendor`:
//! the `{code, data}` the vendor SDKs hand callers as `res.data`.
//!
//! The one facade of the crate: src/wasm.rs exports these and nothing else. Tencent Cloud SMS
//! (`tencent_*`) is here behind the `server` feature, its logic in src/tencent.rs. Every
//! function is pure but one piece of state, kept here in the open: the Tencent signing-key
//! cache (`SIGNING_KEYS`, a `tc3::KeyCache`).

use crate::code::{self, Issue, Limit, Policy, Record};
use crate::endpoints::Op;
use crate::errors::{self, Error, CONFIG, PARAM_FORMAT};
use crate::json::{self, Json};
use crate::policy;
use crate::reply;
use crate::request::{self, Config};

fn ok(value: Json) -> String {
    Json::obj(vec![("ok", value)]).text()
}

fn err(e: &Error) -> String {
    failed(e, Json::str(e.entry.reason))
}

/// `{err, vendor: {code, data}}`: `data` is what vendor pages show (`res.data.data`).
fn failed(e: &Error, data: Json) -> String {
    Json::obj(vec![
        ("err", e.to_json()),
        (
            "vendor",
            Json::obj(vec![("code", Json::num(e.code as f64)), ("data", data)]),
        ),
    ])
    .text()
}

/// A refusal decided here, before anything was sent (bad input, configuration, cooldown…):
/// its vendor `data` says why and what to do in one Chinese sentence, "原因。解决办法", since
/// vendor pages show `res.data.data` to the user; `err` keeps the table's fields and detail.
fn refused(e: &Error) -> String {
    failed(
        e,
        Json::Str([e.entry.reason, "。", e.entry.solution].concat()),
    )
}

fn arg(text: &str, what: &str) -> Result<Json, Error> {
    json::parse(text).map_err(|e| Error::new(CONFIG, [what, " is not JSON: ", e.as_str()].concat()))
}

/// A call's own fields that cannot be read (a lone surrogate, say) are bad input: 100.
fn params_arg(text: &str) -> Result<Json, Error> {
    json::parse(text).map_err(|e| Error::new(PARAM_FORMAT, ["params: ", e.as_str()].concat()))
}

fn op(name: &str) -> Result<Op, Error> {
    Op::from_name(name).ok_or_else(|| Error::new(CONFIG, "unknown operation"))
}

/// `op`: send | sendTemplate | balance | findSmsByMessageId; `config`: see `Config::from_json`,
/// plus `retry: {retries?, retryDelayMs?, timeoutMs?, budgetMs?}`; `params`: the call's fields.
/// → `{ok: {url, method, header, body, warn?, retry: {timeoutMs, delaysMs, on}}}` or `{err}`:
/// the host sends the request and repeats it as `retry` says (src/policy.rs).
pub fn build_request(op_name: &str, config: &str, params: &str) -> String {
    let built = (|| {
        let op = op(op_name)?;
        let config = arg(config, "config")?;
        let r = request::build(op, &Config::from_json(&config)?, &params_arg(params)?)?;
        let retry = config.get("retry").unwrap_or(&Json::Null);
        Ok::<_, Error>(r.to_json(policy::plan(r.op, retry)))
    })();
    match built {
        Ok(r) => ok(r),
        Err(e) => refused(&e),
    }
}

/// The reply's HTTP status and body text. → `{ok, vendor}` or `{err, vendor}`.
pub fn parse_reply(op_name: &str, status: u16, body: &str) -> String {
    let op = match op(op_name) {
        Ok(op) => op,
        Err(e) => return err(&e),
    };
    let r = reply::parse(op, status, body);
    let head = match r.result {
        Ok(v) => ("ok", v),
        Err(e) => ("err", e.to_json()),
    };
    Json::obj(vec![head, ("vendor", r.vendor)]).text()
}

/// An error of the table by code, with `detail` (transport failures are detected by the host
/// and described here). Unknown codes are described as unknown server codes.
pub fn error_info(code: i32, detail: &str) -> String {
    let e = match errors::lookup(code) {
        Some(kind) => Error::new(kind, detail),
        None => Error::from_server(code, detail),
    };
    err(&e)
}

/// A phone number's one canonical form (`number::normalise`): `{ok: "13800138000"}` or `{err}`
/// (100, saying why). The cloud function keys every record and limit on it. Server module only.
#[cfg(any(feature = "server", test))]
pub fn normalize_number(raw: &str) -> String {
    match crate::number::normalise(raw) {
        Ok(n) => ok(Json::Str(n)),
        Err(e) => err(&e),
    }
}

/// The words hosts must agree with the core on, for the build (which writes them into the
/// typings and the shim) and the cloud function (which answers the outcomes' texts and checks
/// its code-length variable against the core's range): `{kinds: [...], outcomes: [{result,
/// text}], codeLength: {min, max}}`. Server module only: the phone needs none of it.
#[cfg(any(feature = "server", test))]
pub fn vocabulary() -> String {
    use crate::code::Outcome;
    use crate::errors::Kind;
    Json::obj(vec![
        (
            "kinds",
            Json::Arr(Kind::ALL.iter().map(|k| Json::str(k.as_str())).collect()),
        ),
        (
            "outcomes",
            Json::Arr(
                Outcome::ALL
                    .iter()
                    .map(|o| {
                        Json::obj(vec![
                            ("result", Json::str(o.as_str())),
                            ("text", Json::str(o.vendor_text())),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "codeLength",
            Json::obj(vec![
                ("min", Json::num(code::MIN_LENGTH as f64)),
                ("max", Json::num(code::MAX_LENGTH as f64)),
            ]),
        ),
    ])
    .text()
}

// The derived TC3 signing key of the last Tencent request (src/tc3.rs `KeyCache`): the
// facade's only state. One per thread; the wasm has one thread.
#[cfg(any(feature = "server", test))]
thread_local! {
    static SIGNING_KEYS: std::cell::RefCell<crate::tc3::KeyCache> =
        std::cell::RefCell::new(crate::tc3::KeyCache::default());
}

/// `{ok}` or `{err}`: Tencent's answers carry no Zhenzi `vendor` shape.
#[cfg(any(feature = "server", test))]
fn answer(r: Result<Json, Error>) -> String {
    match r {
        Ok(v) => ok(v),
        Err(e) => Json::obj(vec![("err", e.to_json())]).text(),
    }
}

/// Tencent Cloud SendSms: `config` and `params` as JSON text (src/tencent.rs
/// `Config::from_json`, `Send::from_json`), `now` in Unix seconds. → `{ok: {url, method,
/// header, body}}` or `{err}`. Server module only.
#[cfg(any(feature = "server", test))]
pub fn tencent_build_request(config: &str, params: &str, now: f64) -> String {
    use crate::tencent;
    answer((|| {
        if !(1.0..1e11).contains(&now) {
            return Err(Error::new(
                CONFIG,
                "now must be the current Unix time in seconds",
            ));
        }
        let config = tencent::Config::from_json(&arg(config, "config")?)?;
        let send = tencent::Send::from_json(&arg(params, "params")?)?;
        SIGNING_KEYS.with(|keys| tencent::build(&config, &send, now as u64, &mut keys.borrow_mut()))
    })())
}

/// A Tencent set-up for verification codes (src/tencent.rs `setup_problems`) → `{ok: {}}`, or
/// `{err, problems: [{field, problem, detail}, …]}`: every problem, in the order of the fields;
/// `err` is 9001 with the first one's `field` and `problem` and all details. The cloud function
/// names its variable for each field; it decides none of these rules. Server module only.
#[cfg(any(feature = "server", test))]
pub fn tencent_check_config(setup: &str) -> String {
    let problems = match arg(setup, "setup") {
        Ok(v) => crate::tencent::setup_problems(&v),
        Err(e) => vec![e],
    };
    let Some(first) = problems.first() else {
        return ok(Json::obj(vec![]));
    };
    let details: Vec<&str> = problems.iter().map(|p| p.detail.as_str()).collect();
    let mut e = Error::new(CONFIG, details.join("; "));
    e.field = first.field;
    let list = problems
        .iter()
        .map(|p| {
            let (field, problem) = p.field.unwrap_or(("", "malformed"));
            Json::obj(vec![
                ("field", Json::str(field)),
                ("problem", Json::str(problem)),
                ("detail", Json::str(p.detail.clone())),
            ])
        })
        .collect();
    Json::obj(vec![("err", e.to_json()), ("problems", Json::Arr(list))]).text()
}

/// Tencent's reply: → `{ok: {requestId, statuses}}` or `{err}`. Server module only.
#[cfg(any(feature = "server", test))]
pub fn tencent_parse_reply(status: u16, body: &str) -> String {
    answer(crate::tencent::parse(status, body))
}

/// The whole table, for documentation and for hosts that want to show it.
pub fn error_table() -> String {
    Json::Arr(errors::all().map(|k| Error::new(k, "").to_json()).collect()).text()
}

fn record_of(v: &Json, key: &str) -> Option<Record> {
    v.get(key).and_then(Record::from_json)
}

/// Cloud mode's limits per number, caller and pair. Only the server module reads them: the
/// phone's module refuses them rather than ignore a limit.
#[cfg(any(feature = "server", test))]
fn limits(v: &Json) -> Result<Vec<Limit>, Error> {
    Ok(match v.get("limits") {
        Some(Json::Arr(items)) => items.iter().map(Limit::from_json).collect(),
        _ => vec![],
    })
}

/// A limit's state after a send, as the host stores it: `{sentAt, day, count}`.
#[cfg(any(feature = "server", test))]
fn slot(l: &Limit) -> Json {
    Json::obj(vec![
        ("sentAt", Json::num(l.sent_at)),
        ("day", Json::num(l.day)),
        ("count", Json::num(l.count as f64)),
    ])
}

/// A refusal by limit `i`: `{err, vendor, limit: i, retryAfter?}` (seconds, for a cooldown),
/// so a host names the setting of that limit without reading `detail`.
#[cfg(any(feature = "server", test))]
fn limit_err(i: usize, retry_after: Option<i64>, e: &Error) -> String {
    let mut fields = vec![
        ("err", e.to_json()),
        ("vendor", reply::vendor_shape(e)),
        ("limit", Json::num(i as f64)),
    ];
    if let Some(s) = retry_after.filter(|_| e.code == errors::COOLDOWN.code) {
        fields.push(("retryAfter", Json::num(s as f64)));
    }
    Json::obj(fields).text()
}

/// `{now, limits: [[sentAt, day, count, cooldownMs, cap, windowMs?], …], uses?: [n, …]}` →
/// `{ok: {slots: [{sentAt, day, count}, …], warn: [i, …]}}`, each limit as it must be stored
/// after one more use at `now`, counted `uses[i]` times (`warn`: the limits this use takes to
/// 80 % of their cap), or the first refusal (`limit_err`), also when the use's count would pass
/// a cap. The cloud function's budgets and route caps, decided here. Server module only.
#[cfg(any(feature = "server", test))]
pub fn limits_take(input: &str) -> String {
    let (now, all, uses) = match limits_input(input) {
        Ok(read) => read,
        Err(e) => return err(&e),
    };
    if let Err((i, e)) = code::check_all_uses(&all, &uses, now) {
        return limit_err(i, all[i].wait_seconds(now), &e);
    }
    let (slots, warn) = taken(&all, &uses, now);
    ok(Json::obj(vec![("slots", slots), ("warn", warn)]))
}

/// `limits_take`'s and `limits_give`'s input: the time (refused unless a time in ms), the
/// limits and how many times the use counts against each.
#[cfg(any(feature = "server", test))]
fn limits_input(input: &str) -> Result<(f64, Vec<Limit>, Vec<u32>), Error> {
    let v = arg(input, "input")?;
    let now = now(&v);
    if !(now > 0.0 && now.is_finite()) {
        return Err(Error::new(CONFIG, "now must be a time in ms"));
    }
    Ok((now, limits(&v).unwrap_or_default(), uses(&v)))
}

/// `{now, limits, uses?}` as `limits_take` reads them → `{ok: {slots}}`: each limit with a use
/// given back (a send that sent nothing), for a host whose slot another call changed since it
/// claimed it, so the give-back counts from what is stored now. Server module only.
#[cfg(any(feature = "server", test))]
pub fn limits_give(input: &str) -> String {
    let (now, all, uses) = match limits_input(input) {
        Ok(read) => read,
        Err(e) => return err(&e),
    };
    let n = |i: usize| uses.get(i).copied().unwrap_or(1);
    let slots = (0..all.len()).map(|i| slot(&all[i].given_back(now, n(i))));
    ok(Json::obj(vec![("slots", Json::Arr(slots.collect()))]))
}

/// `config` as `buildRequest` reads it → `{ok: {}}` or `{err}` whose `field` and `problem` say
/// which setting is wrong and how (`apiUrl` `not_https`, `appSecret` `missing`…). Server only.
#[cfg(any(feature = "server", test))]
pub fn check_config(config: &str) -> String {
    match arg(config, "config").and_then(|c| Config::from_json(&c)) {
        Ok(_) => ok(Json::obj(vec![])),
        Err(e) => err(&e),
    }
}

#[cfg(not(any(feature = "server", test)))]
fn limits(v: &Json) -> Result<Vec<Limit>, Error> {
    match v.get("limits") {
        None => Ok(vec![]),
        Some(_) => Err(Error::new(CONFIG, "limits need the server module")),
    }
}

/// The code-hash key is an argument the host must give: a missing one (absent, null, not
/// text) is refused with 9001 rather than defaulted, since an unnoticed empty key would
/// quietly weaken every code. `key: ''` is accepted when written out: the phone's own codes
/// (direct mode) have no secret to key them with, as anything in the package is readable;
/// they stay in the phone's storage, where the hash only spares the code in clear. The clock
/// is never defaulted either: a missing or non-numeric `now` is NaN, which issuing refuses
/// (9001) and verifying answers `code_expired` (fail-closed).
fn key(v: &Json) -> Result<&str, Error> {
    v.str_field("key")
        .ok_or_else(|| Error::new(CONFIG, "key is missing ('' only on purpose)"))
}

fn now(v: &Json) -> f64 {
    v.get("now").and_then(Json::as_f64).unwrap_or(f64::NAN)
}

/// `{number, now, key, policy?, asked?, previous?, limits?}` and CSPRNG bytes (≥ 48); `limits`
/// are `[[sentAt, day, count, cooldownMs, cap, windowMs?], …]` (cloud mode: per number, caller,
/// pair), `asked` the page's wishes (see `asked`). → `{ok: {code, record, slots?, warn?,
/// minutes}}` (`slots`, `warn`: as `limits_take` answers, when limits were given; `minutes`: the
/// code's life for the SMS; all three server module only) or `{err}` (100 bad number/policy, 9001 no time or no
/// key, 9201 cooldown, 9202 cap; a limit's refusal also names it, see `limits_take`).
pub fn code_issue(input: &str, entropy: &[u8]) -> String {
    let v = match arg(input, "input") {
        Ok(v) => v,
        Err(e) => return err(&e),
    };
    #[cfg(any(feature = "server", test))]
    let slots = match slots_after(&v) {
        Ok(slots) => slots,
        Err(refused) => return refused,
    };
    let issued = (|| {
        let req = Issue {
            number: v.str_field("number").unwrap_or(""),
            now: now(&v),
            key: key(&v)?,
            policy: asked(Policy::from_json(v.get("policy"))?, &v),
            previous: record_of(&v, "previous"),
            limits: limits(&v)?,
        };
        code::issue(req, entropy)
    })();
    match issued {
        Ok((code, record)) => {
            #[allow(unused_mut)] // the slots are the server module's
            let mut fields = vec![("code", Json::Str(code)), ("record", record.to_json())];
            #[cfg(any(feature = "server", test))]
            {
                if let Some((slots, warn)) = slots {
                    fields.push(("slots", slots));
                    fields.push(("warn", warn));
                }
                // What the SMS says: the code's life in whole minutes, rounded up.
                let minutes = ((record.expires_at - now(&v)) / 60_000.0).ceil();
                fields.push(("minutes", Json::num(minutes)));
            }
            ok(Json::obj(fields))
        }
        Err(e) => refused(&e),
    }
}

/// The page's wishes for its code (cloud mode, `asked: {length?, seconds?}`): a longer code (a
/// whole number of digits up to the longest there is) and a shorter life (≥ 1 s), never the
/// reverse; anything else leaves the server's policy as it is.
#[cfg(any(feature = "server", test))]
fn asked(mut p: Policy, v: &Json) -> Policy {
    let wish = |key| {
        v.get("asked")
            .and_then(|a| a.get(key))
            .and_then(Json::as_f64)
    };
    if let Some(n) = wish("length")
        .filter(|n| n.fract() == 0.0 && (p.length as f64..=code::MAX_LENGTH as f64).contains(n))
    {
        p.length = n as u32;
    }
    if let Some(s) = wish("seconds").filter(|s| *s >= 1.0 && s * 1000.0 < p.ttl_ms) {
        p.ttl_ms = s * 1000.0;
    }
    p
}

/// The phone's module takes no wishes: its policy is the page's own.
#[cfg(not(any(feature = "server", test)))]
#[inline(always)]
fn asked(p: Policy, _v: &Json) -> Policy {
    p
}

/// The given limits after a send at `now` and those it takes to 80 % of their cap (None without
/// limits), or the text of the refusal of the first that forbids it (`limit_err`).
#[cfg(any(feature = "server", test))]
fn slots_after(v: &Json) -> Result<Option<(Json, Json)>, String> {
    let all = limits(v).unwrap_or_default();
    if all.is_empty() {
        return Ok(None);
    }
    let at = now(v);
    let uses = uses(v);
    if let Err((i, e)) = code::check_all_uses(&all, &uses, at) {
        return Err(limit_err(i, all[i].wait_seconds(at), &e));
    }
    Ok(Some(taken(&all, &uses, at)))
}

/// `(slots, warn)`: every limit after one more use at `now`, and the indices of those that use
/// takes to 80 % of their cap.
#[cfg(any(feature = "server", test))]
fn taken(all: &[Limit], uses: &[u32], now: f64) -> (Json, Json) {
    let n = |i: usize| uses.get(i).copied().unwrap_or(1);
    let warn = (0..all.len())
        .filter(|&i| all[i].nears_cap(now, n(i)))
        .map(|i| Json::num(i as f64))
        .collect();
    let after = (0..all.len()).map(|i| slot(&all[i].after_uses(now, n(i))));
    (Json::Arr(after.collect()), Json::Arr(warn))
}

/// `uses: [n, …]`, how many times this use counts against each limit (a long SMS is billed as
/// several parts: `sms_parts`); 1 where it is not given, at least 1, at most 1000.
#[cfg(any(feature = "server", test))]
fn uses(v: &Json) -> Vec<u32> {
    let Some(Json::Arr(items)) = v.get("uses") else {
        return vec![];
    };
    let one = |x: &Json| {
        x.as_f64()
            .filter(|n| n.is_finite())
            .unwrap_or(1.0)
            .clamp(1.0, 1000.0) as u32
    };
    items.iter().map(one).collect()
}

/// The parts a carrier bills for an SMS of `text` (`code::sms_parts`): `{ok: n}`. Server only.
#[cfg(any(feature = "server", test))]
pub fn sms_parts(text: &str) -> String {
    ok(Json::num(code::sms_parts(text) as f64))
}

/// `{number, code, now, key, record?}` → `{ok: {result, record, number}}` or `{err}` (9001:
/// no key, see `key`); `record` is what
/// must be stored now (null when there was none), `number` the input's canonical form ('' when
/// it is not a mainland mobile number): cloud mode keys every limit and record on it.
pub fn code_verify(input: &str) -> String {
    let v = match arg(input, "input") {
        Ok(v) => v,
        Err(e) => return err(&e),
    };
    let key = match key(&v) {
        Ok(key) => key,
        Err(e) => return err(&e),
    };
    let text = |k| match v.get(k) {
        Some(Json::Num(text)) => text.clone(),
        Some(Json::Str(s)) => s.clone(),
        _ => String::new(),
    };
    let number = text("number");
    let (outcome, record) = code::verify(
        record_of(&v, "record"),
        &number,
        &text("code"),
        now(&v),
        key,
    );
    ok(Json::obj(vec![
        ("result", Json::str(outcome.as_str())),
        ("record", record.map_or(Json::Null, |r| r.to_json())),
        (
            "number",
            Json::Str(crate::number::normalise(&number).unwrap_or_default()),
        ),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(s: String) -> Json {
        json::parse(&s).expect("the facade always returns JSON")
    }

    #[test]
    fn build_and_parse_through_json_text() {
        let r = parsed(build_request(
            "send",
            r#"{"route":"relay","relayUrl":"http://127.0.0.1:8787","appId":"10001","appSecret":"sec"}"#,
            r#"{"number":"15811112222","message":"验证码1234"}"#,
        ));
        let req = r.get("ok").unwrap();
        assert_eq!(
            req.str_field("url"),
            Some("http://127.0.0.1:8787/sms/send.html")
        );
        assert_eq!(req.str_field("method"), Some("POST"));
        assert_eq!(
            req.get("header").unwrap().str_field("Content-Type"),
            Some("application/x-www-form-urlencoded;charset=UTF-8")
        );
        let r = parsed(parse_reply("balance", 200, r#"{"code":0,"data":537}"#));
        assert_eq!(r.get("ok"), Some(&Json::num(537.0)));
        assert_eq!(
            r.get("vendor").unwrap().get("data"),
            Some(&Json::num(537.0))
        );
    }

    #[test]
    fn errors_carry_the_vendor_shape_and_never_the_secret() {
        let r = build_request(
            "send",
            r#"{"appId":"10001","appSecret":"TOPSECRET"}"#,
            r#"{"number":"12","message":"x"}"#,
        );
        assert!(!r.contains("TOPSECRET"));
        let r = parsed(r);
        assert_eq!(r.get("err").unwrap().get("code"), Some(&Json::num(100.0)));
        // The page's res.data.data says why and what to do, in Chinese.
        assert_eq!(
            r.get("vendor").unwrap().str_field("data"),
            Some("参数格式错误。检查参数：手机号须为11位中国大陆手机号，必填参数不能为空")
        );
        let secret = r#"{"appId":"1","appSecret":"TOPSECRET"}"#;
        for (o, c, p, code) in [
            ("fly", "{}", "{}", 9001.0),
            ("send", "not json", "{}", 9001.0),
            ("send", secret, "[unclosed", 100.0),
            ("send", secret, r#"{"message":"\ud800"}"#, 100.0),
        ] {
            let r = build_request(o, c, p);
            assert!(!r.contains("TOPSECRET"));
            assert_eq!(
                parsed(r).get("err").unwrap().get("code"),
                Some(&Json::num(code))
            );
        }
        assert!(parsed(parse_reply("fly", 200, "{}")).get("err").is_some());
    }

    #[test]
    fn error_info_and_table() {
        let r = parsed(error_info(9101, "after 10000 ms"));
        let e = r.get("err").unwrap();
        assert_eq!(e.str_field("kind"), Some("timeout"));
        assert_eq!(e.get("retriable"), Some(&Json::Bool(true)));
        assert_eq!(e.str_field("detail"), Some("after 10000 ms"));
        assert_eq!(r.get("vendor").unwrap().str_field("data"), Some("请求超时"));
        let unknown = parsed(error_info(4242, ""));
        assert_eq!(
            unknown.get("err").unwrap().get("code"),
            Some(&Json::num(4242.0))
        );
        match parsed(error_table()) {
            Json::Arr(items) => assert_eq!(items.len(), errors::all().count()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn normalize_number_answers_the_canonical_form_or_100() {
        let v = parsed(normalize_number("+86 138-0013 8000"));
        assert_eq!(v.str_field("ok"), Some("13800138000"));
        let e = parsed(normalize_number("12"));
        assert_eq!(e.get("err").unwrap().get("code"), Some(&Json::num(100.0)));
        let empty = parsed(normalize_number(" "));
        assert_eq!(
            empty.get("err").unwrap().str_field("detail"),
            Some("number is empty")
        );
    }

    #[test]
    fn vocabulary_lists_every_kind_and_outcome_once() {
        let v = parsed(vocabulary());
        let words = |key: &str, field: Option<&str>| -> Vec<String> {
            match v.get(key) {
                Some(Json::Arr(items)) => items
                    .iter()
                    .map(|i| match field {
                        Some(f) => i.str_field(f).unwrap().to_string(),
                        None => match i {
                            Json::Str(s) => s.clone(),
                            other => panic!("{other:?}"),
                        },
                    })
                    .collect(),
                other => panic!("{other:?}"),
            }
        };
        let kinds = words("kinds", None);
        // Every kind the table uses is listed, and nothing else.
        let mut used: Vec<String> = errors::all().map(|e| e.kind.as_str().to_string()).collect();
        used.sort();
        used.dedup();
        let mut listed = kinds.clone();
        listed.sort();
        assert_eq!(listed, used);
        let outcomes = words("outcomes", Some("result"));
        assert_eq!(
            outcomes,
            [
                "ok",
                "empty",
                "number_error",
                "code_error",
                "code_expired",
                "code_used",
                "too_many_attempts"
            ]
        );
        assert!(words("outcomes", Some("text"))
            .iter()
            .all(|t| !t.is_empty()));
        assert_eq!(
            v.get("codeLength").unwrap().to_string(),
            r#"{"min":4,"max":8}"#
        );
    }

    #[test]
    fn limits_answer_the_slots_to_store_or_which_limit_refused() {
        let hour = 3_600_000.0;
        let t = 1_764_000_000_000.0_f64;
        let r = parsed(limits_take(&format!(
            r#"{{"now":{t},"limits":[[0,0,0,60000,10],[0,0,3,0,5,{hour}]]}}"#
        )));
        let ok = r.get("ok").unwrap();
        let slots = ok.get("slots").unwrap().to_string();
        let day = code::day_of(t);
        let window = (t / hour).floor();
        assert_eq!(
            slots,
            format!(
                r#"[{{"sentAt":{t},"day":{day},"count":1}},{{"sentAt":{t},"day":{window},"count":1}}]"#
            )
        );
        // A slot of this window at 3 of 5: the 4th use reaches 80 %.
        let r = parsed(limits_take(&format!(
            r#"{{"now":{t},"limits":[[1,{window},3,0,5,{hour}]]}}"#
        )));
        assert_eq!(r.get("ok").unwrap().get("warn").unwrap().to_string(), "[0]");
        // Refused: which limit, and when to retry.
        let r = parsed(limits_take(&format!(
            r#"{{"now":{t},"limits":[[0,0,0,0,0],[{},{day},1,60000,10]]}}"#,
            t - 1500.0
        )));
        assert_eq!(r.get("err").unwrap().get("code"), Some(&Json::num(9201.0)));
        assert_eq!(r.get("limit"), Some(&Json::num(1.0)));
        assert_eq!(r.get("retryAfter"), Some(&Json::num(59.0)));
        let r = parsed(limits_take(r#"{"limits":[]}"#));
        assert_eq!(r.get("err").unwrap().get("code"), Some(&Json::num(9001.0)));
        // A use that counts 15 times (a 1000-character SMS): refused where 15 more pass the cap,
        // stored as 15 where they fit; the other limit counts once.
        let r = parsed(limits_take(&format!(
            r#"{{"now":{t},"limits":[[0,0,0,0,0],[1,{day},990,0,1000]],"uses":[1,15]}}"#
        )));
        assert_eq!(r.get("err").unwrap().get("code"), Some(&Json::num(9202.0)));
        assert_eq!(r.get("limit"), Some(&Json::num(1.0)));
        let r = parsed(limits_take(&format!(
            r#"{{"now":{t},"limits":[[0,0,0,0,0],[1,{day},985,0,1000]],"uses":[1,15]}}"#
        )));
        assert_eq!(
            r.get("ok").unwrap().get("slots").unwrap().to_string(),
            format!(
                r#"[{{"sentAt":{t},"day":{day},"count":1}},{{"sentAt":{t},"day":{day},"count":1000}}]"#
            )
        );
        // Given back from what is stored now: 985 − 15 of this day.
        let r = parsed(limits_give(&format!(
            r#"{{"now":{t},"limits":[[5,{day},985,0,1000]],"uses":[15]}}"#
        )));
        assert_eq!(
            r.get("ok").unwrap().get("slots").unwrap().to_string(),
            format!(r#"[{{"sentAt":5,"day":{day},"count":970}}]"#)
        );
        // A count that is not a whole number ≥ 1 counts once.
        let r = parsed(limits_take(&format!(
            r#"{{"now":{t},"limits":[[1,{day},9,0,10]],"uses":[-5]}}"#
        )));
        assert!(r.get("ok").is_some());
        // codeIssue answers the same slots beside the code, and names a refusing limit.
        let entropy = [7u8; 64];
        let r = parsed(code_issue(
            &format!(
                r#"{{"number":"15811112222","now":{t},"key":"k","limits":[[0,0,0,60000,10]]}}"#
            ),
            &entropy,
        ));
        assert_eq!(
            r.get("ok").unwrap().get("slots").unwrap().to_string(),
            format!(r#"[{{"sentAt":{t},"day":{day},"count":1}}]"#)
        );
        let r = parsed(code_issue(
            &format!(
                r#"{{"number":"15811112222","now":{t},"key":"k","limits":[[0,0,0,0,0],[0,{day},10,0,10]]}}"#
            ),
            &entropy,
        ));
        assert_eq!(r.get("err").unwrap().get("code"), Some(&Json::num(9202.0)));
        assert_eq!(r.get("limit"), Some(&Json::num(1.0)));
    }

    #[test]
    fn configuration_problems_name_their_field() {
        assert!(parsed(check_config(r#"{"appId":"1","appSecret":"s"}"#))
            .get("ok")
            .is_some());
        for (config, field, problem) in [
            (r#"{"appId":"1"}"#, "appSecret", "missing"),
            (r#"{"appSecret":"TOPSECRET"}"#, "appId", "missing"),
            (
                r#"{"appId":"1","appSecret":"TOPSECRET","apiUrl":"http://sms.zhenzikj.com"}"#,
                "apiUrl",
                "not_https",
            ),
            (
                r#"{"appId":"1","appSecret":"TOPSECRET","apiUrl":"ftp:x"}"#,
                "apiUrl",
                "malformed",
            ),
            (
                r#"{"appId":"1","appSecret":"TOP\u0007SECRET"}"#,
                "appSecret",
                "control_characters",
            ),
            (
                r#"{"appId":"1","appSecret":"s","route":"fly"}"#,
                "route",
                "malformed",
            ),
        ] {
            let out = check_config(config);
            assert!(!out.contains("TOPSECRET"), "{out}");
            let e = parsed(out);
            let e = e.get("err").unwrap();
            assert_eq!(e.get("code"), Some(&Json::num(9001.0)), "{config}");
            assert_eq!(
                (e.str_field("field"), e.str_field("problem")),
                (Some(field), Some(problem)),
                "{config}"
            );
        }
    }

    #[test]
    fn a_page_may_ask_for_a_longer_code_and_a_shorter_life_only() {
        let entropy = [7u8; 64];
        // (asked, server policy) → (digits, minutes in the answer, life in ms)
        let issue = |asked: &str| {
            let r = parsed(code_issue(
                &format!(
                    r#"{{"number":"15811112222","now":1000,"key":"k","policy":{{"length":6,"seconds":120}},"asked":{asked}}}"#
                ),
                &entropy,
            ));
            let ok = r.get("ok").unwrap_or_else(|| panic!("{r}"));
            let life = ok.get("record").unwrap().get("expiresAt").unwrap();
            (
                ok.str_field("code").unwrap().len(),
                ok.get("minutes").and_then(Json::as_f64).unwrap(),
                life.as_f64().unwrap() - 1000.0,
            )
        };
        assert_eq!(issue("{}"), (6, 2.0, 120_000.0));
        assert_eq!(issue(r#"{"length":8,"seconds":30}"#), (8, 1.0, 30_000.0));
        assert_eq!(issue(r#"{"seconds":61}"#), (6, 2.0, 61_000.0));
        // Never shorter, never longer-lived, never out of range or fractional.
        for wish in [
            r#"{"length":4,"seconds":86400}"#,
            r#"{"length":9}"#,
            r#"{"length":7.5,"seconds":0.5}"#,
            r#"{"length":"8","seconds":"30"}"#,
            r#"{"length":null,"seconds":-1}"#,
        ] {
            assert_eq!(issue(wish), (6, 2.0, 120_000.0), "{wish}");
        }
    }

    #[test]
    fn code_flow_through_json_text() {
        let entropy: Vec<u8> = (0..64).map(|i| i * 3).collect();
        let r = parsed(code_issue(
            r#"{"number":"15811112222","now":1000,"key":"k","policy":{"length":4}}"#,
            &entropy,
        ));
        let issued = r.get("ok").unwrap();
        let code = issued.str_field("code").unwrap().to_string();
        assert_eq!(code.len(), 4);
        let record = issued.get("record").unwrap().to_string();
        let verify = |code: &str, record: &str| {
            parsed(code_verify(&format!(
                r#"{{"number":"15811112222","code":"{code}","now":2000,"key":"k","record":{record}}}"#
            )))
        };
        let first = verify(&code, &record);
        let first = first.get("ok").unwrap();
        assert_eq!(first.str_field("result"), Some("ok"));
        let again = verify(&code, &first.get("record").unwrap().to_string());
        assert_eq!(
            again.get("ok").unwrap().str_field("result"),
            Some("code_used")
        );
        let none = verify(&code, "null");
        assert_eq!(none.get("ok").unwrap().str_field("result"), Some("empty"));
        // Cooldown through the facade.
        let r = parsed(code_issue(
            &format!(r#"{{"number":"15811112222","now":2000,"key":"k","previous":{record}}}"#),
            &entropy,
        ));
        assert_eq!(r.get("err").unwrap().get("code"), Some(&Json::num(9201.0)));
        let short = parsed(code_issue(
            r#"{"number":"15811112222","now":1,"key":""}"#,
            &[1, 2, 3],
        ));
        assert_eq!(
            short.get("err").unwrap().get("code"),
            Some(&Json::num(9001.0))
        );
    }

    #[test]
    fn a_missing_clock_or_key_is_refused_and_an_empty_key_only_when_written() {
        let entropy = [7u8; 64];
        let code = |r: &str| {
            parsed(r.to_string())
                .get("err")
                .map(|e| e.get("code").cloned())
        };
        let refused = Some(Some(Json::num(9001.0)));
        for input in [
            r#"{"number":"15811112222","now":1000}"#,
            r#"{"number":"15811112222","now":1000,"key":null}"#,
            r#"{"number":"15811112222","now":1000,"key":7}"#,
        ] {
            assert_eq!(code(&code_issue(input, &entropy)), refused, "{input}");
            let check = input.replace('{', r#"{"code":"1234","record":null,"#);
            assert_eq!(code(&code_verify(&check)), refused, "{check}");
        }
        // No clock: issuing refuses (verifying answers expired, below).
        for input in [
            r#"{"number":"15811112222","key":"k"}"#,
            r#"{"number":"15811112222","now":null,"key":"k"}"#,
        ] {
            assert_eq!(code(&code_issue(input, &entropy)), refused, "{input}");
        }
        // An empty key written out works (direct mode: no secret on the phone).
        let issued = parsed(code_issue(
            r#"{"number":"15811112222","now":1000,"key":""}"#,
            &entropy,
        ));
        let ok = issued.get("ok").unwrap();
        let input = format!(
            r#"{{"number":"15811112222","code":"{}","now":2000,"key":"","record":{}}}"#,
            ok.str_field("code").unwrap(),
            ok.get("record").unwrap()
        );
        let r = parsed(code_verify(&input));
        assert_eq!(r.get("ok").unwrap().str_field("result"), Some("ok"));
        // A clock that is not a number is still fail-closed when verifying: expired.
        let r = parsed(code_verify(
            &input.replace(r#""now":2000"#, r#""now":"soon""#),
        ));
        assert_eq!(
            r.get("ok").unwrap().str_field("result"),
            Some("code_expired")
        );
    }

    #[test]
    fn tencent_requests_are_signed_through_the_facade_and_its_one_cache() {
        let config = r#"{"secretId":"AKID","secretKey":"facade-key","sdkAppId":"1400000000","signName":"签名"}"#;
        let params = r#"{"number":"13800138000","templateId":"1","templateParams":["123456"]}"#;
        let first = parsed(tencent_build_request(config, params, 1_551_113_065.0));
        let auth = |v: &Json| {
            v.get("ok")
                .and_then(|r| r.get("header"))
                .and_then(|h| h.str_field("Authorization"))
                .unwrap()
                .to_string()
        };
        assert!(auth(&first).contains("Credential=AKID/2019-02-25/sms/tc3_request"));
        assert!(SIGNING_KEYS.with(|k| k.borrow().holds("facade-key", "2019-02-25", "sms")));
        let again = parsed(tencent_build_request(config, params, 1_551_113_065.0));
        assert_eq!(auth(&again), auth(&first));
        let refused = parsed(tencent_build_request(config, params, 0.0));
        assert_eq!(
            refused.get("err").unwrap().get("code"),
            Some(&Json::num(9001.0))
        );
        assert!(refused.get("vendor").is_none());
        let reply = parsed(tencent_parse_reply(502, ""));
        assert!(reply.get("err").is_some());
    }

    /// Hostile input from JS must never panic (a panic kills the wasm instance): every facade
    /// function, fed generated garbage and mutated valid input, answers with `ok` or `err`.
    #[test]
    fn no_input_makes_the_facade_panic() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        const PIECES: [&str; 24] = [
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "\\u",
            "\\ud83d",
            "0",
            "-1",
            "1e999",
            "null",
            "true",
            "\"number\"",
            "\"15811112222\"",
            "\"message\"",
            "\"appId\"",
            "\"appSecret\"",
            "\"record\"",
            "\"salt\"",
            "验",
            "\u{0}",
            "😀",
        ];
        const VALID: [&str; 4] = [
            r#"{"appId":"1","appSecret":"s","route":"relay","apiUrl":"https://a.b"}"#,
            r#"{"number":"15811112222","message":"x","templateId":"1","templateParams":["a",1]}"#,
            r#"{"code":0,"data":{"message":"m","toNumber":1}}"#,
            r#"{"number":"15811112222","code":"123456","now":5,"record":{"number":"15811112222","salt":"","hash":"","attemptsLeft":0}}"#,
        ];
        let text = |next: &mut dyn FnMut() -> u64| -> String {
            let mut out = String::new();
            if next().is_multiple_of(2) {
                // A valid input with a cut, a splice or a repeat.
                let v = VALID[(next() % 4) as usize];
                let cut = (next() as usize) % (v.len() + 1);
                let cut = (0..=cut)
                    .rev()
                    .find(|&i| v.is_char_boundary(i))
                    .unwrap_or(0);
                out.push_str(&v[..cut]);
                out.push_str(PIECES[(next() % 24) as usize]);
                out.push_str(&v[cut..]);
            } else {
                for _ in 0..(next() % 40) {
                    out.push_str(PIECES[(next() % 24) as usize]);
                }
            }
            out
        };
        let answered = |out: String| {
            let v = json::parse(&out).expect("always JSON");
            assert!(v.get("ok").is_some() || v.get("err").is_some(), "{out}");
        };
        let ops = [
            "send",
            "sendTemplate",
            "balance",
            "findSmsByMessageId",
            "",
            "x",
        ];
        for _ in 0..20_000 {
            let op = ops[(next() % 6) as usize];
            answered(build_request(op, &text(&mut next), &text(&mut next)));
            answered(parse_reply(op, (next() % 600) as u16, &text(&mut next)));
            let entropy: Vec<u8> = (0..(next() % 80)).map(|_| next() as u8).collect();
            answered(code_issue(&text(&mut next), &entropy));
            answered(code_verify(&text(&mut next)));
            answered(error_info(next() as i32, &text(&mut next)));
        }
    }
}
