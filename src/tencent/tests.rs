use super::*;
use crate::api::{tencent_build_request as build_request, tencent_parse_reply as parse_reply};
use crate::errors as e;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const CONFIG_JSON: &str = r#"{"secretId":"AKIDexample","secretKey":"KEY-c0ffee","sdkAppId":"1400006666","signName":"腾讯云","region":"ap-guangzhou"}"#;
const T: f64 = 1_700_000_000.0; // 2023-11-14 22:13:20 UTC

fn built(config: &str, params: &str) -> Json {
    json::parse(&build_request(config, params, T)).unwrap()
}

fn err_code(v: &Json) -> f64 {
    v.get("err")
        .and_then(|e| e.get("code"))
        .and_then(Json::as_f64)
        .unwrap_or_else(|| panic!("not an err: {v}"))
}

/// TC3 computed with RustCrypto's sha2/hmac, independently of src/tc3.rs and src/sha256.rs.
fn oracle_authorization(
    id: &str,
    key: &str,
    host: &str,
    ts: u64,
    date: &str,
    body: &str,
) -> String {
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let mac = |k: &[u8], m: &[u8]| {
        let mut h = Hmac::<Sha256>::new_from_slice(k).unwrap();
        h.update(m);
        h.finalize().into_bytes().to_vec()
    };
    let canonical = format!(
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:{host}\n\ncontent-type;host\n{}",
        hex(&Sha256::digest(body.as_bytes()))
    );
    let sts = format!(
        "TC3-HMAC-SHA256\n{ts}\n{date}/sms/tc3_request\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let k = mac(format!("TC3{key}").as_bytes(), date.as_bytes());
    let k = mac(&k, b"sms");
    let k = mac(&k, b"tc3_request");
    format!(
        "TC3-HMAC-SHA256 Credential={id}/{date}/sms/tc3_request, SignedHeaders=content-type;host, Signature={}",
        hex(&mac(&k, sts.as_bytes()))
    )
}

#[test]
fn builds_a_signed_send_sms() {
    let r = built(
        CONFIG_JSON,
        r#"{"number":"13800138000","templateId":1234567,"templateParams":["123456","5"],"templateParamCount":2,"verification":true}"#,
    );
    let ok = r.get("ok").unwrap_or_else(|| panic!("{r}"));
    assert_eq!(
        ok.str_field("url"),
        Some("https://sms.tencentcloudapi.com/")
    );
    let body = ok.str_field("body").unwrap();
    assert_eq!(
        body,
        r#"{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400006666","TemplateId":"1234567","SignName":"腾讯云","TemplateParamSet":["123456","5"]}"#
    );
    let h = ok.get("header").unwrap();
    assert_eq!(h.str_field("Host"), Some("sms.tencentcloudapi.com"));
    assert_eq!(
        h.str_field("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(h.str_field("X-TC-Action"), Some("SendSms"));
    assert_eq!(h.str_field("X-TC-Version"), Some("2021-01-11"));
    assert_eq!(h.str_field("X-TC-Timestamp"), Some("1700000000"));
    assert_eq!(h.str_field("X-TC-Region"), Some("ap-guangzhou"));
    assert_eq!(h.get("X-TC-Token"), None);
    let want = oracle_authorization(
        "AKIDexample",
        "KEY-c0ffee",
        "sms.tencentcloudapi.com",
        1_700_000_000,
        "2023-11-14",
        body,
    );
    assert_eq!(h.str_field("Authorization"), Some(want.as_str()));
    // serde_json reads the same body back.
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["SignName"], "腾讯云");
}

#[test]
fn temporary_credentials_and_a_loopback_endpoint() {
    let config = r#"{"secretId":"AKIDtmp","secretKey":"tmpkey","sessionToken":"TOKEN-1","sdkAppId":1400000001,"signName":"测试","endpoint":"http://127.0.0.1:8787/"}"#;
    let r = built(
        config,
        r#"{"numbers":["+8613800138000","13900139000"],"templateId":"1","sessionContext":"ctx"}"#,
    );
    let ok = r.get("ok").unwrap_or_else(|| panic!("{r}"));
    assert_eq!(ok.str_field("url"), Some("http://127.0.0.1:8787/"));
    let h = ok.get("header").unwrap();
    assert_eq!(h.str_field("X-TC-Token"), Some("TOKEN-1"));
    assert_eq!(h.str_field("Host"), Some("127.0.0.1:8787"));
    let body = ok.str_field("body").unwrap();
    assert!(
        body.contains(r#""PhoneNumberSet":["+8613800138000","+8613900139000"]"#),
        "{body}"
    );
    assert!(
        body.ends_with(r#""TemplateParamSet":[],"SessionContext":"ctx"}"#),
        "{body}"
    );
    let want = oracle_authorization(
        "AKIDtmp",
        "tmpkey",
        "127.0.0.1:8787",
        1_700_000_000,
        "2023-11-14",
        body,
    );
    assert_eq!(h.str_field("Authorization"), Some(want.as_str()));
}

#[test]
fn numbers_become_e164() {
    assert_eq!(e164(" 13800138000 ").unwrap(), "+8613800138000");
    assert_eq!(e164("+86 138 0013 8000").unwrap(), "+8613800138000");
    assert_eq!(e164("+14155550100").unwrap(), "+14155550100");
    assert_eq!(e164("+85261234567").unwrap(), "+85261234567");
    for bad in [
        "",
        "+",
        "+86123",
        "+0123456789",
        "12345",
        "+1415555010a",
        "+1234567890123456",
        "1380013800",
    ] {
        assert_eq!(e164(bad).unwrap_err().code, 100, "{bad}");
    }
}

#[test]
fn refuses_bad_input_before_anything_is_sent() {
    let cases: &[(&str, &str, i32)] = &[
        (CONFIG_JSON, r#"{"templateId":"1"}"#, 9327),
        (CONFIG_JSON, r#"{"numbers":[],"templateId":"1"}"#, 9327),
        (CONFIG_JSON, r#"{"number":"12","templateId":"1"}"#, 100),
        (
            CONFIG_JSON,
            r#"{"numbers":["13800138000","+14155550100"],"templateId":"1"}"#,
            100,
        ),
        (
            CONFIG_JSON,
            r#"{"number":"13800138000","templateId":"abc"}"#,
            9325,
        ),
        (
            CONFIG_JSON,
            r#"{"number":"13800138000","templateId":"1","templateParams":["1"],"templateParamCount":2}"#,
            9326,
        ),
        (
            CONFIG_JSON,
            r#"{"number":"13800138000","templateId":"1","templateParams":"1"}"#,
            100,
        ),
        (
            CONFIG_JSON,
            r#"{"number":"13800138000","templateId":"1","templateParams":[{}]}"#,
            100,
        ),
        (
            CONFIG_JSON,
            r#"{"number":"13800138000","templateId":"1","templateParams":["1234567"],"verification":true}"#,
            9321,
        ),
        (
            CONFIG_JSON,
            r#"{"number":"13800138000","templateId":"1","templateParams":["12a4"],"verification":true}"#,
            9321,
        ),
        (
            r#"{"secretId":"a","secretKey":"b","sdkAppId":"1400006666","signName":"12345"}"#,
            r#"{"number":"13800138000","templateId":"1"}"#,
            9324,
        ),
        (
            r#"{"secretId":"a","secretKey":"b","sdkAppId":"1400006666"}"#,
            r#"{"number":"13800138000","templateId":"1"}"#,
            9324,
        ),
        (
            r#"{"secretId":"a","secretKey":"b","sdkAppId":"app","signName":"x"}"#,
            r#"{"number":"13800138000","templateId":"1"}"#,
            9001,
        ),
        (
            r#"{"secretId":"a","secretKey":"","sdkAppId":"1","signName":"x"}"#,
            r#"{"number":"13800138000","templateId":"1"}"#,
            9001,
        ),
        (
            r#"{"secretId":"a","secretKey":"b","sdkAppId":"1","signName":"x","endpoint":"http://sms.example.com"}"#,
            r#"{"number":"13800138000","templateId":"1"}"#,
            9001,
        ),
        (
            r#"{"secretId":"a","secretKey":"b","sdkAppId":"1","signName":"x","endpoint":"https://a.b/path"}"#,
            r#"{"number":"13800138000","templateId":"1"}"#,
            9001,
        ),
        (
            r#"{"secretId":"a","secretKey":"b","sdkAppId":"1","signName":"x","region":"AP GZ"}"#,
            r#"{"number":"13800138000","templateId":"1"}"#,
            9001,
        ),
        // Header-borne credentials outside printable ASCII: refused here, not by the host's
        // HTTP stack after the request was built (Node threw ERR_INVALID_CHAR, read as code 0).
        (
            r#"{"secretId":"a","secretKey":"b","sessionToken":"tok\u00e9\u4e2d","sdkAppId":"1","signName":"x"}"#,
            r#"{"number":"13800138000","templateId":"1"}"#,
            9001,
        ),
        (
            r#"{"secretId":"AKID\u4e2d","secretKey":"b","sdkAppId":"1","signName":"x"}"#,
            r#"{"number":"13800138000","templateId":"1"}"#,
            9001,
        ),
        ("nope", "{}", 9001),
    ];
    for (config, params, code) in cases {
        let r = built(config, params);
        assert_eq!(err_code(&r), *code as f64, "{config} {params} → {r}");
    }
    // Six digits and an empty variable are fine for a verification template; sign name may be
    // left out for international numbers only.
    let ok = built(
        CONFIG_JSON,
        r#"{"number":"13800138000","templateId":"1","templateParams":["000000",""],"verification":true}"#,
    );
    assert!(ok.get("ok").is_some(), "{ok}");
    let intl = built(
        r#"{"secretId":"a","secretKey":"b","sdkAppId":"1"}"#,
        r#"{"number":"+14155550100","templateId":"1"}"#,
    );
    assert!(intl.get("ok").is_some(), "{intl}");
    // The clock is an argument, and must be one.
    for now in [0.0, -5.0, f64::NAN, 1e12] {
        assert_eq!(
            err_code(
                &json::parse(&build_request(
                    CONFIG_JSON,
                    r#"{"number":"13800138000","templateId":"1"}"#,
                    now
                ))
                .unwrap()
            ),
            9001.0
        );
    }
}

#[test]
fn secrets_never_reach_errors_or_debug() {
    let config = r#"{"secretId":"AKIDvisible","secretKey":"KEY-HIDDEN-1","sessionToken":"TOKEN-HIDDEN-2","sdkAppId":"1400006666","signName":"x"}"#;
    for params in [
        "{",
        r#"{"number":"1"}"#,
        r#"{"number":"13800138000","templateId":"z"}"#,
    ] {
        let out = build_request(config, params, T);
        assert!(!out.contains("HIDDEN"), "{out}");
    }
    let c = Config::from_json(&json::parse(config).unwrap()).unwrap();
    let debug = format!("{c:?}");
    assert!(
        !debug.contains("HIDDEN") && debug.contains("AKIDvisible"),
        "{debug}"
    );
}

#[test]
fn parses_success_per_number_failures_and_errors() {
    let body = r#"{"Response":{"SendStatusSet":[
        {"SerialNo":"5000:1","PhoneNumber":"+8613800138000","Fee":1,"SessionContext":"c","Code":"Ok","Message":"send success","IsoCode":"CN"},
        {"SerialNo":"","PhoneNumber":"+8613900139000","Fee":0,"SessionContext":"c","Code":"LimitExceeded.PhoneNumberThirtySecondLimit","Message":"30s","IsoCode":"CN"}
    ],"RequestId":"req-1"}}"#;
    let r = json::parse(&parse_reply(200, body)).unwrap();
    let ok = r.get("ok").unwrap_or_else(|| panic!("{r}"));
    assert_eq!(ok.str_field("requestId"), Some("req-1"));
    let Some(Json::Arr(s)) = ok.get("statuses") else {
        panic!("{ok}")
    };
    assert_eq!(s[0].get("ok"), Some(&Json::Bool(true)));
    assert_eq!(s[0].str_field("serialNo"), Some("5000:1"));
    assert_eq!(s[0].get("fee"), Some(&Json::num(1.0)));
    assert_eq!(s[0].get("err"), None);
    assert_eq!(s[1].get("ok"), Some(&Json::Bool(false)));
    let err = s[1].get("err").unwrap();
    assert_eq!(err.get("code"), Some(&Json::num(9330.0)));
    assert_eq!(err.str_field("kind"), Some("limit"));
    assert_eq!(
        err.str_field("detail"),
        Some("LimitExceeded.PhoneNumberThirtySecondLimit: 30s")
    );

    let refused = json::parse(&parse_reply(200, r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad sig"},"RequestId":"req-2"}}"#)).unwrap();
    let err = refused.get("err").unwrap();
    assert_eq!(err.get("code"), Some(&Json::num(9301.0)));
    assert_eq!(
        err.str_field("detail"),
        Some("AuthFailure.SignatureFailure: bad sig (RequestId req-2)")
    );

    for (status, body, code) in [
        (502, "<html>", 9102.0),
        (200, "", 9103.0),
        (200, "<html>", 9103.0),
        (200, r#"{"code":0}"#, 9103.0),
        (200, r#"{"Response":{"RequestId":"x"}}"#, 9103.0),
    ] {
        assert_eq!(
            err_code(&json::parse(&parse_reply(status, body)).unwrap()),
            code,
            "{status} {body}"
        );
    }
}

#[test]
fn every_documented_code_has_its_row_and_only_refusals_are_retriable() {
    let documented = [
        ("AuthFailure.SignatureFailure", "auth"),
        ("AuthFailure.SignatureExpire", "auth"),
        ("AuthFailure.SecretIdNotFound", "auth"),
        ("AuthFailure.InvalidSecretId", "auth"),
        ("AuthFailure.TokenFailure", "auth"),
        ("UnauthorizedOperation.SmsSdkAppIdVerifyFail", "auth"),
        ("FailedOperation.InsufficientBalanceInSmsPackage", "account"),
        (
            "UnauthorizedOperation.SerivceSuspendDueToArrears",
            "account",
        ),
        ("UnauthorizedOperation.SdkAppIdIsDisabled", "account"),
        ("UnauthorizedOperation.RequestIpNotInWhitelist", "auth"),
        ("InvalidParameterValue.IncorrectPhoneNumber", "input"),
        (
            "InvalidParameterValue.TemplateParameterFormatError",
            "input",
        ),
        (
            "InvalidParameterValue.TemplateParameterLengthLimit",
            "input",
        ),
        ("InvalidParameterValue.ContentLengthLimit", "input"),
        ("FailedOperation.SignatureIncorrectOrUnapproved", "input"),
        ("FailedOperation.TemplateIncorrectOrUnapproved", "input"),
        (
            "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
            "input",
        ),
        ("MissingParameter.EmptyPhoneNumberSet", "input"),
        ("FailedOperation.PhoneNumberInBlacklist", "input"),
        ("FailedOperation.ContainSensitiveWord", "input"),
        ("LimitExceeded.PhoneNumberThirtySecondLimit", "limit"),
        ("LimitExceeded.PhoneNumberOneHourLimit", "limit"),
        ("LimitExceeded.PhoneNumberDailyLimit", "limit"),
        ("LimitExceeded.PhoneNumberSameContentDailyLimit", "limit"),
        ("LimitExceeded.DeliveryFrequencyLimit", "limit"),
        ("LimitExceeded.AppDailyLimit", "limit"),
        ("RequestLimitExceeded", "limit"),
        ("InternalError.RequestTimeException", "server"),
        ("InternalError.UnknownError", "server"),
    ];
    let mut seen = std::collections::HashSet::new();
    for (code, kind) in documented {
        let row = row_for(code);
        assert_ne!(row, e::TC_UNKNOWN, "{code}");
        assert_eq!(row.kind.as_str(), kind, "{code}");
        assert!(e::TENCENT_TABLE.contains(&row), "{code}");
        // Only a request refused before any SMS could go out may be repeated.
        assert_eq!(row.retriable, code == "RequestLimitExceeded", "{code}");
        seen.insert(row.code);
    }
    assert_eq!(row_for("Brand.NewCode"), e::TC_UNKNOWN);
    seen.insert(e::TC_UNKNOWN.code);
    // Every Tencent row is reachable from some code.
    for row in e::TENCENT_TABLE {
        assert!(seen.contains(&row.code), "{} unused", row.code);
    }
    // The facade knows the rows (native tests see the server build's table).
    assert_eq!(e::lookup(9301), Some(e::TC_KEY));
}

/// The set-up check's problems as (field, problem), in order.
fn setup(input: &str) -> Vec<(&'static str, &'static str)> {
    setup_problems(&json::parse(input).unwrap())
        .iter()
        .map(|e| e.field.expect("every problem names its field"))
        .collect()
}

const SETUP: &str = r#"{"secretId":"AKIDexample","secretKey":"KEY-c0ffee","sdkAppId":"1400006666","signName":"腾讯云","templateId":"100001"}"#;

fn with(more: &str) -> String {
    [&SETUP[..SETUP.len() - 1], ",", more, "}"].concat()
}

#[test]
fn a_complete_setup_has_no_problems() {
    assert_eq!(setup(SETUP), []);
    let full = with(
        r#""templateParamCount":"2","codeLength":"6","cooldownSeconds":"30","region":"ap-beijing","endpoint":"https://sms.tencentcloudapi.com""#,
    );
    assert_eq!(setup(&full), []);
    // Numbers may be numbers too; 1 variable (the code only) is a template's other form.
    assert_eq!(
        setup(&with(
            r#""templateParamCount":1,"codeLength":4,"cooldownSeconds":60"#
        )),
        []
    );
}

#[test]
fn nothing_set_names_every_required_field_in_order() {
    assert_eq!(
        setup("{}"),
        [
            ("sdkAppId", "missing"),
            ("signName", "missing"),
            ("templateId", "missing"),
            ("secretId", "missing"),
            ("secretKey", "missing"),
        ]
    );
}

#[test]
fn each_setup_rule_names_its_field_and_problem() {
    for (more, want) in [
        (r#""sdkAppId":"app-1""#, ("sdkAppId", "malformed")),
        (r#""signName":"356789""#, ("signName", "numeric")),
        (r#""templateId":"tpl""#, ("templateId", "malformed")),
        (
            r#""templateParamCount":"3""#,
            ("templateParamCount", "malformed"),
        ),
        (
            r#""templateParamCount":"0""#,
            ("templateParamCount", "malformed"),
        ),
        (r#""secretId":"AKID中""#, ("secretId", "malformed")),
        (
            r#""secretKey":"KEY\u0007""#,
            ("secretKey", "control_characters"),
        ),
        (
            r#""sessionToken":"tok\u00e9""#,
            ("sessionToken", "malformed"),
        ),
        (r#""region":"AP GZ""#, ("region", "malformed")),
        (
            r#""endpoint":"http://sms.example.com""#,
            ("endpoint", "not_https"),
        ),
        (
            r#""endpoint":"https://a.b/path""#,
            ("endpoint", "malformed"),
        ),
        (r#""codeLength":"7""#, ("codeLength", "too_long")),
        (r#""codeLength":8"#, ("codeLength", "too_long")),
        (
            r#""cooldownSeconds":"29""#,
            ("cooldownSeconds", "too_short"),
        ),
        (r#""cooldownSeconds":"0""#, ("cooldownSeconds", "too_short")),
    ] {
        // A later key of the same name wins in our parser: `with` overrides one field.
        assert_eq!(setup(&with(more)), [want], "{more}");
    }
    // Not a number: left to the host's range check (the policy's, not Tencent's).
    assert_eq!(
        setup(&with(r#""codeLength":"six","cooldownSeconds":"x""#)),
        []
    );
}

#[test]
fn setup_problems_say_why_in_words_without_a_secret() {
    let all = setup_problems(
        &json::parse(&with(
            r#""secretKey":"SECRET\u0007","signName":"123","codeLength":"8","cooldownSeconds":"10""#,
        ))
        .unwrap(),
    );
    let details: Vec<&str> = all.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(details.len(), 4, "{details:?}");
    assert!(
        details[0].starts_with("signName is a number"),
        "{}",
        details[0]
    );
    assert!(
        details[2].contains("codeLength 8 cannot work with Tencent"),
        "{}",
        details[2]
    );
    assert!(details[2].contains("at most 6 digits"), "{}", details[2]);
    assert!(details[3]
        .contains("cooldownSeconds 10 is below Tencent's one message per number every 30 s"));
    assert!(details.iter().all(|d| !d.contains("SECRET")), "{details:?}");
}

#[test]
fn the_facade_answers_every_problem_and_the_first_as_err() {
    use crate::api::tencent_check_config as check;
    assert_eq!(check(SETUP), r#"{"ok":{}}"#);
    let r = json::parse(&check(
        r#"{"secretId":"a","secretKey":"TOPSECRET","signName":"1"}"#,
    ))
    .unwrap();
    let e = r.get("err").unwrap();
    assert_eq!(e.get("code"), Some(&Json::num(9001.0)));
    assert_eq!(
        (e.str_field("field"), e.str_field("problem")),
        (Some("sdkAppId"), Some("missing"))
    );
    let Some(Json::Arr(problems)) = r.get("problems") else {
        panic!("{r}")
    };
    let named: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| {
            (
                p.str_field("field").unwrap(),
                p.str_field("problem").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("sdkAppId", "missing"),
            ("signName", "numeric"),
            ("templateId", "missing")
        ]
    );
    assert!(e
        .str_field("detail")
        .unwrap()
        .contains("signName is a number"));
    assert!(!r.to_string().contains("TOPSECRET"));
    // Not JSON: one problem, still an answer.
    let r = json::parse(&check("{")).unwrap();
    assert_eq!(r.get("err").unwrap().get("code"), Some(&Json::num(9001.0)));
}
