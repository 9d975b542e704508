/**
 * JMH benchmarks of the {@code postprocess} module: DETR decode + duplicate suppression against
 * OpenCV's {@code Dnn.NMSBoxes} on the same boxes, and decode cost as the class count grows.
 * Results and the commands that reproduce them are in {@code docs/PERFORMANCE.md}, section
 * "postprocess".
 *
 * <p>Threading: JMH state objects; each benchmark thread uses its own workspace.
 */
@org.jspecify.annotations.NullMarked
package io.edgevision.benchmarks.postprocess;
