//! A small JSON reader and writer.
//!
//! Every value crossing the wasm boundary is a JSON string, so the core needs to read replies
//! and arguments and write results. serde_json would add ~14 KB of brotli to a package whose
//! whole budget is 36 KB (docs/contributing.md, "Budgets"; docs/toolchain.md, trap 8), so this
//! is the minimum that is correct: RFC 8259,
//! surrogate pairs, a depth limit (a hostile reply must not overflow the wasm stack), and no
//! panics on any input.

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Nesting deeper than this is refused: Zhenzi replies are two levels deep.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number as written: kept as text so it is written back unchanged and the wasm needs
    /// no float formatting or exact float parsing code (together ~20 KB).
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    /// Keys keep their order; a repeated key keeps its last value when read with `get`.
    Obj(Vec<(String, Json)>),
}

impl Json {
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(fields) => fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Num(text) => number_value(text),
            _ => None,
        }
    }

    /// A number made in Rust: always an integer here (codes, counts, milliseconds), so a
    /// fractional or out-of-range value is rounded rather than formatted.
    pub fn num(n: f64) -> Json {
        if n.is_finite() && n.abs() < 9.007_199_254_740_992e15 {
            Json::Num(int_text(n.round() as i64))
        } else {
            Json::Null
        }
    }

    /// A string field, treating null and absence alike (the SDKs send `''` for absent fields).
    pub fn str_field(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Json::as_str)
    }

    pub fn obj(fields: Vec<(&str, Json)>) -> Json {
        Json::Obj(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(text) => out.push_str(text),
            Json::Str(s) => write_string(s, out),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

impl Json {
    /// Compact text, as `JSON.stringify` writes it. (Not through `Display`: that would pull
    /// `core::fmt` into the wasm.)
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

impl std::fmt::Display for Json {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// Decimal text of an integer. Written by hand, like everything textual here, so the wasm
/// carries none of `core::fmt` (formatting machinery costs kilobytes).
pub fn int_text(n: i64) -> String {
    let mut digits = Vec::new();
    let mut rest = n.unsigned_abs();
    loop {
        digits.push(b'0' + (rest % 10) as u8);
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        digits.push(b'-');
    }
    digits.iter().rev().map(|&b| b as char).collect()
}

/// The value of a JSON number text (`-12`, `0.5`, `1e3`), or `None` if it is not one.
/// Integers up to 2^53 are exact; fractions may differ from a correctly rounded parse in the
/// last bit, which no value of this API depends on.
pub fn number_value(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = 0;
    let negative = b.first() == Some(&b'-');
    if negative {
        i += 1;
    }
    let (mut mantissa, mut exp) = (0f64, 0i32);
    let int_start = i;
    while let Some(d @ b'0'..=b'9') = b.get(i) {
        mantissa = mantissa * 10.0 + f64::from(d - b'0');
        i += 1;
    }
    let int_digits = i - int_start;
    if int_digits == 0 || (int_digits > 1 && b[int_start] == b'0') {
        return None; // no digits, or a leading zero
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while let Some(d @ b'0'..=b'9') = b.get(i) {
            mantissa = mantissa * 10.0 + f64::from(d - b'0');
            exp -= 1;
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let sign = match b.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let start = i;
        let mut e = 0i32;
        while let Some(d @ b'0'..=b'9') = b.get(i) {
            e = e.saturating_mul(10).saturating_add(i32::from(d - b'0'));
            i += 1;
        }
        if i == start {
            return None;
        }
        exp = exp.saturating_add(sign * e);
    }
    if i != b.len() {
        return None;
    }
    let scale = 10f64.powi(exp.unsigned_abs().min(400) as i32);
    let value = if exp < 0 {
        mantissa / scale
    } else {
        mantissa * scale
    };
    Some(if negative { -value } else { value })
}

pub fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Why a text is not JSON; `as_str` is short, it ends up in an error's `detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    BadUnicodeEscape,
    BadEscape,
    BadSurrogatePair,
    ControlCharacter,
    ExpectedCommaOrBracket,
    ExpectedCommaOrBrace,
    ExpectedColon,
    ExpectedKey,
    LoneSurrogate,
    MalformedNumber,
    TooDeep,
    ShortUnicodeEscape,
    TrailingCharacters,
    UnexpectedCharacter,
    UnexpectedEnd,
    UnterminatedString,
}

impl ParseError {
    /// In the order of the variants (indexed: smaller than a match in wasm).
    pub fn as_str(self) -> &'static str {
        const TEXTS: [&str; 16] = [
            "bad \\u escape",
            "bad escape",
            "bad surrogate pair",
            "control character in string",
            "expected ',' or ']'",
            "expected ',' or '}'",
            "expected ':'",
            "expected a string key",
            "lone surrogate",
            "malformed number",
            "nested too deeply",
            "short \\u escape",
            "trailing characters after the JSON value",
            "unexpected character",
            "unexpected end of input",
            "unterminated string",
        ];
        TEXTS[self as usize]
    }
}

pub fn parse(text: &str) -> Result<Json, ParseError> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        pos: 0,
    };
    p.skip_ws();
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos != p.bytes.len() {
        return Err(ParseError::TrailingCharacters);
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, literal: &str, value: Json) -> Result<Json, ParseError> {
        if self.bytes[self.pos..].starts_with(literal.as_bytes()) {
            self.pos += literal.len();
            Ok(value)
        } else {
            Err(ParseError::UnexpectedCharacter)
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError::TooDeep);
        }
        match self.peek() {
            None => Err(ParseError::UnexpectedEnd),
            Some(b'n') => self.eat("null", Json::Null),
            Some(b't') => self.eat("true", Json::Bool(true)),
            Some(b'f') => self.eat("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(ParseError::UnexpectedCharacter),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, ParseError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Arr(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Arr(items));
                }
                _ => return Err(ParseError::ExpectedCommaOrBracket),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, ParseError> {
        self.pos += 1;
        let mut fields = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Obj(fields));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(ParseError::ExpectedKey);
            }
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(ParseError::ExpectedColon);
            }
            self.pos += 1;
            self.skip_ws();
            fields.push((key, self.value(depth + 1)?));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Obj(fields));
                }
                _ => return Err(ParseError::ExpectedCommaOrBrace),
            }
        }
    }

    fn number(&mut self) -> Result<Json, ParseError> {
        let start = self.pos;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        // The run is ASCII by construction; `number_value` checks the grammar.
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or_default();
        match number_value(text) {
            Some(_) => Ok(Json::Num(text.to_string())),
            None => Err(ParseError::MalformedNumber),
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character in one go.
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The input is a &str and the run stops only at ASCII bytes, so it is valid UTF-8.
            out.push_str(std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or_default());
            match self.peek() {
                None => return Err(ParseError::UnterminatedString),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return Err(ParseError::ControlCharacter),
            }
        }
    }

    fn escape(&mut self) -> Result<char, ParseError> {
        let b = self.peek().ok_or(ParseError::UnterminatedString)?;
        self.pos += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => return Err(ParseError::BadEscape),
        })
    }

    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) {
            // A high surrogate must be followed by an escaped low one.
            if self.bytes[self.pos..].starts_with(b"\\u") {
                self.pos += 2;
                let second = self.hex4()?;
                if (0xDC00..0xE000).contains(&second) {
                    let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                    return char::from_u32(c).ok_or(ParseError::BadSurrogatePair);
                }
            }
            return Err(ParseError::LoneSurrogate);
        }
        char::from_u32(first).ok_or(ParseError::LoneSurrogate)
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or(ParseError::ShortUnicodeEscape)?;
        let mut value = 0;
        for &d in digits {
            let v = (d as char)
                .to_digit(16)
                .ok_or(ParseError::BadUnicodeEscape)?;
            value = value * 16 + v;
        }
        self.pos += 4;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vendor_replies() {
        let v = parse(r#"{"code":0,"data":"发送成功"}"#).unwrap();
        assert_eq!(v.get("code"), Some(&Json::num(0.0)));
        assert_eq!(v.str_field("data"), Some("发送成功"));
        let v = parse(r#" {"code" : 0 , "data" : {"a":[1,-2.5e3,true,false,null]}} "#).unwrap();
        assert_eq!(
            v.get("data").unwrap().get("a"),
            Some(&Json::Arr(vec![
                Json::num(1.0),
                Json::Num("-2.5e3".into()),
                Json::Bool(true),
                Json::Bool(false),
                Json::Null
            ]))
        );
    }

    #[test]
    fn escapes_and_surrogates() {
        let v = parse(r#"["\u9a8c\u8bc1\u7801", "a\/b", "\ud83d\ude00", "\"\\\n"]"#).unwrap();
        assert_eq!(
            v,
            Json::Arr(vec![
                Json::str("验证码"),
                Json::str("a/b"),
                Json::str("😀"),
                Json::str("\"\\\n")
            ])
        );
        assert_eq!(parse(r#""\ud83d""#), Err(ParseError::LoneSurrogate));
        assert_eq!(parse(r#""\ude00""#), Err(ParseError::LoneSurrogate));
        assert_eq!(parse(r#""\u12""#), Err(ParseError::ShortUnicodeEscape));
        assert_eq!(parse(r#""\x""#), Err(ParseError::BadEscape));
    }

    #[test]
    fn refuses_what_is_not_json() {
        use ParseError::*;
        for (bad, why) in [
            ("", UnexpectedEnd),
            (" ", UnexpectedEnd),
            ("{", ExpectedKey),
            ("{\"code\":0,", ExpectedKey),
            ("{\"code\":0,\"data\":\"x\"", ExpectedCommaOrBrace),
            (
                "<html><body>502 Bad Gateway</body></html>",
                UnexpectedCharacter,
            ),
            ("{code:0}", ExpectedKey),
            ("[1,]", UnexpectedCharacter),
            ("01", MalformedNumber),
            ("1.", MalformedNumber),
            ("-", MalformedNumber),
            ("1e", MalformedNumber),
            ("nul", UnexpectedCharacter),
            ("\"a\u{0}b\"", ControlCharacter),
            ("{\"a\":1}x", TrailingCharacters),
            ("\u{0}", UnexpectedCharacter),
        ] {
            assert_eq!(parse(bad), Err(why), "{bad:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        assert_eq!(parse(&deep), Err(ParseError::TooDeep));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn writes_what_json_parse_reads() {
        let v = Json::obj(vec![
            ("s", Json::str("引号\" 反斜杠\\ \u{1} 换行\n 😀")),
            ("n", Json::num(537.0)),
            ("f", Json::Num("0.5".into())),
            ("nan", Json::num(f64::NAN)),
            ("a", Json::Arr(vec![Json::Null, Json::Bool(true)])),
        ]);
        let text = v.to_string();
        assert_eq!(
            text,
            "{\"s\":\"引号\\\" 反斜杠\\\\ \\u0001 换行\\n 😀\",\"n\":537,\"f\":0.5,\"nan\":null,\"a\":[null,true]}"
        );
        let back = parse(&text).unwrap();
        assert_eq!(back.str_field("s"), v.str_field("s"));
    }

    #[test]
    fn number_values() {
        for (text, value) in [
            ("0", 0.0),
            ("-0", -0.0),
            ("537", 537.0),
            ("-2.5e3", -2500.0),
            ("1E+2", 100.0),
            ("0.5", 0.5),
            ("9007199254740991", 9_007_199_254_740_991.0),
            ("1e999", f64::INFINITY),
        ] {
            assert_eq!(number_value(text), Some(value), "{text}");
        }
        assert!((number_value("0.1").unwrap() - 0.1).abs() < 1e-15);
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1.2.3", "0x10", "1 ",
        ] {
            assert_eq!(number_value(bad), None, "{bad}");
        }
        assert_eq!(Json::num(1_764_000_000_123.0).to_string(), "1764000000123");
        assert_eq!(Json::num(2.6).to_string(), "3");
        for n in [0, 7, -7, 10, 1234567890123, i64::MIN, i64::MAX] {
            assert_eq!(int_text(n), n.to_string());
        }
    }

    #[test]
    fn repeated_keys_keep_the_last() {
        let v = parse(r#"{"code":1,"code":0}"#).unwrap();
        assert_eq!(v.get("code"), Some(&Json::num(0.0)));
    }
}
