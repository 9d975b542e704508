/**
 * The EdgeVision Android demo: {@link io.edgevision.android.DemoActivity} (read first), the Camera2
 * source and the overlay. Everything here is non-null unless annotated.
 */
@NullMarked
package io.edgevision.android;

import org.jspecify.annotations.NullMarked;
