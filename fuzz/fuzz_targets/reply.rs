//! The reply parser: any status and body give a typed outcome, never a panic; the facade's
//! answer is JSON with `ok` or `err` and always the vendor shape `{code, data}`; a success is
//! only ever reported for HTTP 200.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhenzisms::{api, json};

const OPS: [&str; 5] = [
    "send",
    "sendTemplate",
    "balance",
    "findSmsByMessageId",
    "nope",
];

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let op = OPS[data[0] as usize % OPS.len()];
    let status = u16::from_le_bytes([data[1], data[2]]) % 700;
    let body = String::from_utf8_lossy(&data[3..]);
    let out = json::parse(&api::parse_reply(op, status, &body)).expect("always JSON");
    let ok = out.get("ok").is_some();
    assert!(ok != out.get("err").is_some(), "exactly one of ok / err");
    if op != "nope" {
        let vendor = out.get("vendor").expect("the vendor shape is always there");
        assert!(vendor.get("code").is_some() && vendor.get("data").is_some());
    }
    if ok {
        assert_eq!(status, 200, "success only from HTTP 200");
    }
});
