package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceListener;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.core.Outcome;
import io.edgevision.core.PixelFormat;
import io.edgevision.core.testing.TestModels;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.LightState;
import io.edgevision.postprocess.ScoreKind;
import io.edgevision.postprocess.StateDecoder;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The second-stage classifier on the generated fixture {@code traffic_state_classifier.onnx}, whose
 * logits are {@code mean_rgb @ W + B} (tools/fixtures/make_detector_fixtures.py; W and B are read
 * back from its metadata).
 */
class StateClassifierTest {
  /** A 64x48 BGR frame of four 16-px-wide vertical bands: red, yellow, green, black. */
  static ImageFrame bands() {
    int w = 64;
    int h = 48;
    byte[] px = new byte[w * h * 3];
    int[][] bgr = {{0, 0, 255}, {0, 255, 255}, {0, 255, 0}, {0, 0, 0}};
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] c = bgr[x / 16];
        for (int k = 0; k < 3; k++) {
          px[3 * (y * w + x) + k] = (byte) c[k];
        }
      }
    }
    return ImageFrame.wrap(ByteBuffer.wrap(px), w, h, PixelFormat.BGR);
  }

  /**
   * Expected logits of a uniform crop of colour (r, g, b) in [0, 1], from the model's own W and B.
   */
  static float[] logits(InferenceSession s, float r, float g, float b) throws Exception {
    ObjectMapper json = new ObjectMapper();
    float[] w = json.readValue(s.model().customMetadata().get("edgevision.test.w"), float[].class);
    float[] bias =
        json.readValue(s.model().customMetadata().get("edgevision.test.b"), float[].class);
    float[] out = new float[4];
    for (int j = 0; j < 4; j++) {
      out[j] = r * w[j] + g * w[4 + j] + b * w[8 + j] + bias[j];
    }
    return out;
  }

  @Test
  void classifiesEveryCropInOneBatchedCallWithTheKnownOutputs() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger lastBatch = new AtomicInteger();
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("traffic_state_classifier.onnx")))
            .listener(
                new InferenceListener() {
                  @Override
                  public void callCompleted(InferenceResult<?> result) {
                    calls.incrementAndGet();
                    result.value().ifPresent(v -> lastBatch.set(((List<?>) v).size()));
                  }
                })
            .build()) {
      StateClassifier classifier =
          StateClassifier.builder(s).build(); // schema from the model's metadata
      assertThat(classifier.schema().size()).isEqualTo(4);
      // Boxes well inside each band, so the padded crops are uniform (padding 0.15 -> at most 3 px
      // here).
      List<Box> boxes =
          List.of(
              new Box(4, 10, 12, 30),
              new Box(20, 10, 28, 30),
              new Box(36, 10, 44, 30),
              new Box(52, 10, 60, 30));
      InferenceResult<List<LightState>> r = classifier.classify(bands(), boxes, Budget.unlimited());
      assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(calls.get()).as("one batched run").isEqualTo(1);
      assertThat(lastBatch.get()).isEqualTo(4);
      StateDecoder reference = StateDecoder.builder(classifier.schema()).build();
      float[][] colours = {{1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {0, 0, 0}};
      Colour[] expected = {Colour.RED, Colour.YELLOW, Colour.GREEN, Colour.OFF};
      for (int i = 0; i < 4; i++) {
        LightState got = r.get().get(i);
        LightState want =
            reference.decode(
                logits(s, colours[i][0], colours[i][1], colours[i][2]), ScoreKind.LOGITS);
        assertThat(got.colour()).as("crop %d", i).isEqualTo(expected[i]);
        assertThat(got.confidence()).as("crop %d", i).isCloseTo(want.confidence(), within(1e-5f));
        for (int k = 0; k < 4; k++) {
          assertThat(got.probability(k))
              .as("crop %d class %d", i, k)
              .isCloseTo(want.probability(k), within(1e-5f));
        }
      }
      // red (1,0,0): logits [8, 0, -8, -5] -> P(red) = e^8 / (e^8 + 1 + e^-8 + e^-5) = 0.99966
      assertThat(r.get().get(0).colourProbability(Colour.RED)).isCloseTo(0.99966f, within(1e-5f));
    }
  }

  static Stream<Arguments> cropRects() {
    return Stream.of(
        // 10x20 box, padding 0.1 -> 1 px and 2 px each side
        Arguments.of(new Box(10, 10, 20, 30), 100, 100, 0.1f, new int[] {9, 8, 12, 24}),
        // no padding, fractional edges rounded outwards
        Arguments.of(new Box(10.4f, 10.6f, 19.2f, 29.9f), 100, 100, 0f, new int[] {10, 10, 10, 20}),
        // padding clamped at the top-left corner of the frame
        Arguments.of(new Box(0, 0, 10, 10), 100, 100, 0.5f, new int[] {0, 0, 15, 15}),
        // padding clamped at the bottom-right corner of the frame
        Arguments.of(new Box(90, 90, 100, 100), 100, 100, 0.5f, new int[] {85, 85, 15, 15}),
        // a zero-size box still gives a 1x1 crop
        Arguments.of(new Box(5, 5, 5, 5), 100, 100, 0f, new int[] {5, 5, 1, 1}),
        // a box at the far edge of a 1x1 frame gives its only pixel
        Arguments.of(new Box(1, 1, 1, 1), 1, 1, 0.2f, new int[] {0, 0, 1, 1}));
  }

  @ParameterizedTest
  @MethodSource("cropRects")
  void cropRectangles(Box box, int w, int h, float padding, int[] expected) {
    assertThat(StateClassifier.cropRect(box, w, h, padding)).containsExactly(expected);
  }

  @Test
  void paddingBringsTheNeighbouringBandIntoTheCrop() throws Exception {
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("traffic_state_classifier.onnx")))
            .build()) {
      // A box on the right edge of the red band: without padding pure red, with 1.0 padding half
      // yellow.
      Box box = new Box(8, 10, 16, 30);
      LightState tight =
          StateClassifier.builder(s)
              .padding(0f)
              .build()
              .classify(bands(), List.of(box), Budget.unlimited())
              .get()
              .get(0);
      LightState padded =
          StateClassifier.builder(s)
              .padding(1f)
              .build()
              .classify(bands(), List.of(box), Budget.unlimited())
              .get()
              .get(0);
      assertThat(tight.colour()).isEqualTo(Colour.RED);
      // crop x 0..24: 16 px red + 8 px yellow -> mean (1, 1/3, 0): logits red 5.33, yellow 2, green
      // -5.33, off -7.67
      assertThat(padded.colourProbability(Colour.RED))
          .isLessThan(tight.colourProbability(Colour.RED));
      assertThat(padded.colourProbability(Colour.YELLOW))
          .isGreaterThan(tight.colourProbability(Colour.YELLOW));
    }
  }

  @Test
  void secondStageGivesEveryDetectedLightItsStateInOneCall() {
    AtomicInteger classifierCalls = new AtomicInteger();
    try (InferenceSession femto = Shared.session(Shared.FEMTO);
        InferenceSession cls =
            InferenceSession.builder(
                    ModelSource.of(TestModels.path("traffic_state_classifier.onnx")))
                .listener(
                    new InferenceListener() {
                      @Override
                      public void callCompleted(InferenceResult<?> result) {
                        classifierCalls.incrementAndGet();
                      }
                    })
                .build()) {
      StateClassifier classifier = StateClassifier.builder(cls).build();
      TrafficLightDetector detector =
          TrafficLightDetector.builder(femto).stateClassifier(classifier).build();
      ImageFrame frame = Shared.coco("000000000359.jpg");
      TrafficLightResult r = detector.detect(frame, Budget.unlimited());
      assertThat(r.lights()).hasSizeGreaterThanOrEqualTo(2);
      assertThat(classifierCalls.get()).isEqualTo(1);
      assertThat(r.timings().classifier().inferenceNanos()).isPositive();
      List<LightState> direct =
          classifier
              .classify(
                  frame, r.lights().stream().map(TrafficLight::box).toList(), Budget.unlimited())
              .get();
      for (int i = 0; i < r.lights().size(); i++) {
        TrafficLight l = r.lights().get(i);
        assertThat(l.stateSource()).isEqualTo(StateSource.CLASSIFIER);
        assertThat(l.state()).isPresent();
        assertThat(l.state().get().toString()).isEqualTo(direct.get(i).toString());
      }
    }
  }
}
