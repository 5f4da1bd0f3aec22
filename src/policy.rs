//! When a call may be tried again, and how long each try may take: decided here, as data the
//! host follows (`retry` beside the built request), so no platform or cloud function keeps
//! its own copy of the rule.
//!
//! - A send (text or template) is repeated only when no byte of it reached the server: a
//!   timeout or a reply after the request left may mean an SMS went out, and a second would
//!   be a duplicate. Balance and lookups are repeated whenever the error is retriable.
//! - The wait before try n+1 doubles from `retryDelayMs` (200 ms unless set).
//! - With a total `budgetMs` (the cloud function: every try must end before CloudBase kills
//!   the function), a send gets the whole budget for its one try, and a read shares what the
//!   waits leave equally between its tries.

use crate::endpoints::Op;
use crate::json::{self, Json};

pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;
pub const DEFAULT_DELAY_MS: u64 = 200;
/// Timers fire at once beyond this (setTimeout's 32-bit limit).
pub const MAX_TIMER_MS: u64 = 2_147_483_647;
/// More retries than this are taken as this many: the backoff is then minutes long already.
pub const MAX_RETRIES: u64 = 10;
/// Retries of a read within a `budgetMs` when the caller names none (the cloud function).
pub const BUDGET_READ_RETRIES: u64 = 2;

/// A caller's count or milliseconds (a JSON number, as the typings say), rounded up to a whole
/// one; 0 for anything else, absence, text and negatives included, so the default applies.
/// Whole numbers from here on: no float formatting reaches the wasm.
fn whole(v: &Json, key: &str) -> u64 {
    v.get(key)
        .and_then(Json::as_f64)
        .map_or(0, |n| n.ceil() as u64) // saturating: NaN and negatives are 0
}

/// A positive value, or `default` for absent, zero or unreadable ones.
fn or(n: u64, default: u64) -> u64 {
    if n > 0 {
        n
    } else {
        default
    }
}

fn ms(n: u64) -> Json {
    Json::Num(json::int_text(n.clamp(1, MAX_TIMER_MS) as i64))
}

/// The plan for `op` (after the template rule) from the caller's
/// `{retries?, retryDelayMs?, timeoutMs?, budgetMs?}`, as the host reads it:
/// `{timeoutMs, delaysMs: [...], on: 'unsent' | 'retriable'}` — each try may take timeoutMs;
/// a failure of the kind `on` names is tried again after the next of `delaysMs`, as long as
/// there is one ('unsent': the transport says no byte was sent; 'retriable': the error's
/// `retriable`). Written straight as JSON: the phone's module pays for every byte.
pub fn plan(op: Op, o: &Json) -> Json {
    let send = matches!(op, Op::Send | Op::SendTemplate);
    let budget = whole(o, "budgetMs");
    let retries = if send && budget > 0 {
        0
    } else if budget > 0 && o.get("retries").is_none() {
        BUDGET_READ_RETRIES
    } else {
        whole(o, "retries").min(MAX_RETRIES)
    };
    // The waits double from retryDelayMs; a plain loop (iterator chains cost the phone bytes).
    let (mut delays, mut waits, mut next) = (
        Vec::new(),
        0u64,
        or(whole(o, "retryDelayMs"), DEFAULT_DELAY_MS),
    );
    for _ in 0..retries {
        next = next.min(MAX_TIMER_MS);
        delays.push(ms(next));
        waits += next;
        next *= 2;
    }
    let timeout = if budget > 0 {
        budget.saturating_sub(waits) / (retries + 1)
    } else {
        or(whole(o, "timeoutMs"), DEFAULT_TIMEOUT_MS)
    };
    Json::obj(vec![
        ("timeoutMs", ms(timeout)),
        ("delaysMs", Json::Arr(delays)),
        ("on", Json::str(if send { "unsent" } else { "retriable" })),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    /// (timeoutMs, delaysMs, on) of the plan's JSON.
    fn p(op: Op, o: &str) -> (f64, Vec<f64>, String) {
        let plan = plan(op, &parse(o).unwrap());
        let Some(Json::Arr(delays)) = plan.get("delaysMs") else {
            panic!("{plan:?}")
        };
        (
            plan.get("timeoutMs").and_then(Json::as_f64).unwrap(),
            delays.iter().map(|d| d.as_f64().unwrap()).collect(),
            plan.str_field("on").unwrap().to_string(),
        )
    }

    #[test]
    fn defaults_one_try_of_ten_seconds() {
        for op in [Op::Send, Op::Balance] {
            let (timeout, delays, _) = p(op, "{}");
            assert_eq!((timeout, delays.len()), (10_000.0, 0));
        }
        assert_eq!(p(Op::Send, "{}").2, "unsent");
        assert_eq!(p(Op::SendTemplate, "{}").2, "unsent");
        assert_eq!(p(Op::Balance, "{}").2, "retriable");
        assert_eq!(p(Op::FindSmsByMessageId, "{}").2, "retriable");
        assert_eq!(
            plan(Op::Balance, &Json::Null).get("timeoutMs"),
            Some(&Json::num(10_000.0))
        );
    }

    #[test]
    fn backoff_doubles_from_the_callers_delay() {
        let (timeout, delays, _) = p(
            Op::Balance,
            r#"{"retries":3,"retryDelayMs":40,"timeoutMs":300}"#,
        );
        assert_eq!(delays, [40.0, 80.0, 160.0]);
        assert_eq!(timeout, 300.0);
        assert_eq!(p(Op::Send, r#"{"retries":2}"#).1, [200.0, 400.0]);
        // As JavaScript's `tries < retries`: a fraction counts up, nonsense counts as none.
        assert_eq!(p(Op::Balance, r#"{"retries":1.5}"#).1.len(), 2);
        for none in [
            r#"{"retries":-1}"#,
            r#"{"retries":"x"}"#,
            r#"{"retries":null}"#,
        ] {
            assert!(p(Op::Balance, none).1.is_empty(), "{none}");
        }
        assert_eq!(p(Op::Balance, r#"{"retries":1e9}"#).1.len(), 10);
        assert_eq!(
            p(Op::Balance, r#"{"retries":3,"retryDelayMs":2e9}"#).1,
            [2e9, MAX_TIMER_MS as f64, MAX_TIMER_MS as f64]
        );
    }

    #[test]
    fn timeouts_stay_in_timer_range() {
        assert_eq!(p(Op::Balance, r#"{"timeoutMs":0}"#).0, 10_000.0);
        assert_eq!(p(Op::Balance, r#"{"timeoutMs":-5}"#).0, 10_000.0);
        assert_eq!(p(Op::Balance, r#"{"timeoutMs":"300"}"#).0, 10_000.0);
        assert_eq!(p(Op::Balance, r#"{"timeoutMs":0.25}"#).0, 1.0);
        assert_eq!(
            p(Op::Balance, r#"{"timeoutMs":1e12}"#).0,
            MAX_TIMER_MS as f64
        );
    }

    #[test]
    fn a_budget_goes_whole_to_a_send_and_is_shared_by_a_reads_tries() {
        // With a budget and no retries named, a read gets BUDGET_READ_RETRIES (the cloud
        // function keeps no retry numbers of its own); a send still gets one try.
        let (timeout, delays, _) = p(Op::Balance, r#"{"budgetMs":2500}"#);
        assert_eq!(delays, [200.0, 400.0]);
        assert_eq!(timeout, 633.0); // (2500 - 600) / 3
        assert_eq!(p(Op::Send, r#"{"budgetMs":2500}"#).1.len(), 0);
        assert!(p(Op::Balance, r#"{"budgetMs":2500,"retries":0}"#)
            .1
            .is_empty());
        let cloud = r#"{"budgetMs":2500,"retries":2,"retryDelayMs":50}"#;
        let (timeout, delays, _) = p(Op::Send, cloud);
        assert_eq!((timeout, delays.len()), (2500.0, 0));
        let (timeout, delays, _) = p(Op::Balance, cloud);
        assert_eq!(delays, [50.0, 100.0]);
        assert_eq!(timeout, 783.0); // (2500 - 150) / 3
                                    // Every try and wait fit in the budget.
        assert!(timeout * 3.0 + 150.0 <= 2500.0);
        // A budget smaller than the waits still leaves each try a moment.
        assert_eq!(
            p(
                Op::Balance,
                r#"{"budgetMs":100,"retries":2,"retryDelayMs":50}"#
            )
            .0,
            1.0
        );
        assert_eq!(
            plan(Op::FindSmsByMessageId, &parse(cloud).unwrap()).text(),
            r#"{"timeoutMs":783,"delaysMs":[50,100],"on":"retriable"}"#
        );
    }
}
