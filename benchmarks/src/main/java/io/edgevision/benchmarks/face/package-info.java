/** JMH benchmarks of the face-recognition module: gallery (1:N) search. */
@org.jspecify.annotations.NullMarked
package io.edgevision.benchmarks.face;
