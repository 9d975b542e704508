/**
 * Implementation details of {@code io.edgevision.postprocess}: argument checks, the JDK-only JSON
 * reader, primitive overlap kernels, the bounded top-k heap and primitive sorting.
 *
 * <p><b>Not API.</b> Nothing here is covered by compatibility promises; types are public only
 * because Java packages cannot share package-private members. Call the types of {@code
 * io.edgevision.postprocess} instead.
 *
 * <p>Threading: every class here is either stateless (static functions) or documented as confined
 * to one thread.
 */
@org.jspecify.annotations.NullMarked
package io.edgevision.postprocess.internal;
