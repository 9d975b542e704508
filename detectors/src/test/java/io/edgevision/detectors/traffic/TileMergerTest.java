package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.detectors.traffic.TileGrid.Tile;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.Detections;
import io.edgevision.postprocess.DuplicateSuppressor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cross-tile merging on a 1000 x 400 frame cut into two 600 x 400 tiles overlapping by 200 px: the
 * left tile spans x 0..600, the right x 400..1000 (inner edges at x = 600 for the left tile and x =
 * 400 for the right).
 */
class TileMergerTest {
  static final int W = 1000;
  static final int H = 400;
  static final Tile LEFT = new Tile(0, 0, 600, 400);
  static final Tile RIGHT = new Tile(400, 0, 600, 400);
  static final Tile FULL = new Tile(0, 0, W, H);

  static Detection light(float x1, float y1, float x2, float y2, float score) {
    return Detection.of(new Box(x1, y1, x2, y2), 0, score);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // A light whole in the right tile (x 590..610) and cut at the left tile's inner edge (x
        // 590..600):
        // IoU 0.5 would not merge them reliably, IoMin 1.0 does; the whole box wins.
        Arguments.of(
            "cut at the left tile's edge",
            List.of(
                List.of(light(590, 100, 600, 140, 0.6f)), List.of(light(590, 100, 610, 140, 0.8f))),
            List.of(new Box(590, 100, 610, 140))),
        // The cut part has the higher score: the box is still the whole one, the score the higher.
        Arguments.of(
            "cut part scores higher",
            List.of(
                List.of(light(590, 100, 600, 140, 0.9f)), List.of(light(590, 100, 610, 140, 0.5f))),
            List.of(new Box(590, 100, 610, 140))),
        // A light wider than the overlap (x 350..650): cut in both tiles; the union is the light.
        Arguments.of(
            "cut in both tiles",
            List.of(
                List.of(light(350, 100, 600, 140, 0.7f)), List.of(light(400, 100, 650, 140, 0.6f))),
            List.of(new Box(350, 100, 650, 140))),
        // The same light whole in both tiles (inside the overlap): one box, by duplicate
        // suppression.
        Arguments.of(
            "whole in both tiles",
            List.of(
                List.of(light(480, 100, 500, 140, 0.7f)), List.of(light(481, 101, 500, 141, 0.6f))),
            List.of(new Box(480, 100, 500, 140))),
        // Two lights side by side, one per tile, touching no inner edge: both kept.
        Arguments.of(
            "neighbours in different tiles",
            List.of(
                List.of(light(300, 100, 320, 140, 0.7f)), List.of(light(700, 100, 720, 140, 0.6f))),
            List.of(new Box(300, 100, 320, 140), new Box(700, 100, 720, 140))),
        // A light cut at the edge next to a different light of the other tile that it barely
        // touches: no merge.
        Arguments.of(
            "cut light beside another",
            List.of(
                List.of(light(595, 100, 600, 140, 0.6f)), List.of(light(599, 100, 619, 140, 0.7f))),
            List.of(new Box(599, 100, 619, 140), new Box(595, 100, 600, 140))),
        // A light on the frame's own border (x 0..10) is not cut by a tile: kept as is.
        Arguments.of(
            "on the frame border",
            List.of(List.of(light(0, 100, 10, 140, 0.6f)), List.of()),
            List.of(new Box(0, 100, 10, 140))),
        // Cut in the left tile, whole in the full-frame pass and the right tile: one light, the
        // best whole box.
        Arguments.of(
            "cut, plus full frame",
            List.of(
                List.of(light(590, 100, 600, 140, 0.5f)),
                List.of(light(590, 100, 610, 140, 0.8f)),
                List.of(light(589, 99, 611, 141, 0.6f))),
            List.of(new Box(590, 100, 610, 140))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void mergesCrossTileDuplicates(String name, List<List<Detection>> perSource, List<Box> expected) {
    List<Tile> regions = List.of(LEFT, RIGHT, FULL);
    List<TileMerger.Source> sources = new ArrayList<>();
    for (int i = 0; i < perSource.size(); i++) {
      sources.add(
          new TileMerger.Source(regions.get(i), Detections.of(perSource.get(i)), List.of()));
    }
    TileMerger.Merged m =
        TileMerger.merge(
            sources, W, H, DuplicateSuppressor.defaults().toBuilder().scoreThreshold(0.3f).build());
    assertThat(m.detections().stream().map(Detection::box).toList())
        .containsExactlyElementsOf(expected);
    float best =
        (float)
            perSource.stream().flatMap(List::stream).mapToDouble(Detection::score).max().orElse(0);
    assertThat(m.detections().get(0).score())
        .as("the merged light keeps the best score")
        .isEqualTo(best);
    for (Detection d : m.detections()) {
      assertThat(d.queryIndex()).as("queries are per tile").isEqualTo(Detection.UNKNOWN_QUERY);
    }
    for (var s : m.suppressed()) {
      assertThat(s.survivorIndex()).isLessThan(m.detections().size());
      assertThat(s.survivor()).isEqualTo(m.detections().get(s.survivorIndex()));
    }
  }
}
