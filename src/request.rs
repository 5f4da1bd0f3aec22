//! Builds the HTTP request for a call: validated fields, form body, URL for the route.

use crate::endpoints::{Op, Route, DEFAULT_API_URL, DEFAULT_RELAY_URL};
use crate::errors::{Error, CONFIG};
use crate::form;
use crate::json::Json;
use crate::validate;

pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded;charset=UTF-8";

/// Who is calling and through which route. `Debug` is written by hand so the secret cannot
/// reach a log by accident.
#[derive(Clone, PartialEq)]
pub struct Config {
    pub route: Route,
    pub api_url: String,
    pub relay_url: String,
    pub app_id: String,
    pub app_secret: String,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("route", &self.route)
            .field("api_url", &self.api_url)
            .field("relay_url", &self.relay_url)
            .field("app_id", &self.app_id)
            .field("app_secret", &"***")
            .finish()
    }
}

impl Config {
    /// `{route?: 'direct'|'relay', apiUrl?, relayUrl?, appId, appSecret}`.
    pub fn from_json(v: &Json) -> Result<Config, Error> {
        let route =
            Route::from_name(v.str_field("route").unwrap_or("direct")).ok_or_else(|| {
                Error::new(CONFIG, "route must be 'direct' or 'relay'").at("route", "malformed")
            })?;
        let or_default = |key, default| match v.str_field(key) {
            Some(s) if !s.trim().is_empty() => s,
            _ => default,
        };
        Ok(Config {
            route,
            api_url: validate::base_url(or_default("apiUrl", DEFAULT_API_URL), "apiUrl")?,
            relay_url: validate::base_url(or_default("relayUrl", DEFAULT_RELAY_URL), "relayUrl")?,
            // The vendor SDKs put appId into the form as given, so a number worked: keep that.
            app_id: validate::credential(&param(v, "appId"), "appId")?,
            app_secret: validate::credential(v.str_field("appSecret").unwrap_or(""), "appSecret")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The operation after the template rule (`send_op`).
    pub op: Op,
    pub url: String,
    pub method: &'static str,
    pub content_type: &'static str,
    pub body: String,
    /// Input sent as written that is probably a mistake (`validate::WARN_*`), for the host to
    /// show once while developing.
    pub warnings: Vec<&'static str>,
}

impl Request {
    /// `{url, method, header: {'Content-Type': …}, body, warn?: [text], retry}`, the shape
    /// `wx.request` takes, with the plan for repeating it (`policy::plan`).
    pub fn to_json(&self, retry: Json) -> Json {
        let mut fields = vec![
            ("url", Json::str(self.url.clone())),
            ("method", Json::str(self.method)),
            (
                "header",
                Json::obj(vec![("Content-Type", Json::str(self.content_type))]),
            ),
            ("body", Json::str(self.body.clone())),
        ];
        if !self.warnings.is_empty() {
            let texts = self.warnings.iter().map(|w| Json::str(*w)).collect();
            fields.push(("warn", Json::Arr(texts)));
        }
        fields.push(("retry", retry));
        Json::obj(fields)
    }
}

/// A string parameter; null and absence are the same as `''`, numbers are accepted for
/// the fields users often hold as numbers (number, messageId, templateId).
fn param(params: &Json, key: &str) -> String {
    match params.get(key) {
        Some(Json::Str(s)) => s.clone(),
        Some(Json::Num(text)) => text.clone(),
        _ => String::new(),
    }
}

/// The one rule for "template send", for every API: a send whose params carry a non-blank
/// `templateId` is a v2 template send, any other is a v1 text send (`templateId: ''` beside a
/// message is a text send). An explicit `sendTemplate` stays one.
pub fn send_op(op: Op, params: &Json) -> Op {
    match op {
        Op::Send if !param(params, "templateId").trim().is_empty() => Op::SendTemplate,
        op => op,
    }
}

/// sendCode's fill-in, for a send whose params carry the `code` the host just made: `{code}`
/// in the message becomes the code, and so does a template parameter that is exactly
/// `'{code}'` (when none is, the code goes first; parameters that are not an array are
/// replaced by `[code]`). A text send without `{code}` is sent as written with a warning, as
/// vendor D did, unless `requireCode` (the cloud function, where the page never sees the code
/// and an SMS without it would be useless): then it is refused with 100.
#[inline(never)]
fn fill(text: &str, code: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = validate::find(rest, "{code}") {
        out.push_str(&rest[..at]);
        out.push_str(code);
        rest = &rest[at + 6..];
    }
    out.push_str(rest);
    out
}

/// The template parameters with the code in. Items are copied as the text they hold; any
/// other item becomes null, which `validate::template_params` refuses as it would have.
#[inline(never)]
fn fill_params(params: &Json, code: &str) -> Json {
    let items = match params.get("templateParams") {
        Some(Json::Arr(items)) => &items[..],
        _ => &[],
    };
    let slot = |i: &Json| i.as_str() == Some("{code}");
    let mut out = Vec::new();
    if !items.iter().any(slot) {
        out.push(Json::str(code));
    }
    for item in items {
        out.push(match item {
            _ if slot(item) => Json::str(code),
            Json::Str(s) => Json::Str(s.clone()),
            Json::Num(t) => Json::Num(t.clone()),
            _ => Json::Null,
        });
    }
    Json::Arr(out)
}

/// Validates `params` for `op` and builds the request. Nothing is sent: the host does that.
/// Refused before a request is spent: only what the server surely answers 100/101 for (an
/// empty or malformed number, an empty message, template or lookup id, a message over 1000
/// characters, templateParams it cannot read). Other odd input is sent as written, with a
/// warning. With a `code`, the code is filled in first (`fill`).
pub fn build(op: Op, config: &Config, params: &Json) -> Result<Request, Error> {
    let op = send_op(op, params);
    let code = params.str_field("code");
    let mut warn = Vec::new();
    let message_id = |warn: &mut Vec<&'static str>| {
        if let Some(Json::Num(_)) = params.get("messageId") {
            warn.push(validate::WARN_MESSAGE_ID_NUMBER);
        }
        validate::message_id(&param(params, "messageId"))
    };
    // Fields besides the credentials, in the vendor SDKs' order; '' stands for absent.
    let fields: Vec<(&str, String)> = match op {
        Op::Send => vec![
            ("message", {
                let mut text = param(params, "message");
                if let Some(code) = code {
                    let filled = fill(&text, code);
                    if filled == text && matches!(params.get("requireCode"), Some(Json::Bool(true)))
                    {
                        return Err(Error::new(
                            crate::errors::PARAM_FORMAT,
                            "message must contain {code}, or use a templateId",
                        ));
                    }
                    text = filled;
                }
                let message = validate::message(&text)?;
                // A verification code the host made (sendCode) must appear in the text.
                if matches!(code, Some(code) if validate::find(message, code).is_none()) {
                    warn.push(validate::WARN_NO_CODE);
                }
                message.to_string()
            }),
            (
                "number",
                crate::number::normalise(&param(params, "number"))?,
            ),
            ("messageId", message_id(&mut warn)),
            (
                "clientIp",
                validate::client_ip(&param(params, "clientIp"), &mut warn),
            ),
        ],
        Op::SendTemplate => vec![
            (
                "templateId",
                validate::template_id(&param(params, "templateId"))?,
            ),
            (
                "templateParams",
                match code {
                    Some(code) => {
                        validate::template_params(Some(&fill_params(params, code)), &mut warn)?
                    }
                    None => validate::template_params(params.get("templateParams"), &mut warn)?,
                },
            ),
            (
                "number",
                crate::number::normalise(&param(params, "number"))?,
            ),
            ("messageId", message_id(&mut warn)),
            (
                "clientIp",
                validate::client_ip(&param(params, "clientIp"), &mut warn),
            ),
        ],
        Op::Balance => vec![],
        Op::FindSmsByMessageId => {
            let id = message_id(&mut warn);
            if id.trim().is_empty() {
                return Err(Error::new(
                    crate::errors::PARAM_FORMAT,
                    "messageId is empty",
                ));
            }
            vec![("messageId", id)]
        }
    };
    let mut pairs: Vec<(&str, &str)> =
        vec![("appId", &config.app_id), ("appSecret", &config.app_secret)];
    let base = match config.route {
        Route::Direct => &config.api_url,
        Route::Relay => {
            pairs.push(("apiUrl", &config.api_url));
            &config.relay_url
        }
    };
    pairs.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
    Ok(Request {
        op,
        url: [base, op.path(config.route)].concat(),
        method: "POST",
        content_type: CONTENT_TYPE,
        body: form::encode(&pairs),
        warnings: warn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn config(route: &str) -> Config {
        Config::from_json(
            &parse(&format!(
                r#"{{"route":"{route}","apiUrl":"https://sms_developer.zhenzikj.com","appId":"10001","appSecret":"s&cret"}}"#
            ))
            .unwrap(),
        )
        .unwrap()
    }

    fn req(op: Op, route: &str, params: &str) -> Request {
        build(op, &config(route), &parse(params).unwrap()).unwrap()
    }

    const SEND: &str = r#"{"number":"15811112222","message":"您的验证码为2323"}"#;

    /// Every call on both routes, byte-exact: the vectors the wasm tests and the build's smoke
    /// test read too (tests/vectors/requests.json).
    #[test]
    fn every_request_vector() {
        let file = parse(include_str!("../tests/vectors/requests.json")).unwrap();
        let Some(Json::Arr(vectors)) = file.get("vectors") else {
            panic!("no vectors")
        };
        assert!(vectors.len() >= 8);
        for v in vectors {
            let name = v.str_field("name").unwrap();
            let op = Op::from_name(v.str_field("op").unwrap()).unwrap();
            let c = Config::from_json(v.get("config").unwrap()).unwrap();
            let r = build(op, &c, v.get("params").unwrap()).unwrap();
            assert_eq!(Some(r.url.as_str()), v.str_field("url"), "{name}");
            assert_eq!(Some(r.body.as_str()), v.str_field("body"), "{name}");
            assert_eq!(r.method, "POST");
            assert_eq!(
                r.content_type,
                "application/x-www-form-urlencoded;charset=UTF-8"
            );
        }
    }

    #[test]
    fn relay_url_is_configurable_and_numbers_may_be_numbers() {
        let c = Config::from_json(
            &parse(r#"{"route":"relay","relayUrl":"http://127.0.0.1:9/","appId":10001,"appSecret":"x"}"#)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(c.app_id, "10001");
        // A secret is text: a number there is a mistake, refused as config.
        let bad = Config::from_json(&parse(r#"{"appId":"1","appSecret":123}"#).unwrap());
        assert_eq!(bad.unwrap_err().code, 9001);
        let r = build(
            Op::Send,
            &c,
            &parse(r#"{"number":15811112222,"message":"hi there"}"#).unwrap(),
        )
        .unwrap();
        assert_eq!(r.url, "http://127.0.0.1:9/sms/send.html");
        assert!(r.body.contains("&number=15811112222&"));
        assert!(r.body.contains("&message=hi+there&"));
    }

    #[test]
    fn bad_input_is_refused_before_anything_is_built() {
        let c = config("direct");
        let refuse = |op, p: &str| build(op, &c, &parse(p).unwrap()).unwrap_err().code;
        assert_eq!(refuse(Op::Send, r#"{"number":"123","message":"x"}"#), 100);
        assert_eq!(refuse(Op::Send, r#"{"number":"15811112222"}"#), 100);
        let long = format!(
            r#"{{"number":"15811112222","message":"{}"}}"#,
            "字".repeat(1001)
        );
        assert_eq!(refuse(Op::Send, &long), 101);
        assert_eq!(refuse(Op::SendTemplate, r#"{"number":"15811112222"}"#), 100);
        assert_eq!(
            refuse(
                Op::SendTemplate,
                r#"{"number":"15811112222","templateId":"1","templateParams":"x"}"#
            ),
            100
        );
        assert_eq!(refuse(Op::FindSmsByMessageId, "{}"), 100);
        assert_eq!(refuse(Op::FindSmsByMessageId, r#"{"messageId":" "}"#), 100);
    }

    #[test]
    fn one_rule_decides_template_send() {
        let c = config("relay");
        let built = |op, p: &str| build(op, &c, &parse(p).unwrap());
        let url = |op, p: &str| built(op, p).unwrap().url;
        let text = "https://smsdeveloper.zhenzikj.com/sms/send.html";
        let v2 = "https://smsdeveloper.zhenzikj.com/sms/v2/send.html";
        assert_eq!(
            url(Op::Send, r#"{"number":"15811112222","message":"x"}"#),
            text
        );
        for blank in ["\"\"", "\" \"", "null"] {
            let p = format!(r#"{{"number":"15811112222","message":"x","templateId":{blank}}}"#);
            assert_eq!(url(Op::Send, &p), text, "{p}");
        }
        for id in ["\"1001\"", "1001"] {
            let p =
                format!(r#"{{"number":"15811112222","templateId":{id},"templateParams":["1"]}}"#);
            assert_eq!(url(Op::Send, &p), v2, "{p}");
        }
        // A blank templateId and no message: a text send without text.
        assert_eq!(
            built(Op::Send, r#"{"number":"15811112222","templateId":""}"#)
                .unwrap_err()
                .detail,
            "message is empty"
        );
    }

    #[test]
    fn odd_but_accepted_input_is_sent_as_written_with_warnings() {
        let c = config("direct");
        let r = build(
            Op::Send,
            &c,
            &parse(r#"{"number":"15811112222","message":"x","messageId":123,"clientIp":"10"}"#)
                .unwrap(),
        )
        .unwrap();
        assert!(r.body.ends_with("&messageId=123&clientIp=10"), "{}", r.body);
        assert_eq!(
            r.warnings,
            [validate::WARN_MESSAGE_ID_NUMBER, validate::WARN_CLIENT_IP]
        );
        let warn = r.to_json(Json::Null);
        assert!(matches!(warn.get("warn"), Some(Json::Arr(w)) if w.len() == 2));
        let r = req(
            Op::SendTemplate,
            "direct",
            r#"{"number":"15811112222","templateId":"1","templateParams":[]}"#,
        );
        assert_eq!(r.warnings, [validate::WARN_EMPTY_PARAMS]);
        assert!(r.body.contains("&templateParams=%5B%5D&"));
        let code = |p: &str| req(Op::Send, "direct", p).warnings;
        assert_eq!(
            code(r#"{"number":"15811112222","message":"您好","code":"1234"}"#),
            [validate::WARN_NO_CODE]
        );
        assert!(code(r#"{"number":"15811112222","message":"码1234","code":"1234"}"#).is_empty());
        let quiet = req(Op::Send, "direct", SEND);
        assert!(quiet.warnings.is_empty());
        assert!(quiet.to_json(Json::Null).get("warn").is_none());
    }

    #[test]
    fn a_code_is_filled_into_the_message_or_the_template() {
        let c = config("direct");
        let built = |p: &str| build(Op::Send, &c, &parse(p).unwrap());
        let body = |p: &str| built(p).unwrap().body;
        let n = r#""number":"15811112222","code":"4821""#;
        let text = body(&format!(r#"{{{n},"message":"码{{code}}，{{code}}有效"}}"#));
        assert!(
            text.contains("&message=%E7%A0%814821%EF%BC%8C4821%E6%9C%89%E6%95%88&"),
            "{text}"
        );
        // The '{code}' parameter, or the first one when none is.
        for (params, sent) in [
            (r#"["5","{code}"]"#, r#"["5","4821"]"#),
            (r#"["5",6]"#, r#"["4821","5","6"]"#),
            (r#""not an array""#, r#"["4821"]"#),
            ("null", r#"["4821"]"#),
        ] {
            let r = built(&format!(
                r#"{{{n},"templateId":"9","templateParams":{params}}}"#
            ))
            .unwrap();
            assert!(r.url.ends_with("/sms/v2/send.do"));
            let encoded = form::encode(&[("templateParams", sent)]);
            assert!(r.body.contains(&encoded), "{params}: {}", r.body);
        }
        // Items a template cannot carry are refused as without a code.
        let bad = built(&format!(
            r#"{{{n},"templateId":"9","templateParams":[true]}}"#
        ));
        assert_eq!(bad.unwrap_err().code, 100);
        // A text without {code}: sent as written with a warning (vendor D), or refused when
        // the code is required (the cloud function).
        let plain = format!(r#"{{{n},"message":"您好"}}"#);
        assert_eq!(built(&plain).unwrap().warnings, [validate::WARN_NO_CODE]);
        let strict = plain.replace('{', r#"{"requireCode":true,"#);
        let e = built(&strict).unwrap_err();
        assert_eq!(
            (e.code, e.detail.as_str()),
            (100, "message must contain {code}, or use a templateId")
        );
        let strict_ok = strict.replace("您好", "您好{code}");
        assert!(body(&strict_ok).contains("4821"));
    }

    #[test]
    fn config_errors_and_debug_hide_the_secret() {
        for bad in [
            r#"{"appId":"1"}"#,
            r#"{"appSecret":"x"}"#,
            r#"{"appId":"1","appSecret":"x","apiUrl":"http://sms.zhenzikj.com"}"#,
            r#"{"appId":"1","appSecret":"x","route":"carrier-pigeon"}"#,
        ] {
            assert_eq!(
                Config::from_json(&parse(bad).unwrap()).unwrap_err().code,
                9001
            );
        }
        let shown = format!("{:?}", config("direct"));
        assert!(!shown.contains("s&cret") && shown.contains("***"));
    }
}
