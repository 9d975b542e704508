package io.edgevision.core;

/** What happened to one budgeted call. A missed budget is an outcome, never an exception. */
public enum Outcome {
  /** The requested model ran and its decoded result is present. */
  COMPLETED,
  /**
   * A cheaper registered variant ran instead, because the budget could not fit the requested one.
   */
  DEGRADED,
  /** Admission control decided before running that the budget could not be met; nothing ran. */
  REJECTED,
  /** The deadline passed while the call was running; the native run was terminated. No result. */
  CANCELLED,
  /**
   * Latest-frame-wins: a newer frame arrived while this one was still waiting, so it was dropped.
   */
  SKIPPED;

  /**
   * @return true when the result carries a decoded value
   */
  public boolean hasValue() {
    return this == COMPLETED || this == DEGRADED;
  }
}
