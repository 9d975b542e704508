package io.edgevision.android.pipeline;

/**
 * One box to draw, in frame pixels (sensor orientation), with its label and ARGB colour. Immutable.
 *
 * @param x1 left
 * @param y1 top
 * @param x2 right
 * @param y2 bottom
 * @param label the text drawn above the box
 * @param color ARGB
 */
public record Mark(float x1, float y1, float x2, float y2, String label, int color) {}
