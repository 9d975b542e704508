/**
 * EdgeVision core: frames, models and descriptors, sessions with execution-provider selection,
 * preprocessing, and latency-budgeted calls.
 *
 * <p>Read first: {@link io.edgevision.core.InferenceSession}. Everything in this package is non-null unless
 * annotated {@code @Nullable}; {@code io.edgevision.core.internal} is not API.
 */
@NullMarked
package io.edgevision.core;

import org.jspecify.annotations.NullMarked;
