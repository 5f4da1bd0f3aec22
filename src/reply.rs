//! Reads a reply into a typed value or a typed error, tolerant of what servers and gateways
//! really return: `code` as a number or a numeric string, `data` as string, number or object,
//! HTML error pages, empty bodies, non-200 statuses.

use crate::endpoints::Op;
use crate::errors::{Error, BAD_REPLY, HTTP_STATUS};
use crate::json::{self, Json};

/// Larger replies are refused unread: a real one is under 1 KB.
pub const MAX_REPLY_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// send: the server's text; balance: an integer; find: a record object or null.
    pub result: Result<Json, Error>,
    /// What the vendor SDKs hand callers as `res.data`: the server's own `{code, data}` when
    /// it sent one, otherwise `{code, data: reason}` built from the error, so that
    /// `res.data.code` can always be read.
    pub vendor: Json,
}

impl Reply {
    fn failed(e: Error) -> Reply {
        let vendor = vendor_shape(&e);
        Reply {
            result: Err(e),
            vendor,
        }
    }
}

/// `{code, data: reason}` for an error the server did not phrase itself.
pub fn vendor_shape(e: &Error) -> Json {
    Json::obj(vec![
        ("code", Json::num(e.code as f64)),
        ("data", Json::str(e.entry.reason)),
    ])
}

fn bad_reply(why: impl Into<String>) -> Reply {
    Reply::failed(Error::new(BAD_REPLY, why))
}

/// `code` as an integer: `0`, `108`, `"0"`, `" 108 "` are codes; `0.5`, `"x"`, `true` are not.
fn read_code(v: &Json) -> Option<i32> {
    let n = match v {
        Json::Num(text) => json::number_value(text)?,
        Json::Str(s) => json::number_value(s.trim())?,
        _ => return None,
    };
    (n.fract() == 0.0 && n.abs() <= i32::MAX as f64).then_some(n as i32)
}

fn text_of(v: Option<&Json>) -> String {
    match v {
        None | Some(Json::Null) => String::new(),
        Some(Json::Str(s)) => s.clone(),
        Some(other) => other.text(),
    }
}

fn describe_non_json(body: &str) -> &'static str {
    if body.trim_start().starts_with('<') {
        "the reply is an HTML page (a gateway or proxy error?)"
    } else {
        "the reply is not JSON"
    }
}

pub fn parse(op: Op, status: u16, body: &str) -> Reply {
    if status != 200 {
        return Reply::failed(Error::new(
            HTTP_STATUS,
            ["HTTP ", &json::int_text(status.into())].concat(),
        ));
    }
    if body.trim().is_empty() {
        return bad_reply("the reply is empty");
    }
    if body.len() > MAX_REPLY_BYTES {
        return bad_reply(
            [
                "the reply is ",
                &json::int_text(body.len() as i64),
                " bytes long",
            ]
            .concat(),
        );
    }
    let value = match json::parse(body) {
        Ok(v @ Json::Obj(_)) => v,
        Ok(_) => return bad_reply("the reply is JSON but not an object"),
        Err(e) => return bad_reply([describe_non_json(body), ": ", e.as_str()].concat()),
    };
    let Some(code) = value.get("code").and_then(read_code) else {
        return bad_reply("the reply has no numeric 'code'");
    };
    let data = value.get("data");
    let result = if code != 0 {
        Err(Error::from_server(code, &text_of(data)))
    } else {
        success_value(op, data)
    };
    match result {
        // A success whose data is unusable is the server's own reply, but not one we can
        // trust: callers get the error, with its own vendor shape.
        Err(e) if code == 0 => Reply::failed(e),
        result => Reply {
            result,
            vendor: value,
        },
    }
}

fn success_value(op: Op, data: Option<&Json>) -> Result<Json, Error> {
    match op {
        Op::Send | Op::SendTemplate => Ok(Json::Str(text_of(data))),
        Op::Balance => {
            let n = match data {
                Some(Json::Num(text)) => json::number_value(text),
                Some(Json::Str(s)) => json::number_value(s.trim()),
                _ => None,
            };
            match n {
                Some(n) if n.fract() == 0.0 && n.abs() < 9e15 => Ok(Json::num(n)),
                _ => Err(Error::new(BAD_REPLY, "balance is not an integer")),
            }
        }
        Op::FindSmsByMessageId => match data {
            None | Some(Json::Null) => Ok(Json::Null),
            Some(Json::Obj(fields)) if fields.is_empty() => Ok(Json::Null),
            Some(record @ Json::Obj(_)) => Ok(sms_record(record)),
            Some(_) => Err(Error::new(BAD_REPLY, "the message record is not an object")),
        },
    }
}

/// The known fields of a find reply, each a string ('' when missing).
fn sms_record(record: &Json) -> Json {
    const FIELDS: [&str; 6] = [
        "message",
        "appName",
        "createTime",
        "status",
        "toNumber",
        "messageId",
    ];
    Json::Obj(
        FIELDS
            .iter()
            .map(|k| (k.to_string(), Json::Str(text_of(record.get(k)))))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(op: Op, body: &str) -> Json {
        parse(op, 200, body).result.unwrap()
    }

    fn err(op: Op, status: u16, body: &str) -> (i32, &'static str) {
        let r = parse(op, status, body);
        let e = r.result.unwrap_err();
        // Whatever went wrong, callers can read res.data.code.
        assert_eq!(read_code(r.vendor.get("code").unwrap()), Some(e.code));
        (e.code, e.entry.kind.as_str())
    }

    #[test]
    fn successes() {
        assert_eq!(
            ok(Op::Send, r#"{"code":0,"data":"发送成功"}"#),
            Json::str("发送成功")
        );
        assert_eq!(
            ok(Op::SendTemplate, r#"{"code":"0","data":"发送成功"}"#),
            Json::str("发送成功")
        );
        assert_eq!(ok(Op::Send, r#"{"code":0}"#), Json::str(""));
        assert_eq!(
            ok(Op::Balance, r#"{"code":0,"data":537}"#),
            Json::num(537.0)
        );
        assert_eq!(
            ok(Op::Balance, r#"{"code":0,"data":"537"}"#),
            Json::num(537.0)
        );
        assert_eq!(
            ok(Op::FindSmsByMessageId, r#"{"code":0,"data":{}}"#),
            Json::Null
        );
        let rec = ok(
            Op::FindSmsByMessageId,
            r#"{"code":0,"data":{"message":"验证码:33356，2分钟内有效","appName":"云短信体验","createTime":"2021-03-10 19:24:19","status":"success","toNumber":15871770252,"messageId":"123","extra":1}}"#,
        );
        assert_eq!(rec.str_field("toNumber"), Some("15871770252"));
        assert_eq!(rec.str_field("status"), Some("success"));
        assert_eq!(rec.str_field("createTime"), Some("2021-03-10 19:24:19"));
        assert_eq!(rec.get("extra"), None);
    }

    #[test]
    fn vendor_shape_is_the_servers_own_reply() {
        let body = r#"{"code":"0","data":"发送成功"}"#;
        assert_eq!(
            parse(Op::Send, 200, body).vendor,
            json::parse(body).unwrap()
        );
        let body = r#"{"code":108,"data":"余额不足"}"#;
        assert_eq!(
            parse(Op::Send, 200, body).vendor,
            json::parse(body).unwrap()
        );
    }

    #[test]
    fn every_server_code_maps_to_its_entry() {
        for code in [100, 101, 105, 106, 107, 108, 109, 110, 111, 117, 1000] {
            let body = format!(r#"{{"code":{code},"data":"原文"}}"#);
            let r = parse(Op::Send, 200, &body);
            let e = r.result.unwrap_err();
            assert_eq!(e.code, code);
            assert_eq!(e.entry.code, code);
            assert_eq!(e.detail, "原文");
        }
        assert_eq!(
            err(Op::Send, 200, r#"{"code":"110","data":"x"}"#),
            (110, "auth")
        );
        assert_eq!(
            err(Op::Send, 200, r#"{"code":4242,"data":"?"}"#),
            (4242, "server")
        );
    }

    #[test]
    fn hostile_replies_are_typed_errors() {
        let html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
        assert_eq!(err(Op::Send, 502, html), (9102, "http"));
        assert_eq!(err(Op::Send, 200, html), (9103, "reply"));
        assert_eq!(err(Op::Send, 404, r#"{"code":0}"#), (9102, "http"));
        for body in [
            "",
            "   \n",
            "{\"code\":0,",
            "{\"code\":0,\"da",
            "\"发送成功\"",
            "[0]",
            "null",
            "{}",
            "{\"data\":\"x\"}",
            "{\"code\":\"zero\"}",
            "{\"code\":0.5}",
            "{\"code\":true}",
            "{\"code\":1e99}",
            "{\"code\":0}\u{0}",
            "\u{0}\u{0}\u{0}",
        ] {
            assert_eq!(err(Op::Send, 200, body), (9103, "reply"), "{body:?}");
        }
        assert_eq!(
            err(Op::Balance, 200, r#"{"code":0,"data":"many"}"#),
            (9103, "reply")
        );
        assert_eq!(
            err(Op::Balance, 200, r#"{"code":0,"data":1.5}"#),
            (9103, "reply")
        );
        assert_eq!(err(Op::Balance, 200, r#"{"code":0}"#), (9103, "reply"));
        assert_eq!(
            err(Op::FindSmsByMessageId, 200, r#"{"code":0,"data":"x"}"#),
            (9103, "reply")
        );
    }

    #[test]
    fn huge_and_deep_replies_do_not_hurt() {
        let huge = format!(r#"{{"code":0,"data":"{}"}}"#, "x".repeat(5 << 20));
        assert_eq!(err(Op::Send, 200, &huge), (9103, "reply"));
        let deep = format!(r#"{{"code":0,"data":{}}}"#, "[".repeat(200_000));
        assert_eq!(err(Op::Send, 200, &deep), (9103, "reply"));
    }
}
