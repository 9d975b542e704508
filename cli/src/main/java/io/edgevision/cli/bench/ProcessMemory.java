package io.edgevision.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory of this process: resident set (native + Java, from Linux {@code /proc/self/status}
 * {@code VmHWM}) and Java heap in use (the heap pools' peak usage). {@link #resetPeaks()} starts a
 * new measuring window: the heap pools' peaks are reset, and on Linux the RSS high-water mark too
 * (writing {@code 5} to {@code /proc/self/clear_refs}). Where that is not possible the RSS peak
 * covers the process's whole life, and where {@code /proc} is missing it is -1. Static, not
 * synchronised: one measuring thread at a time.
 */
public final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private ProcessMemory() {}

  /** Starts a new peak window (best effort, see the class comment). */
  public static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.isValid()) {
        p.resetPeakUsage();
      }
    }
    try {
      Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      // not Linux, or not permitted: the peak then covers the whole process life (documented)
    }
  }

  /**
   * @return peak resident set in bytes since the last reset, or -1 when unknown
   */
  public static long peakRssBytes() {
    return statusKiB("VmHWM:");
  }

  /**
   * @return current resident set in bytes, or -1 when unknown
   */
  public static long rssBytes() {
    return statusKiB("VmRSS:");
  }

  /**
   * @return sum of the heap pools' peak usage since the last reset, in bytes
   */
  public static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.isValid()) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  static long statusKiB(String field) {
    try {
      for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
        if (line.startsWith(field)) {
          return parseKiB(line.substring(field.length()));
        }
      }
    } catch (IOException | SecurityException e) {
      return -1;
    }
    return -1;
  }

  /**
   * @param value e.g. {@code " 123456 kB"}
   * @return bytes
   */
  static long parseKiB(String value) {
    String v = value.trim();
    if (!v.endsWith("kB")) {
      throw new IllegalArgumentException("expected '<n> kB', got '" + value + "'");
    }
    return Long.parseLong(v.substring(0, v.length() - 2).trim()) * 1024;
  }
}
