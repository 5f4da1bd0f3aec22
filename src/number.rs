//! One identity per phone number. Limits, records and comparisons are keyed on the number, so
//! every spelling of one phone must give one key: `+86 138…`, `+86\t138…`, `0086-138…`,
//! `(+86)138 0013 8000`, full-width digits and spaces all become `13800138000`. Anything that is
//! not then an 11-digit mainland mobile number (`1[3-9]` + 9 digits) is refused with 100.

use crate::errors::{Error, PARAM_FORMAT};

/// Longer input is refused before it is looked at: no phone number needs 64 characters.
const MAX_RAW_CHARS: usize = 64;

/// Separators people type or paste: white space of every kind, dashes, dots and brackets
/// (also full-width), zero-width characters. A table, not a `match`: it keeps the wasm small.
const SEPARATORS: [char; 33] = [
    '\t', '\n', '\u{b}', '\u{c}', '\r', ' ', '-', '.', '(', ')', '\u{a0}', '\u{1680}', '\u{2000}',
    '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}',
    '\u{2009}', '\u{200a}', '\u{200b}', '\u{2010}', '\u{2013}', '\u{202f}', '\u{205f}', '\u{3000}',
    '\u{feff}', '\u{ff08}', '\u{ff09}', '\u{ff0d}',
];

fn bad() -> Error {
    Error::new(
        PARAM_FORMAT,
        "number must be an 11-digit mainland mobile number starting with 13-19",
    )
}

/// The canonical 11-digit form of a mainland mobile number, or 100.
pub fn normalise(raw: &str) -> Result<String, Error> {
    let mut d: Vec<u8> = Vec::with_capacity(16);
    let mut plus = false;
    for (i, c) in raw.chars().enumerate() {
        match c {
            _ if i >= MAX_RAW_CHARS => return Err(bad()),
            '0'..='9' => d.push(c as u8),
            // Full-width digits and plus (IME input).
            '\u{ff10}'..='\u{ff19}' => d.push(b'0' + (c as u32 - 0xff10) as u8),
            '+' | '\u{ff0b}' if d.is_empty() && !plus => plus = true,
            _ if SEPARATORS.contains(&c) => {}
            _ => return Err(bad()),
        }
    }
    if d.is_empty() && !plus {
        return Err(Error::new(PARAM_FORMAT, "number is empty"));
    }
    // The country code, written +86, 0086 or 86 before the 11 digits.
    let skip = match (plus, d.len(), d.get(..2)) {
        (true, _, Some(b"86")) => 2,
        (true, _, _) => return Err(bad()),
        (false, 15, _) if d.starts_with(b"0086") => 4,
        (false, 13, Some(b"86")) => 2,
        _ => 0,
    };
    let n = &d[skip..];
    if n.len() == 11 && n[0] == b'1' && (b'3'..=b'9').contains(&n[1]) {
        Ok(n.iter().map(|&b| b as char).collect())
    } else {
        Err(bad())
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
}
