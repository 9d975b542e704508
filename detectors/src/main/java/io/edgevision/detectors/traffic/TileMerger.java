package io.edgevision.detectors.traffic;

import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.Detections;
import io.edgevision.postprocess.DuplicateSuppressor;
import io.edgevision.postprocess.LabelScore;
import io.edgevision.postprocess.OverlapMetric;
import io.edgevision.postprocess.Suppression;
import io.edgevision.postprocess.SuppressionResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges the detections of the tiles (and the full-frame pass) of one frame into one list, in two
 * steps:
 *
 * <ol>
 *   <li><b>Clipping-aware merge.</b> A detection whose box touches an <i>inner</i> edge of its tile
 *       (an edge that is not the frame's border, within {@value #EDGE_TOLERANCE} px) may be a light
 *       cut by that edge. It is merged into the detection of the same class from another source
 *       whose box overlaps it most by intersection over the smaller area (IoMin ≥ {@value
 *       #EDGE_IOMIN}; plain IoU cannot see that a sliver is part of a whole box). When that partner
 *       is itself whole (touches no inner edge) the partner's box is kept; when both are cut (a
 *       light larger than the overlap) the union of the two boxes is the light. The merged
 *       detection has the higher score.
 *   <li><b>Duplicate suppression</b> with the detector's {@link DuplicateSuppressor} over all
 *       remaining candidates (every class), removing the same light found whole in two overlapping
 *       tiles, or in a tile and the full frame. Each candidate gets a query of its own, so that the
 *       same-query rule (whose DETR queries are per tile) never joins lights of different tiles.
 * </ol>
 *
 * The output's {@link Detection#queryIndex()} is {@link Detection#UNKNOWN_QUERY} (a query belongs
 * to one tile's run); its alternatives are those of the source detection plus those the suppression
 * folded in. The report re-points every source's own suppression entries, and the cross-source
 * ones, at the merged survivors; {@link Suppression#candidateIndex()} of an entry is the index of
 * the candidate in the concatenation of the sources' detections (source order).
 *
 * <p>Threading: stateless; safe everywhere.
 */
final class TileMerger {
  /** Pixels within which a box edge counts as lying on a tile edge. */
  static final float EDGE_TOLERANCE = 1.0f;

  /** Least intersection over the smaller box for a cut detection to be part of another. */
  static final float EDGE_IOMIN = 0.5f;

  private TileMerger() {}

  /**
   * The detections of one image of the plan, already mapped to frame pixels.
   *
   * @param region the tile, in frame pixels (the whole frame for the full-frame pass)
   * @param detections its detections (suppressed within the image), boxes in frame pixels
   * @param suppressed its own suppression report ({@code survivorIndex} indexes {@code detections})
   */
  record Source(TileGrid.Tile region, Detections detections, List<Suppression> suppressed) {
    Source {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(detections, "detections");
      suppressed = List.copyOf(suppressed);
    }
  }

  /**
   * @param detections the merged lights, highest score first
   * @param suppressed the report, {@code survivorIndex} indexing {@code detections}
   * @param edgeMerges how many cut detections were merged into another
   * @param invalid candidates the suppressor dropped as degenerate
   */
  record Merged(Detections detections, List<Suppression> suppressed, int edgeMerges, int invalid) {}

  /**
   * @param sources the tiles' (and full frame's) detections
   * @param frameWidth the frame width
   * @param frameHeight the frame height
   * @param suppressor the suppressor of the cross-source step
   * @return the merged detections and report
   */
  static Merged merge(
      List<Source> sources, int frameWidth, int frameHeight, DuplicateSuppressor suppressor) {
    int n = 0;
    for (Source s : sources) {
      n += s.detections().size();
    }
    Detection[] cand = new Detection[n];
    boolean[] cut = new boolean[n];
    int[] sourceOf = new int[n];
    int[] offset = new int[sources.size()];
    int k = 0;
    for (int s = 0; s < sources.size(); s++) {
      offset[s] = k;
      Source src = sources.get(s);
      for (Detection d : src.detections()) {
        cand[k] = d;
        sourceOf[k] = s;
        cut[k] = touchesInnerEdge(d.box(), src.region(), frameWidth, frameHeight);
        k++;
      }
    }

    // 1. Clipping-aware merge: cut detections, best score first, into their best partner of another
    // source.
    int[] absorbedBy = new int[n];
    Arrays.fill(absorbedBy, -1);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        Comparator.comparingDouble((Integer i) -> -cand[i].score()).thenComparingInt(i -> i));
    int edgeMerges = 0;
    for (int i : order) {
      if (!cut[i] || absorbedBy[i] >= 0) {
        continue;
      }
      int best = -1;
      float bestOverlap = EDGE_IOMIN;
      for (int j = 0; j < n; j++) {
        if (j == i
            || absorbedBy[j] >= 0
            || sourceOf[j] == sourceOf[i]
            || cand[j].classId() != cand[i].classId()) {
          continue;
        }
        float o = OverlapMetric.IOMIN.between(cand[i].box(), cand[j].box());
        if (o >= EDGE_IOMIN
            && (best < 0
                || o > bestOverlap
                || (o == bestOverlap && cand[j].score() > cand[best].score()))) {
          best = j;
          bestOverlap = o;
        }
      }
      if (best < 0) {
        continue;
      }
      Detection p = cand[best];
      Detection t = cand[i];
      Box box = cut[best] ? union(p.box(), t.box()) : p.box();
      Detection hi = t.score() > p.score() ? t : p;
      cand[best] = new Detection(box, hi.classId(), hi.score(), p.queryIndex(), hi.alternatives());
      cut[best] = cut[best] && touchesAnyInnerEdge(box, sources, frameWidth, frameHeight);
      absorbedBy[i] = best;
      edgeMerges++;
    }

    // 2. Duplicate suppression over the survivors of step 1; query = own index so the same-query
    // rule never fires.
    int[] alive = new int[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (absorbedBy[i] < 0) {
        alive[m++] = i;
      }
    }
    float[] xyxy = new float[4 * m];
    float[] scores = new float[m];
    int[] classes = new int[m];
    int[] queries = new int[m];
    for (int a = 0; a < m; a++) {
      Detection d = cand[alive[a]];
      d.box().toArray(xyxy, a);
      scores[a] = d.score();
      classes[a] = d.classId();
      queries[a] = a;
    }
    SuppressionResult r = suppressor.suppress(xyxy, scores, classes, queries, m);
    // final index of every alive candidate a (as a survivor, or through the survivor that
    // suppressed it)
    int[] finalOfAlive = new int[m];
    Arrays.fill(finalOfAlive, -1);
    List<Detection> out = new ArrayList<>(r.detections().size());
    for (int f = 0; f < r.detections().size(); f++) {
      Detection s = r.detections().get(f);
      int a = s.queryIndex();
      finalOfAlive[a] = f;
      Detection src = cand[alive[a]];
      out.add(
          new Detection(
              s.box(),
              s.classId(),
              s.score(),
              Detection.UNKNOWN_QUERY,
              alternatives(
                  s.classId(),
                  src.alternatives(),
                  s.alternatives(),
                  suppressor.maxAlternatives())));
    }
    for (Suppression s : r.suppressions()) {
      finalOfAlive[s.candidateIndex()] = s.survivorIndex();
    }
    int[] finalOf = new int[n];
    for (int a = 0; a < m; a++) {
      finalOf[alive[a]] = finalOfAlive[a];
    }
    for (int i = 0; i < n; i++) {
      int j = i;
      while (absorbedBy[j] >= 0) {
        j = absorbedBy[j];
      }
      if (j != i) {
        finalOf[i] = finalOf[j];
      }
    }

    List<Suppression> report = new ArrayList<>();
    for (int s = 0; s < sources.size(); s++) {
      for (Suppression e : sources.get(s).suppressed()) {
        int f = finalOf[offset[s] + e.survivorIndex()];
        if (f >= 0) {
          report.add(
              new Suppression(
                  offset[s] + e.survivorIndex(),
                  e.suppressed(),
                  f,
                  out.get(f),
                  e.rule(),
                  e.metric(),
                  e.overlap()));
        }
      }
    }
    for (Suppression e : r.suppressions()) {
      int f = e.survivorIndex();
      if (f < out.size()) {
        Detection sup = e.suppressed();
        report.add(
            new Suppression(
                alive[e.candidateIndex()],
                new Detection(
                    sup.box(), sup.classId(), sup.score(), Detection.UNKNOWN_QUERY, List.of()),
                f,
                out.get(f),
                e.rule(),
                e.metric(),
                e.overlap()));
      }
    }
    return new Merged(Detections.of(out), report, edgeMerges, r.invalidCount());
  }

  /** True when a box edge lies on an edge of the tile that is not the frame's border. */
  static boolean touchesInnerEdge(Box b, TileGrid.Tile t, int frameWidth, int frameHeight) {
    float e = EDGE_TOLERANCE;
    return (t.x() > 0 && b.x1() <= t.x() + e)
        || (t.y() > 0 && b.y1() <= t.y() + e)
        || (t.x2() < frameWidth && b.x2() >= t.x2() - e)
        || (t.y2() < frameHeight && b.y2() >= t.y2() - e);
  }

  private static boolean touchesAnyInnerEdge(
      Box b, List<Source> sources, int frameWidth, int frameHeight) {
    for (Source s : sources) {
      TileGrid.Tile t = s.region();
      boolean inside =
          b.x1() >= t.x() - EDGE_TOLERANCE
              && b.y1() >= t.y() - EDGE_TOLERANCE
              && b.x2() <= t.x2() + EDGE_TOLERANCE
              && b.y2() <= t.y2() + EDGE_TOLERANCE;
      if (inside && !touchesInnerEdge(b, t, frameWidth, frameHeight)) {
        return false; // whole inside some image of the plan
      }
    }
    return true;
  }

  private static Box union(Box a, Box b) {
    return new Box(
        Math.min(a.x1(), b.x1()),
        Math.min(a.y1(), b.y1()),
        Math.max(a.x2(), b.x2()),
        Math.max(a.y2(), b.y2()));
  }

  /**
   * The union of two alternative lists without {@code own}, best score per class, best first, at
   * most max.
   */
  private static List<LabelScore> alternatives(
      int own, List<LabelScore> a, List<LabelScore> b, int max) {
    Map<Integer, Float> best = new LinkedHashMap<>();
    for (List<LabelScore> list : List.of(a, b)) {
      for (LabelScore l : list) {
        if (l.classId() != own) {
          best.merge(l.classId(), l.score(), Math::max);
        }
      }
    }
    // Stream.toList and Collectors.toUnmodifiableList are missing on Android before API 33/34.
    return java.util.Collections.unmodifiableList(
        best.entrySet().stream()
            .sorted(
                Map.Entry.<Integer, Float>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(max)
            .map(e -> new LabelScore(e.getKey(), e.getValue()))
            .collect(java.util.stream.Collectors.toList()));
  }
}
