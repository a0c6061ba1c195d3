#!/usr/bin/env bash
# The bench and the WebGPU conformance check on a Linux x86-64 machine with an NVIDIA GPU and no
# npm (such as the workplace's lent GPU machines, which take a folder along and hand back $OUT).
#
#   bash scripts/gpu-machine.sh pack       here: gathers all it needs into .gpu/ (about 30 MB):
#                                          the bench bundles, Node's binary, the webgpu package's
#                                          Dawn build and Vulkan's loader, compressed
#   bash scripts/gpu-machine.sh run [what] there, with .gpu/ beside it: logs to $OUT (else
#                                          gpu-out/), an nvidia-smi clock log among them
#
# what: `diagnose` (default, about 6 min on an H100): the largest shape's step, each tile timed
# on its products, the whole bench against tfjs-webgpu, then the largest shape again, with the
# card's clocks logged throughout (a slow card tells itself from a slow engine); `quick`: the
# smallest shape, to see that all of it runs; `bench`: the whole bench alone; `check`: the
# conformance check (every primitive against the CPU, the zoo, the training curves).
# PEAK_TFLOPS (default 67: an H100 SXM's or an H200's fp32 rate) is the card's peak for the
# largest shape's goal. Here, Chromium's SwiftShader stands in for a GPU:
# LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
set -euo pipefail
cd "$(dirname "$0")/.."

pack() {
  npm run -s bench:bundle
  rm -rf .gpu
  mkdir -p .gpu/debs
  for f in run tiles check; do xz -6 -T0 -c "out/bench-node/$f.mjs" >".gpu/$f.mjs.xz"; done
  xz -6 -T0 -c "$(command -v node)" >.gpu/node.xz
  tar -C node_modules -cJf .gpu/webgpu.tar.xz \
    webgpu/index.js webgpu/package.json webgpu/dist/linux-x64/dawn.node
  # Vulkan's loader, which the GPU machine may lack (its driver brings only the ICD).
  (cd .gpu/debs && apt-get download libvulkan1)
  du -sh .gpu
  echo "carry .gpu, then: bash scripts/gpu-machine.sh run [diagnose|quick|bench|check]"
}

# Unpacks .gpu/ into $work: node, run.mjs, tiles.mjs, check.mjs and node_modules/webgpu.
unpack() {
  local work=$1
  # grep reads all of ldconfig's list (-q would stop early, and pipefail then see a SIGPIPE).
  if ! ldconfig -p | grep libvulkan.so.1 >/dev/null; then
    for f in .gpu/debs/*.deb; do dpkg -x "$f" /; done
    ldconfig
  fi
  local icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  if [ -f "$icd" ] && [ -z "${VK_DRIVER_FILES:-}" ]; then export VK_DRIVER_FILES=$icd; fi
  mkdir -p "$work/node_modules"
  xz -dc .gpu/node.xz >"$work/node"
  chmod +x "$work/node"
  tar -C "$work/node_modules" -xJf .gpu/webgpu.tar.xz
  for f in run tiles check; do xz -dc ".gpu/$f.mjs.xz" >"$work/$f.mjs"; done
}

# Runs one step of the plan with a time limit, its output to the terminal and to $out/$name.log.
step() {
  local name=$1 limit=$2
  shift 2
  echo "== $name: $*"
  (cd "$work" && timeout "$limit" ./node "$@") 2>&1 | tee "$out/$name.log" || echo "== $name ended: $?"
}

run() {
  local what=${1:-diagnose}
  case "$what" in
  diagnose | quick | bench | check) ;;
  *)
    echo "unknown: $what (diagnose, quick, bench or check)" >&2
    exit 2
    ;;
  esac
  [ -d .gpu ] || { echo "no .gpu/ here: run 'pack' where npm is, and carry .gpu" >&2; exit 2; }
  out=${OUT:-$PWD/gpu-out}
  work=$(mktemp -d)
  mkdir -p "$out"
  unpack "$work"
  smi=
  trap '[ -z "$smi" ] || kill "$smi" 2>/dev/null || true' EXIT
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv | tee "$out/card.txt"
    nvidia-smi --query-gpu=timestamp,clocks.sm,clocks.mem,utilization.gpu,power.draw,temperature.gpu \
      --format=csv -lms 500 >"$out/clocks.csv" &
    smi=$!
  fi
  local peak=--peak-tflops=${PEAK_TFLOPS:-67}
  case "$what" in
  diagnose)
    # Limits that add up to 540 s, inside a 600 s command with the unpacking.
    step largest-first 100 run.mjs --node --only=engine-webgpu --shapes=2 --profile "$peak"
    step tiles 170 tiles.mjs --ms=30
    step bench 190 run.mjs --node --only=engine-webgpu,tfjs-webgpu --profile "$peak"
    step largest-last 80 run.mjs --node --only=engine-webgpu --shapes=2 "$peak"
    ;;
  quick) step quick 120 run.mjs --node --only=engine-webgpu --shapes=0 ;;
  bench) step bench 540 run.mjs --node --only=engine-webgpu,tfjs-webgpu --profile "$peak" ;;
  check) step check 540 check.mjs ;;
  esac
  [ -n "$smi" ] || return 0
  kill "$smi" 2>/dev/null || true
  smi=
  # The clock log's summary: the SM clock's range while the card was busy.
  awk -F', ' 'NR > 1 && $4 + 0 > 50 { n++; c = $2 + 0; s += c; if (c < lo || !lo) lo = c;
    if (c > hi) hi = c } END { if (n) printf "busy samples %d, SM clock %d-%d MHz, mean %d\n",
    n, lo, hi, s / n }' "$out/clocks.csv" | tee "$out/clocks-summary.txt"
}

case "${1:-}" in
pack) pack ;;
run)
  shift
  run "$@"
  ;;
*)
  echo "usage: bash scripts/gpu-machine.sh pack | run [diagnose|quick|bench|check]" >&2
  exit 2
  ;;
esac
