#!/usr/bin/env bash
# zhenzisms-wasm build and test entry point.
#
#   ./build.sh          install what is missing, build dist/, run the main job end to end
#                       (send a verification code to the local sandbox, read it, verify it)
#   ./build.sh test     every suite: Rust (fmt, clippy, native, a short fuzz run, wasm in Node
#                       and Chromium), JS (sandbox, simulator, SDK, demo), typings
#   ./build.sh bench    the budgets of DESIGN.md, measured and printed
#   ./build.sh setup | build | clean
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
export PATH="$ROOT/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# The wasm-bindgen version Cargo.lock pins: the CLI must be the very same (TOOLCHAIN.md).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

setup_build_tools() {
  command -v cargo >/dev/null || { echo "cargo is required (rustup)"; exit 1; }
  command -v node >/dev/null || { echo "node >= 20 is required"; exit 1; }
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup: wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  # The shipped module is built with nightly's build-std for an MVP feature set (iOS WeChat).
  if ! rustup toolchain list | grep -q '^nightly'; then
    say "rustup: nightly toolchain"
    rustup toolchain install nightly --profile minimal
  fi
  if ! rustup component list --toolchain nightly --installed | grep -q '^rust-src'; then
    say "rustup: rust-src for nightly"
    rustup component add rust-src --toolchain nightly
  fi
  [ -f Cargo.lock ] || cargo generate-lockfile
  local want
  want=$(wasm_bindgen_version)
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]; then
    say "cargo install wasm-bindgen-cli $want (~2 min)"
    # Not --locked: its lock file names a webpki-roots release the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
  if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
    say "npm: build and test tools (binaryen's wasm-opt, typescript, …)"
    npm ci --prefix tools --no-audit --no-fund
  fi
}

setup_test_tools() {
  if ! command -v wasm-pack >/dev/null; then
    say "cargo install wasm-pack (~2 min)"
    cargo install wasm-pack
  fi
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "apt: chromium and chromium-driver"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

build() {
  say "cargo +nightly build (wasm32, MVP features, build-std)"
  RUSTFLAGS="-Ctarget-cpu=mvp -Zunstable-options -Cpanic=immediate-abort" \
    cargo +nightly build --release --lib --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort
  local out=target/bindgen
  rm -rf "$out" && mkdir -p "$out"
  wasm-bindgen --target web --out-dir "$out" target/wasm32-unknown-unknown/release/zhenzisms.wasm
  # iOS WeChat cannot load a module that exports a Global: drop wasm-bindgen's two.
  node tools/wasm-exports.js "$out/zhenzisms_bg.wasm" "$out/no-globals.wasm"
  # Only MVP features in and out; sign-extension ops are lowered to MVP ones.
  wasm-opt -Oz --mvp-features --enable-sign-ext --signext-lowering --disable-sign-ext \
    "$out/no-globals.wasm" -o "$out/zhenzisms_bg.opt.wasm"
  say "assemble dist/ (and check the shipped module)"
  node tools/assemble.js
  # The demo opens in WeChat DevTools with the SDK and the cloud function it needs.
  mkdir -p miniprogram-demo/miniprogram/utils
  cp dist/utils/zhenzisms* miniprogram-demo/miniprogram/utils/
  rm -rf miniprogram-demo/cloudfunctions/zhenzisms
  cp -r dist/cloudfunctions/zhenzisms miniprogram-demo/cloudfunctions/zhenzisms
}

run_main_job() {
  say "main job: a verification code through dist/utils in the mini-program simulator, against the local sandbox"
  node tools/main-job.js
}

# A short run of each cargo fuzz target (fuzz/; long runs: fuzz/README.md). cargo-fuzz needs the
# nightly toolchain (installed for the wasm build) and a C++ compiler for libFuzzer.
fuzz_smoke() {
  if ! command -v c++ >/dev/null; then
    say "cargo fuzz smoke run NOT RUN: no C++ compiler (apt-get install g++)"
    return
  fi
  if ! command -v cargo-fuzz >/dev/null; then
    say "cargo install cargo-fuzz (~1 min)"
    cargo install cargo-fuzz
  fi
  say "cargo fuzz: 10 s of each target"
  cargo +nightly fuzz build -O
  local t
  for t in $(cargo +nightly fuzz list); do
    if ! cargo +nightly fuzz run -O "$t" -- -max_total_time=10 >"target/fuzz-$t.log" 2>&1; then
      tail -n 40 "target/fuzz-$t.log"
      echo "fuzz target $t failed (input saved under fuzz/artifacts/$t/)"
      exit 1
    fi
    echo "  $t: $(grep -E '^Done' "target/fuzz-$t.log")"
  done
}

run_tests() {
  say "cargo fmt --check, clippy"
  cargo fmt --check
  cargo clippy --all-targets -- -D warnings
  say "cargo test (native)"
  cargo test
  fuzz_smoke
  build
  say "wasm-pack test --node"
  wasm-pack --log-level warn test --node --release
  say "wasm-pack test --headless --chrome"
  wasm-pack --log-level warn test --headless --chrome --release
  say "typings and the shim's @ts-check: tsc --noEmit"
  tsc --noEmit -p tests/types
  tsc --noEmit -p pkg-template/miniprogram
  tsc --noEmit -p pkg-template/node
  say "node --test (sandbox, simulator, SDK, demo)"
  node --test --test-reporter=spec --test-reporter-destination=stdout $(find tests -name '*.test.js' -not -path '*/node_modules/*' | sort)
}

case "${1:-}" in
  "")
    setup_build_tools
    build
    run_main_job
    ;;
  setup) setup_build_tools && setup_test_tools ;;
  build) setup_build_tools && build ;;
  test)
    setup_build_tools
    setup_test_tools
    run_tests
    ;;
  bench)
    setup_build_tools
    build
    node tools/bench.js
    ;;
  clean) rm -rf dist target/bindgen ;;
  *)
    echo "usage: ./build.sh [test | bench | setup | build | clean]"
    exit 2
    ;;
esac
