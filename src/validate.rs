//! Input checks made before a request is spent. Each returns the cleaned value or a typed
//! error whose `detail` says which rule failed (never echoing a secret).

use crate::errors::{Error, CONFIG, CONTENT_TOO_LONG, PARAM_FORMAT};
use crate::json::{int_text, Json};

pub const MAX_MESSAGE_CHARS: usize = 1000;

/// 1..=1000 characters (Unicode scalar values, as the vendor counts 字, not bytes).
pub fn message(raw: &str) -> Result<&str, Error> {
    if raw.trim().is_empty() {
        return Err(Error::new(PARAM_FORMAT, "message is empty"));
    }
    let chars = raw.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(Error::new(
            CONTENT_TOO_LONG,
            [
                "message has ",
                &int_text(chars as i64),
                " characters; at most ",
                &int_text(MAX_MESSAGE_CHARS as i64),
            ]
            .concat(),
        ));
    }
    Ok(raw)
}

/// Warnings: input the server accepts but that is probably not what the caller meant. The
/// value is sent as written (as the vendor SDKs did); hosts print each text once while
/// developing. Chinese first, English after, like every text a Chinese user may read.
pub const WARN_CLIENT_IP: &str =
    "clientIp 不是 IP 地址，已原样发送 / clientIp is not an IP address; sent as is";
pub const WARN_MESSAGE_ID_NUMBER: &str =
    "messageId 是数字，已按文本发送 / messageId is a number; sent as text";
pub const WARN_NO_CODE: &str =
    "短信内容没有 {code}，已原样发送 / the message has no {code}; sent as is";
pub const WARN_EMPTY_PARAMS: &str = "templateParams 为空 / templateParams is empty";

/// Optional (`''` = absent). Sent as written: the server refuses none we know of (the vendor
/// documents only "unique").
pub fn message_id(raw: &str) -> String {
    raw.to_string()
}

/// Required (the server answers 100 for an empty one); anything else goes to the server, which
/// answers 117 for an unknown template.
pub fn template_id(raw: &str) -> Result<String, Error> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Error::new(PARAM_FORMAT, "templateId is empty"));
    }
    Ok(value.to_string())
}

/// Optional; the end user's address, for the vendor's per-IP cap. Sent as written; one that
/// is not an IPv4 or IPv6 literal earns a warning.
pub fn client_ip(raw: &str, warn: &mut Vec<&'static str>) -> String {
    let value = raw.trim();
    let ipv4 = value.split('.').count() == 4
        && value
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok());
    let ipv6 = value.contains(':')
        && value.len() <= 45
        && value
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    if !(value.is_empty() || ipv4 || ipv6) {
        warn.push(WARN_CLIENT_IP);
    }
    raw.to_string()
}

/// `templateParams`: absent, null, or an array whose items are strings or finite numbers
/// (numbers are written as JavaScript prints them: `5`, `2.5`), serialised as the JSON array
/// string the server parses. A string holding such an array is taken as it is: vendor E wrote
/// the array back into the caller's object as that string, so a page that sends the same object
/// twice passes it. Booleans, null items and objects are refused; an empty array is sent with a
/// warning.
pub fn template_params(
    value: Option<&Json>,
    warn: &mut Vec<&'static str>,
) -> Result<String, Error> {
    let bad = |detail| Err(Error::new(PARAM_FORMAT, detail));
    let parsed;
    let items = match value {
        None | Some(Json::Null) => return Ok(String::new()),
        Some(Json::Arr(items)) => items,
        Some(Json::Str(text)) => match crate::json::parse(text) {
            Ok(Json::Arr(items)) => {
                parsed = items;
                &parsed
            }
            _ => return bad("templateParams must be an array of strings"),
        },
        Some(_) => return bad("templateParams must be an array of strings"),
    };
    let mut strings = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Json::Str(s) => strings.push(Json::Str(s.clone())),
            Json::Num(text) => strings.push(Json::Str(text.clone())),
            _ => return bad("templateParams items must be strings (or numbers)"),
        }
    }
    if strings.is_empty() {
        warn.push(WARN_EMPTY_PARAMS);
    }
    Ok(Json::Arr(strings).text())
}

/// Where `needle` first stands in `hay`. A plain byte scan: std's substring search (Two-Way) is
/// ~2 KB of wasm, and these texts are short.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

/// `https://host[:port][/path]`, trailing slashes removed. Plain `http://` is allowed only for
/// loopback hosts (tests, the local sandbox), so credentials never cross a network in clear.
pub fn base_url(raw: &str, what: &'static str) -> Result<String, Error> {
    let value = raw.trim().trim_end_matches('/');
    let bad =
        || Error::new(CONFIG, [what, " must be an https:// URL"].concat()).at(what, "malformed");
    let at = find(value, "://").ok_or_else(bad)?;
    let (scheme, rest) = (&value[..at], &value[at + 3..]);
    let host_port = rest.split('/').next().unwrap_or("");
    let host = if host_port.starts_with('[') {
        host_port.split(']').next().map(|h| &h[1..]).unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let clean = !host.is_empty()
        && !value.contains(['?', '#', ' ', '@'])
        && value.bytes().all(|b| b.is_ascii_graphic());
    let loopback = crate::endpoints::is_loopback(host);
    match scheme {
        "https" if clean => Ok(value.to_string()),
        "http" if clean && loopback => Ok(value.to_string()),
        "http" if clean => Err(Error::new(
            CONFIG,
            [what, " must use https:// (plain http only for loopback)"].concat(),
        )
        .at(what, "not_https")),
        _ => Err(bad()),
    }
}

/// appId / appSecret: present and without surrounding white space (a pasted newline is the
/// usual cause of 110). The secret's value never appears in the error.
pub fn credential(raw: &str, what: &'static str) -> Result<String, Error> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Error::new(CONFIG, [what, " is empty"].concat()).at(what, "missing"));
    }
    if value.chars().any(char::is_control) {
        return Err(
            Error::new(CONFIG, [what, " contains control characters"].concat())
                .at(what, "control_characters"),
        );
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of<T: std::fmt::Debug>(r: Result<T, Error>) -> i32 {
        r.unwrap_err().code
    }

    #[test]
    fn find_is_the_first_byte_offset() {
        assert_eq!(find("https://a.b", "://"), Some(5));
        assert_eq!(find("验证码{code}，{code}", "{code}"), Some(9));
        assert_eq!(find("abc", ""), Some(0));
        assert_eq!(find("ab", "abc"), None);
        assert_eq!(find("a:/b", "://"), None);
    }

    #[test]
    fn message_length_counts_characters_not_bytes() {
        let at_limit = "验".repeat(1000);
        assert!(message(&at_limit).is_ok());
        assert_eq!(code_of(message(&"验".repeat(1001))), 101);
        assert!(message(&"😀".repeat(1000)).is_ok());
        assert_eq!(code_of(message(&"😀".repeat(1001))), 101);
        assert_eq!(code_of(message(&"a".repeat(1001))), 101);
        assert_eq!(code_of(message("")), 100);
        assert_eq!(code_of(message(" \n ")), 100);
        assert_eq!(message("a").unwrap(), "a");
    }

    #[test]
    fn ids_and_client_ips_are_sent_as_written() {
        assert_eq!(message_id(" order-1:a_b.c "), " order-1:a_b.c ");
        assert_eq!(message_id("订单 1"), "订单 1");
        let mut warn = Vec::new();
        assert_eq!(code_of(template_id("")), 100);
        assert_eq!(code_of(template_id("  ")), 100);
        assert_eq!(template_id("1001").unwrap(), "1001");
        assert_eq!(template_id("模板 1").unwrap(), "模板 1");
        for ok in [
            "",
            "1.2.3.4",
            "255.255.255.255",
            "::1",
            "2001:db8::8a2e:370:7334",
        ] {
            assert_eq!(client_ip(ok, &mut warn), ok);
        }
        assert!(warn.is_empty(), "{warn:?}");
        for odd in ["10", "1.2.3", "256.1.1.1", "a.b.c.d", "localhost"] {
            let mut warn = Vec::new();
            assert_eq!(client_ip(odd, &mut warn), odd);
            assert_eq!(warn, [WARN_CLIENT_IP], "{odd}");
        }
    }

    #[test]
    fn template_params_become_a_json_array_string() {
        let parse = |s: &str| crate::json::parse(s).unwrap();
        let mut warn = Vec::new();
        let mut tp = |v: Option<&Json>| template_params(v, &mut warn);
        assert_eq!(tp(None).unwrap(), "");
        assert_eq!(tp(Some(&Json::Null)).unwrap(), "");
        assert_eq!(
            tp(Some(&parse(r#"["2323", 5, 2.5, "引号\"", ""]"#))).unwrap(),
            r#"["2323","5","2.5","引号\"",""]"#
        );
        // Vendor E's write-back: the array as a JSON string.
        assert_eq!(
            tp(Some(&Json::str(r#"["2323","5分钟"]"#))).unwrap(),
            r#"["2323","5分钟"]"#
        );
        assert!(warn.is_empty(), "{warn:?}");
        for bad in [
            r#""2323""#,
            r#"[true]"#,
            r#"[null]"#,
            r#"[["a"]]"#,
            r#"{"1":"a"}"#,
            r#""[true]""#,
        ] {
            assert_eq!(
                code_of(template_params(Some(&parse(bad)), &mut warn)),
                100,
                "{bad}"
            );
        }
        assert_eq!(
            template_params(Some(&parse("[]")), &mut warn).unwrap(),
            "[]"
        );
        assert_eq!(warn, [WARN_EMPTY_PARAMS]);
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            base_url(" https://sms_developer.zhenzikj.com/ ", "apiUrl").unwrap(),
            "https://sms_developer.zhenzikj.com"
        );
        assert_eq!(
            base_url("http://127.0.0.1:8787", "apiUrl").unwrap(),
            "http://127.0.0.1:8787"
        );
        assert!(base_url("http://localhost:1", "x").is_ok());
        assert!(base_url("http://[::1]:1", "x").is_ok());
        for bad in [
            "",
            "sms.zhenzikj.com",
            "http://sms.zhenzikj.com",
            "ftp://sms.zhenzikj.com",
            "https://",
            "https://a b",
            "https://evil@sms.zhenzikj.com",
            "https://sms.zhenzikj.com?x=1",
            "http://127.evil.example",
            "http://127.0.0.1.evil.example:80",
        ] {
            assert_eq!(code_of(base_url(bad, "apiUrl")), 9001, "{bad}");
        }
    }

    #[test]
    fn credentials_never_echo_their_value() {
        assert_eq!(credential(" 10001\n", "appId").unwrap(), "10001");
        let e = credential("s3cr\u{7}et", "appSecret").unwrap_err();
        assert_eq!(e.code, 9001);
        assert!(!e.detail.contains("s3cr"));
        assert_eq!(code_of(credential("  ", "appSecret")), 9001);
    }
}
