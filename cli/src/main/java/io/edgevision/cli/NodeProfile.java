package io.edgevision.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.OutputDecoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The longest nodes of a model, from ONNX Runtime's own profiler ({@link
 * InferenceSession.Builder#nativeProfiling}): {@code load --nodes N}. ONNX Runtime checks a run's
 * terminate flag between nodes, so the longest node bounds how long a run takes to stop after its
 * deadline. Stateless.
 */
final class NodeProfile {
  static final int TOP = 5;

  private NodeProfile() {}

  /** One node's kernel times over the profiled runs, microseconds (at least one). */
  record Node(String name, String op, List<Long> micros) {
    long max() {
      return micros.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    long p50() {
      List<Long> sorted = micros.stream().sorted().toList();
      return sorted.isEmpty() ? 0 : sorted.get((sorted.size() - 1) / 2);
    }
  }

  /**
   * Runs {@code runs} unbudgeted calls on a profiled session built from {@code b} and prints the
   * {@value #TOP} nodes with the longest single kernel time, and the node with the longest median
   * kernel time when it is not among them.
   */
  static void measure(
      InferenceSession.Builder b, ImageFrame frame, int runs, String config, PrintWriter out)
      throws IOException {
    Path dir = Files.createTempDirectory("edgevision-nodes");
    try {
      try (InferenceSession s = b.nativeProfiling(dir.resolve("profile")).build()) {
        for (int i = 0; i <= runs; i++) { // one more: the first run (warm-up) is dropped below
          s.run(frame, Budget.unlimited(), OutputDecoder.raw());
        }
      }
      Path primary;
      try (Stream<Path> files = Files.list(dir)) {
        primary =
            files
                .filter(p -> p.getFileName().toString().startsWith("profile-primary"))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "ONNX Runtime wrote no profile of the primary model in " + dir));
      }
      JsonNode events = new ObjectMapper().readTree(primary.toFile());
      List<Node> byMax = nodes(events);
      byMax.sort(Comparator.comparingLong(Node::max).reversed());
      List<Long> runMicros = new ArrayList<>();
      for (JsonNode e : events) {
        if ("model_run".equals(e.path("name").asText())) {
          runMicros.add(e.path("dur").asLong());
        }
      }
      if (!runMicros.isEmpty()) {
        runMicros.remove(0);
      }
      runMicros.sort(null);
      out.printf(
          Locale.ROOT,
          "%nnodes (%s, %d profiled runs, ONNX Runtime profiler): %d nodes, run p50 %.2f ms; longest"
              + " single kernel times, then the longest at p50:%n",
          config,
          runs,
          byMax.size(),
          runMicros.isEmpty() ? 0 : runMicros.get((runMicros.size() - 1) / 2) / 1e3);
      out.printf(Locale.ROOT, "  %-48s %-22s %8s %8s%n", "node", "op", "p50 ms", "max ms");
      List<Node> top = new ArrayList<>(byMax.subList(0, Math.min(TOP, byMax.size())));
      byMax.stream()
          .max(Comparator.comparingLong(Node::p50))
          .filter(n -> !top.contains(n))
          .ifPresent(top::add); // the node that is longest at the median, if not already listed
      for (Node n : top) {
        out.printf(
            Locale.ROOT,
            "  %-48s %-22s %8.2f %8.2f%n",
            n.name().length() > 48 ? "…" + n.name().substring(n.name().length() - 47) : n.name(),
            n.op(),
            n.p50() / 1e3,
            n.max() / 1e3);
      }
    } finally {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException | UncheckedIOException e) {
        // best effort: a temporary directory
      }
      Files.deleteIfExists(dir);
    }
  }

  /**
   * @param events ONNX Runtime's profile (Chrome trace events)
   * @return the nodes' kernel times, in order of first appearance, without each node's first
   *     (warm-up) time
   */
  static List<Node> nodes(JsonNode events) {
    Map<String, Node> byName = new LinkedHashMap<>();
    String suffix = "_kernel_time";
    for (JsonNode e : events) {
      String name = e.path("name").asText();
      if ("Node".equals(e.path("cat").asText()) && name.endsWith(suffix)) {
        String node = name.substring(0, name.length() - suffix.length());
        byName
            .computeIfAbsent(
                node,
                k -> new Node(k, e.path("args").path("op_name").asText("?"), new ArrayList<>()))
            .micros()
            .add(e.path("dur").asLong());
      }
    }
    List<Node> nodes = new ArrayList<>();
    for (Node n : byName.values()) {
      nodes.add(new Node(n.name(), n.op(), n.micros().subList(1, n.micros().size())));
    }
    return nodes;
  }
}
