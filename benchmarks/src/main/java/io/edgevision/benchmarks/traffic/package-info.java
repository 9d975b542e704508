/**
 * JMH benchmarks of traffic-light detection: the shipped model end to end against raw ONNX Runtime.
 */
@org.jspecify.annotations.NullMarked
package io.edgevision.benchmarks.traffic;
