//! The wasm test bodies under Node (`wasm-pack test --node`).
#![cfg(target_arch = "wasm32")]

#[path = "wasm/cases.rs"]
mod cases;
