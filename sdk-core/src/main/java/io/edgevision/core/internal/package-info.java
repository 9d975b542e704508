/** Implementation details of sdk-core. Not API: may change in any release. */
@NullMarked
package io.edgevision.core.internal;

import org.jspecify.annotations.NullMarked;
