//! The request builder: any config and params give a request or a typed refusal, never a
//! panic; a refusal never carries the secret; a request is a POST of an ASCII form body to an
//! https URL, or plain http only to a loopback host.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhenzisms::{api, endpoints, json};

const OPS: [&str; 4] = ["send", "sendTemplate", "balance", "findSmsByMessageId"];
const SECRET: &str = "FUZZ-SECRET-9f3";

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    let op = OPS[data[0] as usize % OPS.len()];
    let rest = String::from_utf8_lossy(&data[1..]);
    // The first line is the API URL, the rest the params (JSON text, often not).
    let (url, params) = rest.split_once('\n').unwrap_or((&rest, "{}"));
    let config = json::Json::obj(vec![
        ("appId", json::Json::str("10001")),
        ("appSecret", json::Json::str(SECRET)),
        ("apiUrl", json::Json::str(url)),
        (
            "route",
            json::Json::str(if data[0] & 4 == 0 { "direct" } else { "relay" }),
        ),
    ])
    .text();
    let out = api::build_request(op, &config, params);
    let v = json::parse(&out).expect("always JSON");
    match v.get("ok") {
        None => assert!(!out.contains(SECRET), "a refusal shows the secret: {out}"),
        Some(req) => {
            let target = req.str_field("url").unwrap();
            let host = target
                .split("://")
                .nth(1)
                .unwrap()
                .split(['/', ':'])
                .next()
                .unwrap();
            assert!(
                target.starts_with("https://")
                    || (target.starts_with("http://")
                        && (endpoints::is_loopback(host) || target.starts_with("http://["))),
                "{target}"
            );
            assert_eq!(req.str_field("method"), Some("POST"));
            assert!(req
                .str_field("body")
                .unwrap()
                .bytes()
                .all(|b| b.is_ascii_graphic()));
        }
    }
});
