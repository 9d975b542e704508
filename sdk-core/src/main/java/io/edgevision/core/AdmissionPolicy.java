package io.edgevision.core;

/**
 * What a session does when its latency estimate says the remaining budget cannot fit the requested
 * model.
 */
public enum AdmissionPolicy {
  /** Return {@link Outcome#REJECTED} at once without running. */
  REJECT,
  /** Run anyway (the deadline watchdog may still cancel it). */
  RUN_ANYWAY,
  /**
   * Run the first registered variant (in registration order, cheapest last) whose estimate fits;
   * reject when none does. The result's outcome is {@link Outcome#DEGRADED}.
   */
  DEGRADE
}
