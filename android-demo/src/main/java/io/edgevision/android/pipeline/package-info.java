/**
 * What the app runs per frame, free of Android UI classes: the traffic-light and face pipelines
 * over the SDK, the latest-frame-wins runner and the heads-up text. Everything here is non-null
 * unless annotated.
 */
@NullMarked
package io.edgevision.android.pipeline;

import org.jspecify.annotations.NullMarked;
