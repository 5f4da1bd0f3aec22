//! The `#[wasm_bindgen]` layer: one export per function of `api`, nothing else. Only strings,
//! byte slices and small numbers cross, so the glue needs no JS object heap, no externref
//! table and no BigInt (docs/runtime.md, "The JavaScript environment"; docs/toolchain.md, trap 4).

use wasm_bindgen::prelude::wasm_bindgen;

use crate::api;

#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(op: &str, config: &str, params: &str) -> String {
    api::build_request(op, config, params)
}

#[wasm_bindgen(js_name = parseReply)]
pub fn parse_reply(op: &str, status: u16, body: &str) -> String {
    api::parse_reply(op, status, body)
}

#[wasm_bindgen(js_name = errorInfo)]
pub fn error_info(code: i32, detail: &str) -> String {
    api::error_info(code, detail)
}

#[wasm_bindgen(js_name = errorTable)]
pub fn error_table() -> String {
    api::error_table()
}

#[wasm_bindgen(js_name = codeIssue)]
pub fn code_issue(input: &str, entropy: &[u8]) -> String {
    api::code_issue(input, entropy)
}

#[wasm_bindgen(js_name = codeVerify)]
pub fn code_verify(input: &str) -> String {
    api::code_verify(input)
}

// Tencent Cloud SMS (src/api.rs `tencent_*`): only in the server wasm, so the mini-program's
// module carries no signing code and no Tencent table rows.
#[cfg(feature = "server")]
#[wasm_bindgen(js_name = tencentBuildRequest)]
pub fn tencent_build_request(config: &str, params: &str, now_seconds: f64) -> String {
    api::tencent_build_request(config, params, now_seconds)
}

#[cfg(feature = "server")]
#[wasm_bindgen(js_name = tencentParseReply)]
pub fn tencent_parse_reply(status: u16, body: &str) -> String {
    api::tencent_parse_reply(status, body)
}

/// A Tencent set-up's problems, each as `field` and `problem` (src/api.rs
/// `tencent_check_config`): server module only.
#[cfg(feature = "server")]
#[wasm_bindgen(js_name = tencentCheckConfig)]
pub fn tencent_check_config(setup: &str) -> String {
    api::tencent_check_config(setup)
}

/// A phone number's canonical form (src/api.rs `normalize_number`): server module only.
#[cfg(feature = "server")]
#[wasm_bindgen(js_name = normalizeNumber)]
pub fn normalize_number(raw: &str) -> String {
    api::normalize_number(raw)
}

/// A limit's use: the slots to store or the refusal (src/api.rs `limits_take`): server only.
#[cfg(feature = "server")]
#[wasm_bindgen(js_name = limitsTake)]
pub fn limits_take(input: &str) -> String {
    api::limits_take(input)
}

/// A limit's use given back (src/api.rs `limits_give`): server module only.
#[cfg(feature = "server")]
#[wasm_bindgen(js_name = limitsGive)]
pub fn limits_give(input: &str) -> String {
    api::limits_give(input)
}

/// The parts a carrier bills for an SMS of `text` (src/api.rs `sms_parts`): server module only.
#[cfg(feature = "server")]
#[wasm_bindgen(js_name = smsParts)]
pub fn sms_parts(text: &str) -> String {
    api::sms_parts(text)
}

/// A Zhenzi configuration's problem as `field` and `problem` (src/api.rs `check_config`).
#[cfg(feature = "server")]
#[wasm_bindgen(js_name = checkConfig)]
pub fn check_config(config: &str) -> String {
    api::check_config(config)
}

/// The kinds and verification outcomes (src/api.rs `vocabulary`): server module only.
#[cfg(feature = "server")]
#[wasm_bindgen]
pub fn vocabulary() -> String {
    api::vocabulary()
}

// A free-list allocator of a few hundred bytes instead of std's dlmalloc (~5.7 KB): the module
// is single-threaded and its allocations are small and short-lived (`./build.sh bench` checks
// that memory stays flat over 100k calls).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread only.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
