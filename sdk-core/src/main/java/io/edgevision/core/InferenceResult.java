package io.edgevision.core;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The result of one budgeted call: its {@link Outcome}, the decoded value when there is one,
 * per-stage {@link Timings}, the {@link Fingerprint} of what ran, and a message explaining any
 * outcome other than {@link Outcome#COMPLETED}.
 *
 * <p>Threading: immutable when {@code T} is.
 *
 * @param <T> the decoded type
 */
public final class InferenceResult<T> {
  private final Outcome outcome;
  private final @Nullable T value;
  private final Timings timings;
  private final Fingerprint fingerprint;
  private final String message;
  private final boolean deadlineMissed;

  /**
   * @param outcome what happened
   * @param value the decoded value; required for COMPLETED/DEGRADED, absent otherwise
   * @param timings per-stage durations
   * @param fingerprint what ran (or would have run)
   * @param message why, for outcomes other than COMPLETED ("" otherwise)
   * @param deadlineMissed true when the call finished after its deadline without being cancelled
   */
  public InferenceResult(
      Outcome outcome,
      @Nullable T value,
      Timings timings,
      Fingerprint fingerprint,
      String message,
      boolean deadlineMissed) {
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    if (outcome.hasValue() != (value != null)) {
      throw new IllegalArgumentException(
          "outcome "
              + outcome
              + (outcome.hasValue() ? " needs a value, got none" : " carries no value, got one"));
    }
    this.value = value;
    this.timings = Objects.requireNonNull(timings, "timings");
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
    this.message = Objects.requireNonNull(message, "message");
    this.deadlineMissed = deadlineMissed;
  }

  /**
   * @return what happened
   */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * @return the decoded value when the outcome is COMPLETED or DEGRADED
   */
  public Optional<T> value() {
    return Optional.ofNullable(value);
  }

  /**
   * @return the decoded value
   * @throws NoSuchElementException when the outcome carries none (the message says why)
   */
  public T get() {
    if (value == null) {
      throw new NoSuchElementException(
          "no value: outcome " + outcome + (message.isEmpty() ? "" : ": " + message));
    }
    return value;
  }

  /**
   * @return per-stage durations
   */
  public Timings timings() {
    return timings;
  }

  /**
   * @return what ran
   */
  public Fingerprint fingerprint() {
    return fingerprint;
  }

  /**
   * @return why the outcome is not COMPLETED; empty for COMPLETED
   */
  public String message() {
    return message;
  }

  /**
   * @return true when the call completed but after its deadline (the run could not be stopped in
   *     time)
   */
  public boolean deadlineMissed() {
    return deadlineMissed;
  }

  /**
   * Value equality: same outcome, value, timings, fingerprint, message and deadline flag (the value
   * compared by its own {@code equals}).
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof InferenceResult<?> r
        && outcome == r.outcome
        && java.util.Objects.equals(value, r.value)
        && timings.equals(r.timings)
        && fingerprint.equals(r.fingerprint)
        && message.equals(r.message)
        && deadlineMissed == r.deadlineMissed;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(outcome, value, timings, fingerprint, message, deadlineMissed);
  }

  @Override
  public String toString() {
    return "InferenceResult["
        + outcome
        + (message.isEmpty() ? "" : " (" + message + ")")
        + ", "
        + timings
        + "]";
  }
}
