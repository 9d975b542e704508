    time EDGEVISION_JAVA_OPTS="${native_opt[*]:-}" ./edgevision trt build "$m" --precision fp32 --cache "$cache"#!/usr/bin/env bash
# GPU check of the TensorRT backend. Run from anywhere on a machine with an NVIDIA GPU, TensorRT 11 and CUDA 13
# (x86-64 or Jetson/arm64); ../shared (beside the checkout) must hold the DEIMv2 models and street photos.
#
#   jni/gpu-check.sh            # log: jni/target/gpu-check.log
#
# What it does:
#   1. records the machine: nvidia-smi, the TensorRT/CUDA libraries the loader can see, JetPack release;
#   2. builds libedgevision_trt (jni/CMakeLists.txt) when cmake and the TensorRT headers are there;
#   3. runs TensorRtGpuTest (-DUSE_TENSORRT=1): engines for ../shared/models/deimv2_hgnetv2_atto_coco_raw.onnx and
#      the project's traffic-light model, FP32 and TF32, outputs compared with ONNX Runtime CPU on the same four
#      photos (FP32 boxes within 1e-3 of the normalised box, TF32 within 1e-2, the same kept detections after
#      DETR post-processing), median inference time of both printed; FP16 on these FP32 models must be refused
#      (TensorRT 11 is strongly typed); cache hit, corrupt-entry rebuild, close and use-after-close;
#   4. times `edgevision trt build` for both models (cold, then cached).
# Exit code: that of the test run.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p jni/target
log=jni/target/gpu-check.log
exec > >(tee "$log") 2>&1

section() { printf '\n== %s ==\n' "$*"; }

section "machine"
date -u
uname -a
if [ -f /etc/nv_tegra_release ]; then cat /etc/nv_tegra_release; fi
if command -v nvidia-smi >/dev/null; then nvidia-smi; else echo "nvidia-smi: not found"; fi

section "TensorRT and CUDA libraries visible to the dynamic loader"
ldconfig -p 2>/dev/null | grep -E 'libnvinfer\.so|libnvonnxparser\.so|libcudart\.so|libcuda\.so' || echo "(none in the ldconfig cache)"
echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
if command -v dpkg >/dev/null; then dpkg -l 2>/dev/null | grep -E 'tensorrt|libnvinfer|cuda-cudart' | awk '{print $2, $3}' || true; fi
if ! ldconfig -p 2>/dev/null | grep -q 'libnvinfer\.so\.11' && ! printf '%s' "${LD_LIBRARY_PATH:-}" | tr ':' '\n' \
    | while read -r d; do [ -n "$d" ] && ls "$d"/libnvinfer.so.11* >/dev/null 2>&1 && echo yes; done | grep -q yes; then
  echo "WARNING: libnvinfer.so.11 not found; the tests will report PROVIDER_UNAVAILABLE with the loader's message"
fi

section "build (jni and what it needs)"
./mvnw -B -ntp -q -pl jni -am package -DskipTests || exit 1

native_opt=()
section "libedgevision_trt (deletes TensorRT objects)"
if command -v cmake >/dev/null && cmake -S jni -B jni/target/cmake ${TENSORRT_ROOT:+-DTENSORRT_ROOT=$TENSORRT_ROOT} \
    && cmake --build jni/target/cmake; then
  native_opt=("-Dedgevision.tensorrt.native.path=$root/jni/target/cmake/libedgevision_trt.so")
  echo "built jni/target/cmake/libedgevision_trt.so"
else
  echo "NOT built (cmake or TensorRT headers missing): TensorRT objects will not be freed; tests still run"
fi

section "TensorRtGpuTest"
./mvnw -B -ntp -pl jni -am verify -DUSE_TENSORRT=1 -Dtest=TensorRtGpuTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtrimstacktrace=false ${native_opt[@]+"${native_opt[@]}"}
status=$?
for f in jni/target/surefire-reports/io.edgevision.jni.TensorRtGpuTest-output.txt; do
  [ -f "$f" ] && { echo "--- $f"; cat "$f"; }
done

section "edgevision trt build (cold, then cached)"
cache="$root/jni/target/gpu-check-cache"
rm -rf "$cache"
for m in ../shared/models/deimv2_hgnetv2_atto_coco_raw.onnx \
    detectors/src/main/resources/io/edgevision/detectors/traffic/edgevision-traffic-lights.onnx; do
  for pass in cold cached; do
    echo "-- $m ($pass)"
    time EDGEVISION_JAVA_OPTS="${native_opt[*]:-}" ./edgevision trt build "$m" --precision fp32 --cache "$cache"
  done
done

section "result"
echo "TensorRtGpuTest exit status: $status (log: $log)"
exit $status
