//! `application/x-www-form-urlencoded` encoding, byte for byte as browsers and the vendor
//! SDKs produce it: UTF-8, `A-Z a-z 0-9 * - . _` kept, space as `+`, the rest `%XX`.

pub fn encode_component(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
}

/// `k1=v1&k2=v2…` in the order given.
pub fn encode(fields: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_component(k, &mut out);
        out.push('=');
        encode_component(v, &mut out);
    }
    out
}

#[cfg(test)]
pub fn decode(body: &str) -> Vec<(String, String)> {
    // Test helper: the inverse, to prove round trips.
    fn unescape(s: &str) -> String {
        let mut bytes = Vec::new();
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'+' => bytes.push(b' '),
                b'%' => {
                    bytes.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                    i += 2;
                }
                c => bytes.push(c),
            }
            i += 1;
        }
        String::from_utf8(bytes).unwrap()
    }
    body.split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            (unescape(k), unescape(v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_a_browser_form() {
        assert_eq!(
            encode(&[("message", "您的验证码为2323"), ("number", "15811112222")]),
            "message=%E6%82%A8%E7%9A%84%E9%AA%8C%E8%AF%81%E7%A0%81%E4%B8%BA2323&number=15811112222"
        );
        assert_eq!(
            encode(&[("a", "x y+z&w=v%*-._~")]),
            "a=x+y%2Bz%26w%3Dv%25*-._%7E"
        );
        assert_eq!(encode(&[("e", "😀\n\r\t")]), "e=%F0%9F%98%80%0A%0D%09");
        assert_eq!(encode(&[("empty", ""), ("k", "v")]), "empty=&k=v");
    }

    #[test]
    fn round_trips_every_awkward_character() {
        let nasty = "验证码 😀 + & = % ? # / \\ \" ' \n\r\t 𠀀 \u{0}";
        let body = encode(&[("message", nasty), ("k&=", "v")]);
        assert!(body.is_ascii());
        assert_eq!(
            decode(&body),
            vec![("message".into(), nasty.into()), ("k&=".into(), "v".into())]
        );
    }
}
