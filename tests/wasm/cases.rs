// Test bodies shared by tests/wasm_node.rs and tests/wasm_browser.rs: the exported
// #[wasm_bindgen] functions, called inside a real wasm engine (Node's V8, headless Chromium).
// Each reads the JSON text the functions return with the crate's own reader.

use wasm_bindgen_test::wasm_bindgen_test;
use zhenzisms::json::{parse, Json};
use zhenzisms::wasm;

fn field<'a>(v: &'a Json, path: &[&str]) -> &'a Json {
    path.iter().fold(v, |v, k| {
        v.get(k).unwrap_or_else(|| panic!("no {k} in {v}"))
    })
}

/// Every request vector (tests/vectors/requests.json, also read natively and by the build),
/// through the exported function inside the engine: URLs and form bodies byte-exact.
#[wasm_bindgen_test]
fn builds_every_request_vector_byte_exact() {
    let file = parse(include_str!("../vectors/requests.json")).unwrap();
    let Some(Json::Arr(vectors)) = file.get("vectors") else {
        panic!("no vectors")
    };
    assert!(vectors.len() >= 8);
    for v in vectors {
        let out = parse(&wasm::build_request(
            v.str_field("op").unwrap(),
            &v.get("config").unwrap().to_string(),
            &v.get("params").unwrap().to_string(),
        ))
        .unwrap();
        let name = v.str_field("name").unwrap();
        assert_eq!(
            field(&out, &["ok", "url"]).as_str(),
            v.str_field("url"),
            "{name}"
        );
        assert_eq!(
            field(&out, &["ok", "body"]).as_str(),
            v.str_field("body"),
            "{name}"
        );
    }
}

#[wasm_bindgen_test]
fn refuses_bad_input_with_typed_errors() {
    let too_long = format!(
        r#"{{"number":"15811112222","message":"{}"}}"#,
        "字".repeat(1001)
    );
    for (params, code) in [
        (r#"{"number":"1581111222","message":"x"}"#, "100"),
        (too_long.as_str(), "101"),
    ] {
        let out = parse(&wasm::build_request(
            "send",
            r#"{"appId":"1","appSecret":"TOPSECRET"}"#,
            params,
        ))
        .unwrap();
        assert_eq!(field(&out, &["err", "code"]), &Json::Num(code.into()));
        assert_eq!(field(&out, &["vendor", "code"]), &Json::Num(code.into()));
        assert!(!out.to_string().contains("TOPSECRET"));
    }
}

#[wasm_bindgen_test]
fn parses_replies_and_hostile_bodies() {
    let ok = parse(&wasm::parse_reply(
        "balance",
        200,
        r#"{"code":"0","data":"537"}"#,
    ))
    .unwrap();
    assert_eq!(ok.get("ok"), Some(&Json::Num("537".into())));
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let e = parse(&wasm::parse_reply("send", 502, html)).unwrap();
    assert_eq!(field(&e, &["err", "kind"]).as_str(), Some("http"));
    let e = parse(&wasm::parse_reply("send", 200, html)).unwrap();
    assert_eq!(field(&e, &["err", "code"]), &Json::Num("9103".into()));
    let deep = "[".repeat(100_000);
    let e = parse(&wasm::parse_reply("send", 200, &deep)).unwrap();
    assert_eq!(field(&e, &["err", "code"]), &Json::Num("9103".into()));
    let e = parse(&wasm::parse_reply(
        "send",
        200,
        r#"{"code":108,"data":"余额不足"}"#,
    ))
    .unwrap();
    assert_eq!(field(&e, &["err", "reason"]).as_str(), Some("短信余额不足"));
    assert_eq!(field(&e, &["vendor", "data"]).as_str(), Some("余额不足"));
}

#[wasm_bindgen_test]
fn issues_and_verifies_a_code_once() {
    let entropy: Vec<u8> = (0..48u8).map(|i| i.wrapping_mul(41)).collect();
    let issued = parse(&wasm::code_issue(
        r#"{"number":"15811112222","now":1000,"key":"k"}"#,
        &entropy,
    ))
    .unwrap();
    let code = field(&issued, &["ok", "code"])
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 6);
    let record = field(&issued, &["ok", "record"]).to_string();
    assert!(!record.contains(&code));
    let check = |record: &str| {
        parse(&wasm::code_verify(&format!(
            r#"{{"number":"15811112222","code":"{code}","now":2000,"key":"k","record":{record}}}"#
        )))
        .unwrap()
    };
    let first = check(&record);
    assert_eq!(field(&first, &["ok", "result"]).as_str(), Some("ok"));
    let again = check(&field(&first, &["ok", "record"]).to_string());
    assert_eq!(field(&again, &["ok", "result"]).as_str(), Some("code_used"));
}

#[wasm_bindgen_test]
fn error_table_is_complete() {
    match parse(&wasm::error_table()).unwrap() {
        Json::Arr(items) => assert_eq!(items.len(), zhenzisms::errors::all().count()),
        other => panic!("{other}"),
    }
    let e = parse(&wasm::error_info(9101, "after 10 s")).unwrap();
    assert_eq!(field(&e, &["err", "retriable"]), &Json::Bool(true));
}

/// TC3-HMAC-SHA256's two documented vectors (docs/tencent-api.md, "Known-answer vectors"), byte-exact inside the
/// engine: the canonical-request hash and the signature.
#[wasm_bindgen_test]
fn tc3_documented_vectors() {
    use zhenzisms::sha256::{hex, sha256};
    use zhenzisms::tc3::{canonical_request, signature, Signing};
    let body =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    for (sign_action, key, hash, sig) in [
        (
            false,
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE".to_string(),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
        ),
        (
            true,
            "*".repeat(32),
            "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84",
            "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f",
        ),
    ] {
        let s = Signing {
            service: "cvm",
            host: "cvm.tencentcloudapi.com",
            action: "DescribeInstances",
            content_type: "application/json; charset=utf-8",
            timestamp: 1_551_113_065,
            body: body.as_bytes(),
            sign_action,
        };
        assert_eq!(hex(&sha256(canonical_request(&s).as_bytes())), hash);
        assert_eq!(signature(&key, &s), sig);
    }
}

#[wasm_bindgen_test]
fn tencent_send_sms_is_signed_and_refusals_are_typed() {
    let config = r#"{"secretId":"AKIDx","secretKey":"KEY-HIDDEN","sdkAppId":"1400006666","signName":"测试"}"#;
    use zhenzisms::tencent::{build, Config, Send};
    let keys = &mut zhenzisms::tc3::KeyCache::default();
    let config = Config::from_json(&parse(config).unwrap()).unwrap();
    let send = |p: &str| Send::from_json(&parse(p).unwrap());
    let send_one =
        send(r#"{"number":"13800138000","templateId":"1","templateParams":["123456"]}"#).unwrap();
    let out = build(&config, &send_one, 1_551_113_065, keys).unwrap();
    let auth = field(&out, &["header", "Authorization"]).as_str().unwrap();
    assert!(auth.starts_with("TC3-HMAC-SHA256 Credential=AKIDx/2019-02-25/sms/tc3_request, "));
    assert_eq!(build(&config, &send_one, 1_551_113_065, keys).unwrap(), out);
    let refused = send(
        r#"{"number":"13800138000","templateId":"1","templateParams":["1234567"],"verification":true}"#,
    )
    .unwrap_err();
    assert_eq!(refused.code, 9321);
}
