package io.edgevision.cli.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The result of one {@code edgevision bench} run, as written by {@code --json} (schema in
 * docs/BENCHMARK_HARNESS.md). Immutable; thread-safe.
 *
 * <p>Schema versioning: {@link #SCHEMA} names the format and {@link #SCHEMA_VERSION} is raised on
 * any change that removes or renames a field or changes its meaning; added fields keep the version
 * (readers ignore unknown fields). {@link #read} refuses other versions with a message naming both.
 *
 * @param schema always {@link #SCHEMA}
 * @param schemaVersion {@link #SCHEMA_VERSION} when written by this code
 * @param createdUtc ISO-8601 instant of the run
 * @param host where it ran
 * @param settings run settings shared by all cells
 * @param cells one result per matrix cell, in matrix order
 * @param coldStart the cold-start measurement, or null when not asked for
 */
public record BenchReport(
    String schema,
    int schemaVersion,
    String createdUtc,
    Host host,
    Settings settings,
    List<CellResult> cells,
    @Nullable ColdStartResult coldStart) {
  /** The format's name, the first field of every report. */
  public static final String SCHEMA = "edgevision.bench";

  /**
   * The version this code writes and reads. Version 2 added the sliced-inference axis ({@code
   * cell.tiles}, {@code cell.tile_size}, which are part of a cell's identity, so a version-1 reader
   * would match a sliced cell with an unsliced one), the detector stages and {@code
   * cells[].detector}.
   */
  public static final int SCHEMA_VERSION = 2;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Copies the cells. */
  public BenchReport {
    cells = List.copyOf(cells);
  }

  /**
   * Where the run happened.
   *
   * @param os OS name and version
   * @param arch CPU architecture
   * @param cpus processors available to the JVM
   * @param java Java runtime version
   * @param loadAverage one-minute load average at the start (-1 when unknown)
   */
  public record Host(String os, String arch, int cpus, String java, double loadAverage) {
    /**
     * @return this JVM's host
     */
    public static Host current() {
      return new Host(
          System.getProperty("os.name") + " " + System.getProperty("os.version"),
          System.getProperty("os.arch"),
          Runtime.getRuntime().availableProcessors(),
          Runtime.version().toString(),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /**
   * Settings shared by every cell.
   *
   * @param warmup unmeasured calls per cell
   * @param runs measured calls per cell (a cap when {@code durationSeconds} is set)
   * @param durationSeconds measuring time per cell, or 0 for "exactly {@code runs} calls"
   * @param frames where the frames came from
   * @param frameCount how many frames are cycled through
   * @param policy admission policy
   * @param interleaved true when the cells ran in the same rounds ({@code --interleave}: one call
   *     per cell per round, the order reversed every other round), false when one after another
   */
  public record Settings(
      int warmup,
      int runs,
      double durationSeconds,
      String frames,
      int frameCount,
      String policy,
      boolean interleaved) {}

  /**
   * @return the report as indented JSON
   */
  public String toJson() {
    try {
      return MAPPER.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the bench report", e);
    }
  }

  /**
   * Reads a report written by {@link #toJson()}.
   *
   * @param file a JSON file
   * @return the report
   * @throws IllegalArgumentException when the file is not a bench report of {@link #SCHEMA_VERSION}
   * @throws IOException when it cannot be read
   */
  public static BenchReport read(Path file) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !SCHEMA.equals(root.path("schema").asText(null))) {
      throw new IllegalArgumentException(
          file
              + " is not an EdgeVision bench report: expected \"schema\": \""
              + SCHEMA
              + "\", got "
              + (root == null ? "an empty file" : root.path("schema")));
    }
    int v = root.path("schema_version").asInt(-1);
    if (v != SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          file
              + " has bench report schema version "
              + v
              + ", this edgevision reads "
              + SCHEMA_VERSION
              + " (re-run the benchmark with this version)");
    }
    try {
      return MAPPER.treeToValue(root, BenchReport.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          file + " is not a valid bench report: " + e.getOriginalMessage(), e);
    }
  }
}
