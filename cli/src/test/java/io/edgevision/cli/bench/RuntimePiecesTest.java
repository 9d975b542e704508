package io.edgevision.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuntimePiecesTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // the form /proc/self/status uses
        "'   123456 kB' | 126418944",
        "'0 kB'         | 0"
      })
  void parsesProcStatusSizes(String value, long bytes) {
    assertThat(ProcessMemory.parseKiB(value)).isEqualTo(bytes);
  }

  @Test
  void refusesSizesWithoutUnit() {
    assertThatThrownBy(() -> ProcessMemory.parseKiB("12 MB"))
        .hasMessage("expected '<n> kB', got '12 MB'");
  }

  @Test
  void peakHeapIsAtLeastWhatAnAllocationKeepsAlive() {
    ProcessMemory.resetPeaks();
    byte[] keep = new byte[32 << 20];
    keep[keep.length - 1] = 1;
    assertThat(ProcessMemory.peakHeapBytes()).isGreaterThanOrEqualTo(keep.length);
    long rss = ProcessMemory.rssBytes();
    if (rss > 0) { // Linux: the high-water mark read after the current size is at least that size
      assertThat(ProcessMemory.peakRssBytes()).isGreaterThanOrEqualTo(rss);
    }
  }

  @Test
  void contendingLoadRunsItsThreadsUntilClosed() {
    ContendingLoad load = ContendingLoad.start(2);
    assertThat(load.running()).isEqualTo(2);
    load.close();
    assertThat(load.running()).isZero();
    load.close(); // idempotent
    try (ContendingLoad none = ContendingLoad.start(0)) {
      assertThat(none.running()).isZero();
    }
    assertThatThrownBy(() -> ContendingLoad.start(-1))
        .hasMessage("contend must be between 0 and 1024 busy threads, got -1");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // the children's line of bash 'times': user, then system
        "0m0.914s 0m0.120s | 1034000000",
        // minutes count
        "1m2.500s 0m0.000s | 62500000000"
      })
  void parsesBashTimes(String line, long nanos) {
    assertThat(ColdStart.parseTimes(line)).isEqualTo(nanos);
  }

  @Test
  void refusesOtherTimesOutput() {
    assertThatThrownBy(() -> ColdStart.parseTimes("0.9 0.1")).hasMessageContaining("got '0.9 0.1'");
  }

  @Test
  void coldStartLaunchesDetectAndTheBareProbe() throws Exception {
    java.io.StringWriter progress = new java.io.StringWriter();
    ColdStartResult r =
        ColdStart.measure(1, java.util.List.of(), new java.io.PrintWriter(progress, true));
    assertThat(r.pairs()).isEqualTo(1);
    assertThat(r.detectMedianMs()).isPositive();
    assertThat(r.bareMedianMs()).isPositive();
    assertThat(r.ratio())
        .isEqualTo(
            r.detectMedianMs() / r.bareMedianMs(), org.assertj.core.api.Assertions.within(1e-6));
    assertThat(r.detectCommand()).endsWith("io.edgevision.cli.Main", "detect", "--json");
    assertThat(r.bareCommand()).last().isEqualTo(BareOrtProbe.class.getName());
    assertThat(progress.toString()).contains("cold start pair 1/1");
  }
}
