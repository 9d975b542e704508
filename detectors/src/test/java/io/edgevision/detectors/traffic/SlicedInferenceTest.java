package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.core.Outcome;
import io.edgevision.core.PixelFormat;
import io.edgevision.core.Ticker;
import io.edgevision.core.testing.TestModels;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Detection;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sliced inference end to end on sdk-core's {@code tiny_detr_raw.onnx} (64×64 input, dynamic
 * batch): its outputs depend only on the per-channel mean of its input, so a tile of one colour
 * always gives the same detections, whatever frame it was cut from.
 */
class SlicedInferenceTest {
  /** A BGR frame whose left half is one colour and right half another. */
  static ImageFrame halves(int w, int h, int[] left, int[] right) {
    byte[] px = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] c = x < w / 2 ? left : right;
        for (int k = 0; k < 3; k++) {
          px[(y * w + x) * 3 + k] = (byte) c[k];
        }
      }
    }
    return ImageFrame.wrap(ByteBuffer.wrap(px), w, h, PixelFormat.BGR);
  }

  static InferenceSession tiny() {
    return InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx"))).build();
  }

  static TrafficLightDetector.Builder detector(InferenceSession s) {
    return TrafficLightDetector.builder(s)
        .labelSchema(TrafficLightDetectorTest.SCHEMA)
        .scoreThreshold(0.05f)
        .candidateThreshold(0.05f);
  }

  @Test
  void batchedFramesDecodeAsSingleFrames() {
    try (InferenceSession s = tiny()) {
      DetrDetector detr =
          DetrDetector.builder(s).scoreThreshold(0.05f).candidateThreshold(0.05f).build();
      ImageFrame a = halves(64, 64, new int[] {200, 30, 30}, new int[] {200, 30, 30});
      ImageFrame b = halves(96, 64, new int[] {10, 220, 90}, new int[] {10, 220, 90});
      InferenceResult<List<DetrDetector.Decoded>> batch =
          detr.detectBatch(List.of(a, b), Budget.unlimited());
      assertThat(batch.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(batch.get().get(0).detections())
          .isEqualTo(detr.detect(a, Budget.unlimited()).detections());
      assertThat(batch.get().get(1).detections())
          .as("boxes scaled to the second frame's own size")
          .isEqualTo(detr.detect(b, Budget.unlimited()).detections());
      assertThat(batch.get().get(0).detections()).isNotEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        // two 64x64 tiles side by side, no overlap: the right tile's boxes are shifted by exactly
        // 64 px
        "two tiles;        128; 64;  0.0",
        // 0.25 * 64 = 16 px overlap, stride 48: 1 + ceil(96 / 48) = 3 tiles at x 0, 48, 96 (the
        // middle one spans
        // both halves and is skipped by the check)
        "overlapping;      160; 64;  0.25",
      })
  void tileBoxesMapBackToFramePixelsExactly(String name, int w, int h, float overlap) {
    int[] red = {20, 20, 230};
    int[] green = {40, 200, 60};
    try (InferenceSession s = tiny()) {
      TrafficLightDetector sliced =
          detector(s)
              .slicing(Slicing.tiles(8).toBuilder().overlap(overlap).fullFrame(false).build())
              .build();
      TrafficLightDetector plain = detector(s).slicing(Slicing.off()).build();
      ImageFrame frame = halves(w, h, red, green);
      TrafficLightResult r = sliced.detect(frame, Budget.unlimited());
      List<TileGrid.Tile> tiles = TileGrid.plan(w, h, 64, 64, overlap);
      assertThat(r.tiling().sliced()).isTrue();
      assertThat(r.tiling().tiles()).isEqualTo(tiles.size());
      assertThat(r.tiling().batched()).isTrue();
      int checked = 0;
      for (TileGrid.Tile t : tiles) {
        // A tile cut from the frame is one colour when it lies in one half; run that colour alone,
        // unsliced.
        boolean inLeft = t.x2() <= w / 2;
        boolean inRight = t.x() >= w / 2;
        if (!inLeft && !inRight) {
          continue;
        }
        ImageFrame alone = halves(64, 64, inLeft ? red : green, inLeft ? red : green);
        for (TrafficLight l : plain.detect(alone, Budget.unlimited()).lights()) {
          Box b = l.box();
          Box shifted = new Box(b.x1() + t.x(), b.y1() + t.y(), b.x2() + t.x(), b.y2() + t.y());
          if (TileMerger.touchesInnerEdge(shifted, t, w, h)) {
            continue; // may have been merged with a neighbour tile's part
          }
          boolean suppressedAcrossTiles =
              r.suppressed().stream().anyMatch(e -> e.suppressed().box().equals(shifted));
          assertThat(
                  r.lights().stream()
                          .anyMatch(x -> x.box().equals(shifted) && x.score() == l.score())
                      || suppressedAcrossTiles)
              .as("tile %s light %s shifted to %s", t, b, shifted)
              .isTrue();
          checked++;
        }
      }
      assertThat(checked).as("the table must exercise some boxes").isGreaterThan(0);
    }
  }

  /**
   * A clock that only moves when told (the session's and the detector's, so no real time enters the
   * plan).
   */
  static final class FakeTicker implements Ticker {
    final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
      return now.get();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        // unlimited: the plan as asked (at most 4 tiles -> 3 tiles of 137x128) plus the full frame
        "unlimited;      -1;  true;  3; true;  false; COMPLETED",
        // 40 ms at 10 ms per image fits all 4 images
        "fits all;       40;  true;  3; true;  false; COMPLETED",
        // 35 ms fits 3: full frame + 2 larger tiles (151x128)
        "fits 3;         35;  true;  2; true;  true;  DEGRADED",
        // 15 ms fits 1: the full frame alone
        "fits 1;         15;  false; 0; true;  true;  DEGRADED",
      })
  void theBudgetCutsTiles(
      String name,
      long budgetMs,
      boolean sliced,
      int tiles,
      boolean fullFrame,
      boolean cut,
      Outcome outcome) {
    FakeTicker clock = new FakeTicker();
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
            .ticker(clock)
            .cancelAtDeadline(false)
            .build()) {
      TrafficLightDetector d =
          detector(s)
              .slicing(Slicing.tiles(4).toBuilder().tileCost(Duration.ofMillis(10)).build())
              .build();
      Budget budget = budgetMs < 0 ? Budget.unlimited() : Budget.ofMillis(budgetMs);
      TrafficLightResult r =
          d.detect(halves(256, 128, new int[] {20, 20, 230}, new int[] {40, 200, 60}), budget);
      assertThat(r.tiling().sliced()).isEqualTo(sliced);
      assertThat(r.tiling().tiles()).isEqualTo(tiles);
      assertThat(r.tiling().fullFrame()).isEqualTo(fullFrame);
      assertThat(r.tiling().budgetLimited()).isEqualTo(cut);
      assertThat(r.tiling().plannedTiles()).isEqualTo(3);
      assertThat(r.outcome()).isEqualTo(outcome);
      if (cut) {
        assertThat(r.message()).contains("budget").contains("fits");
      } else {
        assertThat(r.message()).isEmpty();
      }
      assertThat(r.lights()).isNotEmpty();
    }
  }

  @Test
  void smallFramesAreNotSlicedByDefault() {
    try (InferenceSession s = tiny()) {
      TrafficLightDetector d = detector(s).build();
      // 100x100 is sqrt(10000 / 4096) = 1.56x the 64x64 input: below AUTO's 2
      TrafficLightResult small =
          d.detect(halves(100, 100, new int[] {1, 2, 3}, new int[] {4, 5, 6}), Budget.unlimited());
      assertThat(small.tiling()).isEqualTo(TilingReport.NONE);
      // 200x100 is 2.2x: sliced
      TrafficLightResult large =
          d.detect(halves(200, 100, new int[] {1, 2, 3}, new int[] {4, 5, 6}), Budget.unlimited());
      assertThat(large.tiling().sliced()).isTrue();
      assertThat(large.lights())
          .allSatisfy(l -> assertThat(l.queryIndex()).isEqualTo(Detection.UNKNOWN_QUERY));
    }
  }

  @Test
  void oneDetectorSharedByEightThreadsGivesIdenticalSlicedLights() throws Exception {
    try (InferenceSession s = tiny()) {
      TrafficLightDetector d = detector(s).slicing(Slicing.tiles(6)).build();
      ImageFrame frame = halves(256, 128, new int[] {20, 20, 230}, new int[] {40, 200, 60});
      List<TrafficLight> expected = d.detect(frame, Budget.unlimited()).lights();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        List<java.util.concurrent.Future<List<TrafficLight>>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
          futures.add(pool.submit(() -> d.detect(frame, Budget.unlimited()).lights()));
        }
        for (var f : futures) {
          // LightState has no equals (identity): compare the full text, exact floats of boxes and
          // scores included
          assertThat(f.get().toString()).isEqualTo(expected.toString());
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(expected).isNotEmpty();
    }
  }

  @Test
  void nv21FramesAreCutAsBgr() {
    int w = 128;
    int h = 64;
    byte[] yuv = new byte[w * h * 3 / 2];
    for (int i = 0; i < yuv.length; i++) {
      yuv[i] = (byte) (i < w * h ? 120 : 128);
    }
    ImageFrame nv21 = ImageFrame.wrap(ByteBuffer.wrap(yuv), w, h, PixelFormat.NV21);
    List<ImageFrame> crops = SlicedRunner.crops(nv21, List.of(new TileGrid.Tile(64, 0, 64, 64)));
    assertThat(crops.get(0).format()).isEqualTo(PixelFormat.BGR);
    assertThat(crops.get(0).width()).isEqualTo(64);
    ByteBuffer px = crops.get(0).data();
    // Y 120 with neutral chroma is grey in BGR (OpenCV's integer NV21 conversion gives 121)
    assertThat(px.get(0) & 0xff).isCloseTo(120, within(2));
    assertThat(px.get(0)).isEqualTo(px.get(1)).isEqualTo(px.get(2));
  }
}
