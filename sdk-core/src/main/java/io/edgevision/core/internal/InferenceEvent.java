package io.edgevision.core.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event emitted once per inference call ({@code jfr print --events io.edgevision.Inference}).
 * Internal.
 */
@Name("io.edgevision.Inference")
@Label("EdgeVision Inference")
@Category({"EdgeVision"})
@Description("One budgeted inference call: outcome and per-stage durations")
@StackTrace(false)
public final class InferenceEvent extends jdk.jfr.Event {
  @Label("Model SHA-256")
  public String model;

  @Label("Variant")
  public String variant;

  @Label("Provider")
  public String provider;

  @Label("Outcome")
  public String outcome;

  @Label("Waiting")
  @Timespan(Timespan.NANOSECONDS)
  public long waiting;

  @Label("Preprocess")
  @Timespan(Timespan.NANOSECONDS)
  public long preprocess;

  @Label("Inference")
  @Timespan(Timespan.NANOSECONDS)
  public long inference;

  @Label("Postprocess")
  @Timespan(Timespan.NANOSECONDS)
  public long postprocess;
}
