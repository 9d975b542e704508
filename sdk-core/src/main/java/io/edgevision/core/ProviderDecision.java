package io.edgevision.core;

import java.util.Objects;

/**
 * What happened to one provider of a session's preference list.
 *
 * @param provider the provider
 * @param status selected, or why it was skipped
 * @param reason human-readable detail (the native error message when initialisation failed)
 */
public record ProviderDecision(ExecutionProvider provider, Status status, String reason) {
  /** Outcome of trying one provider. */
  public enum Status {
    /** This provider runs the session. */
    SELECTED,
    /** The ONNX Runtime library on the classpath was not built with it. */
    NOT_IN_BUILD,
    /** It is in the build but failed to initialise (driver missing, no device...). */
    FAILED_TO_INITIALISE,
    /** Not tried, because an earlier provider was selected. */
    NOT_TRIED
  }

  public ProviderDecision {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return provider + ": " + status + (reason.isEmpty() ? "" : " (" + reason + ")");
  }
}
