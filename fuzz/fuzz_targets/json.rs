//! The JSON reader: never panics, and what it reads it writes back so that reading the
//! writing gives the same value (round trip), through the facade's text too.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhenzisms::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(value) = json::parse(text) {
        let written = value.text();
        let again = json::parse(&written).expect("the reader reads what the writer wrote");
        assert_eq!(again, value, "round trip of {text:?}");
        assert_eq!(again.text(), written, "writing is stable");
    }
});
