/**
 * TensorRT engines built, cached and run by the SDK through JNI (JavaCPP presets for TensorRT 11
 * and CUDA 13), plugged into {@code InferenceSession} as {@link
 * io.edgevision.core.ExecutionProvider#TENSORRT_NATIVE}.
 *
 * <p>Read first: {@link io.edgevision.jni.TensorRtBackend}. Classes that touch a TensorRT or CUDA
 * type are package-private and are loaded only after {@link io.edgevision.jni.TensorRtProbe} has
 * loaded the native libraries successfully, so a machine without them gets a {@code
 * PROVIDER_UNAVAILABLE} reason, never a crash or a {@code NoClassDefFoundError}. Everything here is
 * non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.edgevision.jni;

import org.jspecify.annotations.NullMarked;
