package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.Budget;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.core.Ticker;
import io.edgevision.core.testing.TestModels;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.DuplicateSuppressor;
import io.edgevision.postprocess.Suppression;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The detector's one decode path on sdk-core's {@code tiny_detr_raw.onnx} (10 queries, labels red …
 * off).
 */
class DetrDetectorTest {
  private static InferenceSession tiny(Ticker ticker) {
    return InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
        .ticker(ticker)
        .build();
  }

  /**
   * A fake clock: every read advances it by 1 µs, so durations count reads and need no real time.
   */
  private static final class SteppingTicker implements Ticker {
    private final AtomicLong now = new AtomicLong();

    @Override
    public long read() {
      return now.addAndGet(1_000);
    }
  }

  @Test
  void decodeAndSuppressTimingsComeFromTheSessionTicker() {
    try (InferenceSession s = tiny(new SteppingTicker())) {
      DetectionResult r =
          DetrDetector.builder(s)
              .scoreThreshold(0.05f)
              .candidateThreshold(0.05f)
              .build()
              .detect(TrafficLightDetectorTest.frame(), Budget.unlimited());
      assertThat(r.detections()).isNotEmpty();
      // decode: one read before and one after decoding; suppress: from there to the end of the
      // result
      assertThat(r.timings().decodeNanos()).isEqualTo(1_000);
      assertThat(r.timings().suppressNanos()).isEqualTo(1_000);
    }
  }

  @Test
  void theSameTickerTimesTheWholeTrafficLightCall() {
    try (InferenceSession s = tiny(new SteppingTicker())) {
      TrafficLightResult r =
          TrafficLightDetector.builder(s)
              .classes(0, 1, 2, 3)
              .scoreThreshold(0.05f)
              .candidateThreshold(0.05f)
              .build()
              .detect(TrafficLightDetectorTest.frame(), Budget.ofMillis(50));
      assertThat(r.lights()).isNotEmpty();
      assertThat(r.timings().decodeNanos()).isEqualTo(1_000);
      assertThat(r.timings().detector().total().toNanos())
          .as("whole-microsecond steps of the fake clock")
          .isPositive()
          .isEqualTo(r.timings().detector().total().toNanos() / 1_000 * 1_000);
    }
  }

  static Stream<Arguments> configurations() {
    return Stream.of(
        // defaults at a low threshold: the suppressor folds duplicates, the report indexes the
        // candidates
        Arguments.of(DuplicateSuppressor.defaults(), new int[0]),
        // a suppressor that removes nothing: no report
        Arguments.of(DuplicateSuppressor.disabled(), new int[0]),
        // one class kept: the report keeps only lines whose survivor passed the filter
        Arguments.of(DuplicateSuppressor.defaults(), new int[] {2}));
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void reportIndexesTheKeptCandidatesAndSurvivors(DuplicateSuppressor suppressor, int[] classes) {
    try (InferenceSession s = tiny(Ticker.system())) {
      DetectionResult r =
          DetrDetector.builder(s)
              .suppressor(suppressor)
              .classes(classes)
              .keepCandidates(true)
              .scoreThreshold(0.05f)
              .candidateThreshold(0.05f)
              .build()
              .detect(TrafficLightDetectorTest.frame(), Budget.unlimited());
      assertThat(r.candidates()).isNotEmpty();
      for (Suppression sup : r.suppressed()) {
        assertThat(r.candidates().get(sup.candidateIndex())).isEqualTo(sup.suppressed());
        assertThat(r.detections().get(sup.survivorIndex())).isEqualTo(sup.survivor());
      }
      if (classes.length > 0) {
        assertThat(r.detections()).extracting(Detection::classId).containsOnly(classes[0]);
      }
      // without candidates kept, the detections and report are the same
      DetectionResult lean =
          DetrDetector.builder(s)
              .suppressor(suppressor)
              .classes(classes)
              .scoreThreshold(0.05f)
              .candidateThreshold(0.05f)
              .build()
              .detect(TrafficLightDetectorTest.frame(), Budget.unlimited());
      assertThat(lean.detections()).isEqualTo(r.detections());
      assertThat(lean.suppressed()).isEqualTo(r.suppressed());
      assertThat(lean.candidates()).isEmpty();
    }
  }

  @Test
  void resultsCarryTheVariantsLabelNames() {
    try (InferenceSession s = tiny(Ticker.system())) {
      TrafficLightResult r =
          TrafficLightDetector.builder(s)
              .classes(2)
              .scoreThreshold(0.05f)
              .candidateThreshold(0.05f)
              .build()
              .detect(TrafficLightDetectorTest.frame(), Budget.unlimited());
      assertThat(r.labels()).isEqualTo(LabelNames.of(List.of("red", "yellow", "green", "off")));
      assertThat(r.labels().name(2)).isEqualTo("green");
      assertThat(r.lights())
          .allSatisfy(l -> assertThat(l.label()).isEqualTo(r.labels().name(l.classId())));
    }
  }

  @Test
  void builderChangesAfterBuildDoNotReachTheDetector() {
    try (InferenceSession s = tiny(Ticker.system())) {
      DetrDetector.Builder b =
          DetrDetector.builder(s).scoreThreshold(0.05f).candidateThreshold(0.05f);
      DetrDetector d = b.build();
      DetectionResult before = d.detect(TrafficLightDetectorTest.frame(), Budget.unlimited());
      b.scoreThreshold(0.99f).candidateThreshold(0.99f);
      assertThat(d.detect(TrafficLightDetectorTest.frame(), Budget.unlimited()).detections())
          .isEqualTo(before.detections());
    }
  }

  @Test
  void unknownVariantsAreNamed() {
    try (InferenceSession s = tiny(Ticker.system())) {
      DetrDetector d = DetrDetector.builder(s).build();
      assertThatThrownBy(() -> d.labels("nope"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no variant 'nope'");
    }
  }
}
