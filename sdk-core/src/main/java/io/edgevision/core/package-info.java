/**
 * EdgeVision core: frames, models and descriptors, sessions with execution-provider selection,
 * preprocessing, and latency-budgeted calls.
 *
 * <p>Read first: {@link io.edgevision.core.InferenceSession}. Everything in this package is
 * non-null unless annotated {@code @Nullable}; {@code io.edgevision.core.internal} is not API.
 *
 * <p>Threading: every record and enum here is immutable and safe to share between threads; each
 * class states its own rules ({@link io.edgevision.core.InferenceSession} is thread-safe, {@link
 * io.edgevision.core.ImagePreprocessor} is confined to one thread).
 */
@NullMarked
package io.edgevision.core;

import org.jspecify.annotations.NullMarked;
