package io.edgevision.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Frame;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.GroundTruth;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Prediction;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Report;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FrameMatcher + ApAccumulator (what the Spark job computes per frame and aggregates) against the
 * single-machine TrafficLightEvaluator on random frames, without Spark: equal to the last bit.
 */
class DistributedApTest {
  @ParameterizedTest(
      name = "seed {0}, {1} frames, score step {2}, crowd {3}, up to {4} predictions")
  @CsvSource({
    "1, 30, 0, false, 8", // plain frames, distinct scores
    "2, 30, 0.1, false, 8", // scores on a 0.1 grid: many ties within and across frames
    "3, 30, 0, true, 8", // crowd regions absorb predictions (ignored, not FP)
    "4, 5, 0.05, true, 150", // more than 100 predictions per frame (maxDets cut), ties and crowd
    "5, 20, 0.25, true, 3", // coarse ties, few predictions, frames without lights
  })
  void matchesAndAccumulatedApEqualTheEvaluator(
      long seed, int frames, float step, boolean crowd, int maxPreds) {
    Random rnd = new Random(seed);
    Colour[] colours = {Colour.RED, Colour.YELLOW, Colour.GREEN, Colour.UNKNOWN};
    List<Frame> evaluatorFrames = new ArrayList<>();
    List<List<FrameMatcher.Truth>> truths = new ArrayList<>();
    List<List<FrameMatcher.Predicted>> preds = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      List<GroundTruth> gt = new ArrayList<>();
      List<Prediction> pr = new ArrayList<>();
      int lights = rnd.nextInt(4);
      for (int g = 0; g < lights; g++) {
        Box b = box(rnd);
        boolean c = crowd && rnd.nextInt(5) == 0;
        gt.add(new GroundTruth(b, c, colours[rnd.nextInt(4)]));
      }
      int n = rnd.nextInt(maxPreds + 1);
      for (int p = 0; p < n; p++) {
        Box b =
            !gt.isEmpty() && rnd.nextBoolean()
                ? jitter(gt.get(rnd.nextInt(gt.size())).box(), rnd)
                : box(rnd);
        float s = rnd.nextFloat();
        if (step > 0) {
          s = Math.round(s / step) * step;
        }
        pr.add(new Prediction(b, s, colours[rnd.nextInt(4)]));
      }
      evaluatorFrames.add(new Frame("f" + f, gt, pr));
      truths.add(
          gt.stream().map(g -> new FrameMatcher.Truth(g.box(), g.crowd(), g.state())).toList());
      preds.add(
          pr.stream()
              .map(p -> new FrameMatcher.Predicted(p.box(), p.score(), p.colour()))
              .toList());
    }
    Report want = TrafficLightEvaluator.evaluate(evaluatorFrames, 0.3f);

    // What the job does: match each frame, then sort all ranked predictions (score desc, frame,
    // rank) and stream.
    record Global(float score, int frame, FrameMatcher.Ranked r) {}
    List<Global> all = new ArrayList<>();
    int gts = 0;
    long tp = 0;
    long fp = 0;
    int passed = 0;
    for (int f = 0; f < frames; f++) {
      FrameMatcher.FrameMatch m = FrameMatcher.match(truths.get(f), preds.get(f), 0.3f);
      gts += m.groundTruths();
      tp += m.truePositives();
      fp += m.falsePositives();
      passed += m.passed() ? 1 : 0;
      for (FrameMatcher.Ranked r : m.ranked()) {
        all.add(new Global(r.score(), f, r));
      }
    }
    all.sort(
        Comparator.comparing((Global g) -> -g.score())
            .thenComparingInt(Global::frame)
            .thenComparingInt(g -> g.r().rank()));
    ApAccumulator acc = new ApAccumulator(gts);
    all.forEach(g -> acc.add(g.r().truePositiveMask(), g.r().ignoredMask()));

    assertThat(gts).isEqualTo(want.groundTruths());
    assertThat(acc.ap50()).isEqualTo(want.ap50());
    assertThat(acc.ap5095()).isEqualTo(want.ap5095());
    assertThat(tp).isEqualTo(want.truePositives());
    assertThat(fp).isEqualTo(want.falsePositives());
    assertThat(passed).isEqualTo(want.passed());
    assertThat(want.ap50()).as("non-trivial").isGreaterThan(0.0);
  }

  private static Box box(Random rnd) {
    float x = rnd.nextFloat() * 600;
    float y = rnd.nextFloat() * 400;
    return new Box(x, y, x + 5 + rnd.nextFloat() * 40, y + 10 + rnd.nextFloat() * 60);
  }

  private static Box jitter(Box b, Random rnd) {
    float d = b.width() * 0.3f;
    return new Box(
        b.x1() + (rnd.nextFloat() - 0.5f) * d,
        b.y1() + (rnd.nextFloat() - 0.5f) * d,
        b.x2() + (rnd.nextFloat() - 0.5f) * d,
        b.y2() + (rnd.nextFloat() - 0.5f) * d);
  }
}
