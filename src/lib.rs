//! zhenzisms: the sans-IO core of a Zhenzi (榛子云短信) SMS SDK for WeChat mini-programs and
//! cloud functions. It builds requests, validates input, parses replies and runs the
//! verification-code logic; the JavaScript shim moves the bytes.
//!
//! Every module but `wasm` is plain Rust, tested natively with `cargo test`.

pub mod api;
pub mod code;
pub mod endpoints;
pub mod errors;
pub mod form;
pub mod json;
pub mod number;
#[cfg(test)]
mod oracles;
pub mod policy;
pub mod reply;
pub mod request;
pub mod sha256;
pub mod tc3;
pub mod tencent;
pub mod validate;
pub mod wasm;
