#!/usr/bin/env bash
# zhenzisms-wasm build and test entry point.
#
#   ./build.sh          install what is missing, build dist/, run the main job end to end
#                       (send a verification code to the local sandbox, read it, verify it)
#   ./build.sh test     every suite: Rust (fmt, clippy, native, a short fuzz run, wasm in Node
#                       and Chromium), JS (sandbox, simulator, SDK, demo, JavaScriptCore), typings,
#                       and the official parts (docs/testing.md): the real wx-server-sdk, miniprogram-ci
#   ./build.sh bench    the budgets of docs/contributing.md, measured and printed
#   ./build.sh release  build, then the downloads into dist/release/: the utils/ zip, the cloud
#                       function zip, the npm tarball, each with a .sha256 (tools/release.js)
#   ./build.sh demo     build, the demo pictures (tools/demo-shots.js), then the local sandbox for
#                       miniprogram-demo/ on 127.0.0.1:8787,
#                       in the foreground until Ctrl-C (tools/demo-server.js)
#   ./build.sh setup | build | clean
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
export PATH="$ROOT/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# The wasm-bindgen version Cargo.lock pins: the CLI must be the very same (docs/toolchain.md, trap 2).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# The toolchain rust-toolchain.toml pins (a dated nightly, with rust-src for -Zbuild-std and the
# wasm32 target), installed once: every cargo command below runs with it.
pinned_toolchain() {
  awk -F'"' '/^channel = / { print $2; exit }' rust-toolchain.toml
}

setup_build_tools() {
  command -v rustup >/dev/null || { echo "rustup is required (https://rustup.rs)"; exit 1; }
  command -v node >/dev/null || { echo "node >= 20 is required"; exit 1; }
  local pin
  pin=$(pinned_toolchain)
  if ! rustup toolchain list | grep -q "^$pin-" || ! rustup component list --installed | grep -q '^rust-src' ||
    ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup: the pinned toolchain $pin (rust-toolchain.toml), with rust-src and the wasm32 target"
    rustup toolchain install
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
  setup_chromium
  # JavaScriptCore's shell: iOS WeChat's engine, for tests/jsc (run with the JIT off).
  command -v jsc >/dev/null || apt_install libjavascriptcoregtk-4.0-bin
  setup_official_tools
}

# WeChat's official tools the tests run against (docs/testing.md): miniprogram-ci (构建 npm, the
# upload's compile, analyseCode) and bson for our local CloudBase endpoint, pinned in
# tools/official/package-lock.json; test-only, so ./build.sh build never installs them.
setup_official_tools() {
  if [ ! -d tools/official/node_modules/miniprogram-ci ] || [ tools/official/package-lock.json -nt tools/official/node_modules/.package-lock.json ]; then
    say "npm: official tools for the tests (miniprogram-ci 2.1.42, bson; ~1 min the first time)"
    npm ci --prefix tools/official --no-audit --no-fund
  fi
}

# The real wx-server-sdk installed into a copy of the built cloud function, as 上传并部署
# （云端安装依赖）does (npm install of its package.json; cached in target/cloudbase/).
setup_cloud_copy() {
  say "cloud function copy with its npm dependencies (the real wx-server-sdk), for tests/cloudbase"
  node tests/cloudbase/install.js
}

# Debian packages, installed once: `apt_install PACKAGE…` (apt-get update first, as a fresh machine needs).
apt_install() {
  say "apt: $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

setup_chromium() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null || apt_install chromium chromium-driver
}

# tests/release/ unpacks the release zips with Info-ZIP's unzip: a second implementation, not ours.
setup_unzip() {
  command -v unzip >/dev/null || apt_install unzip
}

# One module: cargo (MVP features, build-std) → wasm-bindgen → no exported globals → wasm-opt.
# $1: cargo features ('' for the mini-program's module, 'server' for Node's), $2: output folder,
# $3: wasm-opt's passes (words); further arguments go to cargo.
build_wasm() {
  local features=$1 out=$2 level=$3
  shift 3
  # No panic locations or Debug text in the module (nothing can print them: panics abort).
  RUSTFLAGS="-Ctarget-cpu=mvp -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
    cargo build --release --lib --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort ${features:+--features "$features"} "$@"
  rm -rf "$out" && mkdir -p "$out"
  wasm-bindgen --target web --out-dir "$out" target/wasm32-unknown-unknown/release/zhenzisms.wasm
  # iOS WeChat cannot load a module that exports a Global: drop wasm-bindgen's two.
  node tools/wasm-exports.js "$out/zhenzisms_bg.wasm" "$out/no-globals.wasm"
  # Only MVP features in and out; sign-extension ops are lowered to MVP ones; the producers
  # section (toolchain names, ~100 B) is dropped: nothing reads it. --converge repeats the
  # passes while they still shrink the module; --zero-filled-memory: a fresh instance's memory
  # is zeros (the module imports none), so zero data need not be stored.
  # shellcheck disable=SC2086 # $level is a list of passes
  wasm-opt $level --converge --zero-filled-memory --mvp-features --enable-sign-ext --signext-lowering --disable-sign-ext --strip-producers \
    "$out/no-globals.wasm" -o "$out/zhenzisms_bg.opt.wasm"
}

build() {
  say "cargo build (pinned nightly, wasm32, MVP features, build-std, opt-level z): the mini-program's module"
  # -Oz, then the control flow flattened and re-structured (--rereloop) and -Oz again: ~120 B
  # less brotli than -Oz alone (measured on this module).
  build_wasm "" target/bindgen "-Oz --flatten --rereloop -Oz -Oz" --config 'profile.release.opt-level="z"'
  # Node's module (npm package, cloud function) adds Tencent Cloud SMS signing: never on phones.
  # Optimised for speed (our crate at opt-level 3, std stays at "s"): on a server 107 KB cost
  # nothing, and signing gets ~2x faster (README, Budgets).
  say "the same with feature 'server' (Tencent Cloud SMS), for speed: Node's module"
  build_wasm server target/bindgen-server -O3 --config 'profile.release.package.zhenzisms.opt-level=3'
  say "assemble dist/ (and check the shipped module)"
  node tools/assemble.js
  # The demo opens in WeChat DevTools with the SDK and the cloud function it needs.
  mkdir -p miniprogram-demo/miniprogram/utils
  cp dist/utils/zhenzisms* miniprogram-demo/miniprogram/utils/
  rm -rf miniprogram-demo/cloudfunctions/zhenzisms
  cp -r dist/cloudfunctions/zhenzisms miniprogram-demo/cloudfunctions/zhenzisms
}

# Merge-conflict markers in any tracked file fail the build, before anything slow runs.
check_conflict_markers() {
  command -v node >/dev/null || { echo "node >= 20 is required"; exit 1; }
  say "no merge-conflict markers in tracked files"
  node tools/conflict-markers.js
}

run_main_job() {
  say "main job: a verification code through dist/utils in the mini-program simulator, against the local sandbox"
  node tools/main-job.js
}

make_release() {
  say "release: zips, npm tarball and SHA-256 sums into dist/release/"
  node tools/release.js
}

run_demo() {
  # The demo README's pictures: the main states rendered from the simulator in headless Chromium.
  # Chromium draws Chinese only with a CJK font installed.
  setup_chromium
  fc-list :lang=zh 2>/dev/null | grep -q . || apt_install fonts-noto-cjk
  say "demo: pictures of the main states (miniprogram-demo/screenshots/)"
  node tools/demo-shots.js
  say "demo: local sandbox for miniprogram-demo/ (Ctrl-C stops it)"
  exec node tools/demo-server.js
}

# A short run of each cargo fuzz target (fuzz/; long runs: fuzz/README.md). cargo-fuzz needs the
# nightly toolchain (the pinned one) and a C++ compiler for libFuzzer.
fuzz_smoke() {
  command -v c++ >/dev/null || apt_install g++
  if ! command -v cargo-fuzz >/dev/null; then
    say "cargo install cargo-fuzz 0.13.2 (~1 min)"
    cargo install cargo-fuzz --version 0.13.2
  fi
  say "cargo fuzz: 10 s of each target"
  cargo fuzz build -O
  local t
  for t in $(cargo fuzz list); do
    if ! cargo fuzz run -O "$t" -- -max_total_time=10 >"target/fuzz-$t.log" 2>&1; then
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
  setup_cloud_copy
  say "wasm-pack test --node"
  wasm-pack --log-level warn test --node --release
  say "wasm-pack test --headless --chrome"
  wasm-pack --log-level warn test --headless --chrome --release
  say "typings and the shim's @ts-check: tsc --noEmit"
  tsc --noEmit -p tests/types
  tsc --noEmit -p pkg-template/miniprogram
  tsc --noEmit -p pkg-template/node
  tsc --noEmit -p pkg-template/web
  say "node --test (sandbox, simulator, SDK, demo, jsc; the cloud suites again on the real wx-server-sdk; miniprogram-ci)"
  node --test --test-reporter=spec --test-reporter-destination=stdout $(find tests -name '*.test.js' -not -path '*/node_modules/*' | sort)
}

case "${1:-}" in
  "")
    setup_build_tools
    build
    run_main_job
    ;;
  setup) setup_build_tools && setup_test_tools && setup_unzip ;;
  build) setup_build_tools && build ;;
  test)
    check_conflict_markers
    setup_build_tools
    setup_test_tools
    setup_unzip
    run_tests
    ;;
  bench)
    setup_build_tools
    build
    # Bench-only: Tencent's official SMS SDK, to measure ours beside it (never in the test path).
    [ -d tools/bench-deps/node_modules/tencentcloud-sdk-nodejs-sms ] ||
      npm install --prefix tools/bench-deps --no-audit --no-fund || echo "bench: the official Tencent SDK could not be installed; measuring ours only"
    node tools/bench.js
    ;;
  release)
    setup_build_tools
    build
    make_release
    ;;
  demo)
    setup_build_tools
    build
    run_demo
    ;;
  clean) rm -rf dist target/bindgen target/bindgen-server ;;
  *)
    echo "usage: ./build.sh [test | bench | release | demo | setup | build | clean]"
    exit 2
    ;;
esac
