/**
 * Service-provider interface for execution backends that are not ONNX Runtime execution providers,
 * such as the TensorRT engine of the {@code edgevision-jni} module ({@link
 * io.edgevision.core.ExecutionProvider#TENSORRT_NATIVE}).
 *
 * <p>Read first: {@link io.edgevision.core.spi.ExecutionBackend}. Applications normally never call
 * these types: they put a backend module on the class path (found with {@link
 * java.util.ServiceLoader}) or register a configured backend with {@code
 * InferenceSession.Builder.backend(...)}, and name its provider in the session's preference list.
 * Everything here is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.edgevision.core.spi;

import org.jspecify.annotations.NullMarked;
