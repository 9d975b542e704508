/**
 * Camera frame conversion ({@code YUV_420_888} to the SDK's NV21 frames), pure Java so it is tested
 * on the desktop. Everything here is non-null unless annotated.
 */
@NullMarked
package io.edgevision.android.frames;

import org.jspecify.annotations.NullMarked;
