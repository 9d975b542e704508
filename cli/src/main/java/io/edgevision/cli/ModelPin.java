package io.edgevision.cli;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --sha256 HEX} option of every command that takes a model (a picocli mixin): the model
 * must have that SHA-256 or the command fails with {@code MODEL_INVALID} before running it. Named
 * models ({@code builtin}, {@code femto}, ..., {@code builtin:bench}) are always checked against
 * their known hashes; for them {@code --sha256} may only repeat that hash.
 */
final class ModelPin {
  @Option(
      names = "--sha256",
      paramLabel = "HEX",
      description =
          "Run the model only if its SHA-256 is HEX (64 hex digits); named models are always checked"
              + " against their known SHA-256")
  @Nullable String sha256;

  /**
   * @return the pin in lower case, or null when none was given
   * @throws IllegalArgumentException when it is not 64 hex digits
   */
  @Nullable String value() {
    if (sha256 == null) {
      return null;
    }
    String s = sha256.trim().toLowerCase(Locale.ROOT);
    if (!s.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "--sha256: expected 64 hex digits, got '"
              + sha256
              + "' ("
              + sha256.length()
              + " characters)");
    }
    return s;
  }
}
