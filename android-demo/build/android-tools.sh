#!/usr/bin/env bash
# The Android steps of the android-demo build, one subcommand per Maven phase (see pom.xml). Maven passes every
# path; this script only runs the tools: npm (ONNX Runtime AAR), D8 (desugar, dex), aapt, zipalign, apksigner.
#
#   android-tools.sh fetch-ort   <out-dir> <sha256-of-aar>
#   android-tools.sh unpack      <android-dir> <abis>
#   android-tools.sh desugar     <android-dir> <classes-dir> <min-sdk>
#   android-tools.sh resources   <android-dir> <module-dir> <min-sdk> <target-sdk>
#   android-tools.sh apk         <android-dir> <module-dir> <min-sdk> <target-sdk> <abis> <apk-out>
set -euo pipefail

die() { echo "android-tools: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found: $2"; }

ORT_NPM_PACKAGE=com.github.asus4.onnxruntime@0.4.9
ORT_AAR_IN_PACKAGE=package/Plugins/Android/onnxruntime.aar

# The official ONNX Runtime Android AAR, taken from the npm package that redistributes it (Google Maven and the
# onnxruntime-android Maven artifact are not reachable here). Verified against a pinned SHA-256.
fetch_ort() {
  local out=$1 want=$2 aar
  aar="$out/onnxruntime.aar"
  mkdir -p "$out"
  if [ -f "$aar" ] && [ "$(sha256sum "$aar" | cut -d' ' -f1)" = "$want" ]; then
    return 0
  fi
  need npm "install Node.js/npm (Debian: apt-get install npm); .ci/run does"
  local tmp
  tmp=$(mktemp -d "$out/npm.XXXXXX")
  (cd "$tmp" && npm pack --silent "$ORT_NPM_PACKAGE" >/dev/null) \
    || die "npm pack $ORT_NPM_PACKAGE failed (is the npm registry reachable?)"
  tar -xzf "$tmp"/*.tgz -C "$tmp" "$ORT_AAR_IN_PACKAGE" \
    || die "$ORT_NPM_PACKAGE has no $ORT_AAR_IN_PACKAGE"
  local got
  got=$(sha256sum "$tmp/$ORT_AAR_IN_PACKAGE" | cut -d' ' -f1)
  if [ "$got" != "$want" ]; then
    rm -rf "$tmp"
    die "ONNX Runtime AAR from $ORT_NPM_PACKAGE has SHA-256 $got, expected $want (pinned in android-demo/pom.xml)." \
      "Refusing to build with an unverified native library."
  fi
  mv "$tmp/$ORT_AAR_IN_PACKAGE" "$aar"
  rm -rf "$tmp"
}

# classes.jar and the chosen ABIs' .so files out of the ORT and OpenCV AARs (and the androidx.test AARs that
# Robolectric needs on the test classpath).
unpack() {
  local dir=$1 abis=$2 name abi
  for name in onnxruntime opencv androidx-test-monitor espresso-idling-resource; do
    [ -f "$dir/$name.aar" ] || die "missing $dir/$name.aar"
    mkdir -p "$dir/aar/$name"
    unzip -q -o "$dir/$name.aar" classes.jar -d "$dir/aar/$name"
  done
  rm -rf "$dir/lib"
  for abi in ${abis//,/ }; do
    mkdir -p "$dir/lib/$abi"
    unzip -q -o -j "$dir/onnxruntime.aar" "jni/$abi/*.so" -d "$dir/lib/$abi" \
      || die "onnxruntime.aar has no native libraries for ABI $abi"
    unzip -q -o -j "$dir/opencv.aar" "jni/$abi/*.so" -d "$dir/lib/$abi" \
      || die "opencv.aar has no native libraries for ABI $abi"
  done
}

# Everything that goes into the APK's dex: the app, the SDK and its runtime libraries, and the Android builds of
# ONNX Runtime and OpenCV (in place of the desktop jars, which Maven copies but this step leaves out).
program_jars() {
  local dir=$1
  ls "$dir"/libs/*.jar
  echo "$dir/aar/onnxruntime/classes.jar"
  echo "$dir/aar/opencv/classes.jar"
}

d8() {
  local dir=$1
  shift
  java -Xmx1g -cp "$dir/r8.jar" com.android.tools.r8.D8 "$@"
}

# D8 desugaring to class files: what the API check (AndroidApiCheckTest) reads.
# D8 reads jars, not directories: the app's classes as one.
app_jar() {
  local dir=$1 classes=$2
  rm -f "$dir/app-classes.jar"
  (cd "$classes" && jar cf "$dir/app-classes.jar" $(find . -name '*.class'))
}

desugar() {
  local dir=$1 classes=$2 minsdk=$3 jars
  mapfile -t jars < <(program_jars "$dir")
  app_jar "$dir" "$classes"
  rm -rf "$dir/desugared" && mkdir -p "$dir/desugared"
  d8 "$dir" --classfile --release --min-api "$minsdk" --lib "$dir/android-all.jar" \
    --output "$dir/desugared/program.jar" "$dir/app-classes.jar" "${jars[@]}"
  (cd "$dir/desugared" && unzip -q -o program.jar -d classes)
}

# The manifest, resources and assets compiled by aapt (no code): Robolectric's android_resource_apk.
resources() {
  local dir=$1 module=$2 minsdk=$3 targetsdk=$4
  need aapt "apt-get install aapt (.ci/run does)"
  aapt package -f -M "$module/src/main/AndroidManifest.xml" -S "$module/src/main/res" -A "$dir/assets" \
    -I "$dir/android-all.jar" --min-sdk-version "$minsdk" --target-sdk-version "$targetsdk" -F "$dir/resources.apk"
}

apk() {
  local dir=$1 module=$2 minsdk=$3 targetsdk=$4 abis=$5 out=$6 jars abi
  need aapt "apt-get install aapt (.ci/run does)"
  need zipalign "apt-get install zipalign (.ci/run does)"
  need apksigner "apt-get install apksigner (.ci/run does)"
  mapfile -t jars < <(program_jars "$dir")
  app_jar "$dir" "$module/target/classes"
  rm -rf "$dir/dex" "$dir/apk" && mkdir -p "$dir/dex" "$dir/apk/stage"
  d8 "$dir" --release --min-api "$minsdk" --lib "$dir/android-all.jar" --output "$dir/dex" \
    "$dir/app-classes.jar" "${jars[@]}"
  aapt package -f -M "$module/src/main/AndroidManifest.xml" -S "$module/src/main/res" -A "$dir/assets" -I "$dir/android-all.jar" \
    --min-sdk-version "$minsdk" --target-sdk-version "$targetsdk" -F "$dir/apk/unaligned.apk"
  cp "$dir"/dex/classes*.dex "$dir/apk/stage/"
  for abi in ${abis//,/ }; do
    mkdir -p "$dir/apk/stage/lib/$abi"
    cp "$dir/lib/$abi"/*.so "$dir/apk/stage/lib/$abi/"
  done
  (cd "$dir/apk/stage" && aapt add ../unaligned.apk classes*.dex lib/*/*.so >/dev/null)
  zipalign -f -p 4 "$dir/apk/unaligned.apk" "$dir/apk/aligned.apk"
  local ks="$dir/debug.keystore"
  if [ ! -f "$ks" ]; then
    keytool -genkeypair -keystore "$ks" -storepass android -keypass android -alias androiddebugkey \
      -keyalg RSA -keysize 2048 -validity 10000 -dname "CN=Android Debug,O=Android,C=US" >/dev/null 2>&1 \
      || die "keytool could not create the debug keystore"
  fi
  apksigner sign --ks "$ks" --ks-pass pass:android --key-pass pass:android --ks-key-alias androiddebugkey \
    --out "$out" "$dir/apk/aligned.apk"
  rm -f "$out.idsig"
  echo "android-tools: $(du -h "$out" | cut -f1) $out (ABIs: $abis, minSdk $minsdk)"
}

cmd=${1:-}
shift || true
case "$cmd" in
  fetch-ort) fetch_ort "$@" ;;
  unpack) unpack "$@" ;;
  desugar) desugar "$@" ;;
  resources) resources "$@" ;;
  apk) apk "$@" ;;
  *) die "usage: $0 fetch-ort|unpack|desugar|resources|apk ..." ;;
esac
