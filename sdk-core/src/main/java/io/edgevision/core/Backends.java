package io.edgevision.core;

import io.edgevision.core.spi.ExecutionBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the {@link ExecutionBackend} for a non-ONNX-Runtime provider: one registered on the session
 * builder first, else one found by {@link ServiceLoader} (looked up once per JVM). Thread-safe.
 */
final class Backends {
  private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

  private Backends() {}

  /**
   * @param provider a provider with {@link ExecutionProvider#isBackend()}
   * @param registered backends registered on the builder, tried first
   * @return the backend, or null when none is registered or on the class path
   */
  static @Nullable ExecutionBackend find(
      ExecutionProvider provider, List<ExecutionBackend> registered) {
    for (ExecutionBackend b : registered) {
      if (b.provider() == provider) {
        return b;
      }
    }
    for (ExecutionBackend b : Discovered.ALL) {
      if (b.provider() == provider) {
        return b;
      }
    }
    return null;
  }

  /**
   * @return why {@code provider} cannot be tried here (no backend on the class path, or its probe
   *     failed with the native reason), or null when it can
   */
  static @Nullable ProviderDecision unavailable(
      ExecutionProvider provider, List<ExecutionBackend> registered) {
    ExecutionBackend b = find(provider, registered);
    if (b == null) {
      return new ProviderDecision(
          provider,
          ProviderDecision.Status.NOT_IN_BUILD,
          "no execution backend for "
              + provider
              + " on the class path (add the edgevision-jni module)");
    }
    try {
      return b.unavailableReason()
          .map(
              e ->
                  new ProviderDecision(
                      provider, ProviderDecision.Status.FAILED_TO_INITIALISE, e.getMessage()))
          .orElse(null);
    } catch (RuntimeException | LinkageError e) {
      return new ProviderDecision(
          provider,
          ProviderDecision.Status.FAILED_TO_INITIALISE,
          "[" + ErrorCode.PROVIDER_UNAVAILABLE + "] probing the backend failed: " + e);
    }
  }

  /** Lazy holder: the ServiceLoader scan runs on first use only. */
  private static final class Discovered {
    static final List<ExecutionBackend> ALL = discover();

    private static List<ExecutionBackend> discover() {
      List<ExecutionBackend> out = new ArrayList<>();
      var it =
          ServiceLoader.load(ExecutionBackend.class, Backends.class.getClassLoader()).iterator();
      while (true) {
        try {
          if (!it.hasNext()) {
            break;
          }
          out.add(it.next());
        } catch (ServiceConfigurationError | LinkageError e) {
          LOG.warn(
              "an execution backend on the class path could not be loaded (skipped): {}",
              e.toString());
        }
      }
      return List.copyOf(out);
    }
  }
}
