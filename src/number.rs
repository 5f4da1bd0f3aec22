//! One identity per phone number. Limits, records and comparisons are keyed on the number, so
//! every spelling of one phone must give one key: `+86 138…`, `+86\t138…`, `0086-138…`,
//! `(+86)138 0013 8000`, full-width digits and spaces all become `13800138000`. Anything that is
//! not then an 11-digit mainland mobile number (`1[3-9]` + 9 digits) is refused with 100.

use crate::errors::{Error, PARAM_FORMAT};

/// Longer input is refused before it is looked at: no phone number needs 64 characters.
const MAX_RAW_CHARS: usize = 64;

/// The ASCII form of one character, `None` for a separator that is dropped, or `Some('?')`
/// for anything that cannot be part of a number.
fn canonical(c: char) -> Option<char> {
    match c {
        '0'..='9' | '+' => Some(c),
        // Full-width digits and plus (IME input).
        '\u{ff10}'..='\u{ff19}' => char::from_u32(c as u32 - 0xff10 + '0' as u32),
        '\u{ff0b}' => Some('+'),
        // Separators people type or paste: spaces of every kind, dashes, dots, brackets,
        // zero-width characters.
        '-' | '.' | '(' | ')' | '\u{2010}'..='\u{2015}' | '\u{ff0d}' | '\u{ff08}' | '\u{ff09}' => {
            None
        }
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => None,
        c if c.is_whitespace() => None,
        _ => Some('?'),
    }
}

/// The canonical 11-digit form of a mainland mobile number, or 100.
pub fn normalise(raw: &str) -> Result<String, Error> {
    if raw.chars().nth(MAX_RAW_CHARS).is_some() {
        return Err(Error::new(PARAM_FORMAT, "number is too long"));
    }
    let plain: String = raw.chars().filter_map(canonical).collect();
    if plain.is_empty() {
        return Err(Error::new(PARAM_FORMAT, "number is empty"));
    }
    // The country code, written +86, 0086 or 86 before the 11 digits.
    let digits = ["+86", "0086"]
        .iter()
        .find_map(|p| plain.strip_prefix(p))
        .or_else(|| plain.strip_prefix("86").filter(|d| d.len() == 11))
        .unwrap_or(&plain);
    let b = digits.as_bytes();
    let ok = b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1]);
    if ok {
        Ok(digits.to_string())
    } else {
        Err(Error::new(
            PARAM_FORMAT,
            "number must be an 11-digit mainland mobile number starting with 13-19",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_one_phone_is_one_number() {
        for spelling in [
            "13800138000",
            " 13800138000\n",
            "+8613800138000",
            "+86 13800138000",
            "+86\t13800138000",
            "+86\u{3000}13800138000",
            "+86\u{a0}138 0013 8000",
            "0086-138-0013-8000",
            "8613800138000",
            "(+86) 138.0013.8000",
            "＋８６１３８００１３８０００",
            "１３８ ００１３ ８０００",
            "\u{feff}138\u{200b}00138000",
            "138（0013）8000",
        ] {
            assert_eq!(
                normalise(spelling).as_deref(),
                Ok("13800138000"),
                "{spelling:?}"
            );
        }
    }

    #[test]
    fn what_is_not_a_mainland_mobile_number_is_refused() {
        for bad in [
            "",
            " \u{3000} ",
            "1380013800",
            "138001380001",
            "12800138000",
            "23800138000",
            "+1 13800138000",
            "+8613800138000x",
            "86138001380",
            "+86+8613800138000",
            "138 0013 800a",
            "١٣٨٠٠١٣٨٠٠٠", // Arabic-Indic digits are not accepted
            &"1".repeat(65),
        ] {
            assert_eq!(normalise(bad).unwrap_err().code, 100, "{bad:?}");
        }
    }

    #[test]
    fn agrees_with_the_request_rule_on_what_that_accepts() {
        for n in [
            "15811112222",
            " 15811112222 ",
            "+86 19911112222",
            "+8613011112222",
        ] {
            assert_eq!(normalise(n).ok(), crate::validate::number(n).ok(), "{n:?}");
        }
    }
}
