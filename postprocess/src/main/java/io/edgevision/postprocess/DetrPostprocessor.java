package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;
import io.edgevision.postprocess.internal.TopK;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * <b>Read me first.</b> Turns the raw outputs of a DETR-family detector into clean detections in
 * pixels of the original frame: decode → DETR duplicate suppression → (optional) state decoding.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * // Once per model (immutable, shareable):
 * DetrPostprocessor post = DetrPostprocessor.builder(320, 320)       // model input size, pixels
 *     .numClasses(80)                                               // lets AUTO tell sigmoid from softmax
 *     .scoreThreshold(0.3f)
 *     .build();
 *
 * // Per frame: raw DINO/DEIM layout, pred_logits [Q*C], pred_boxes [Q*4] normalised cx,cy,w,h
 * BoxTransform toFrame = BoxTransform.resize(frameW, frameH, 320, 320);
 * DetrResult r = post.process(logits, boxes, 100, toFrame);
 * for (Detection d : r.detections()) { ... d.box(), d.classId(), d.score(), d.alternatives() ... }
 * for (Suppression s : r.suppressions()) { ... why each duplicate was removed ... }
 *
 * // Baked layout (labels int64 [Q], boxes x1,y1,x2,y2 pixels [Q*4], scores [Q]):
 * DetrResult b = post.processBaked(labels, boxesXyxy, scores, BoxTransform.IDENTITY);
 *
 * // Hot loop, zero allocation in steady state: one workspace per thread.
 * DetrWorkspace ws = new DetrWorkspace();
 * int n = post.processInto(logits, boxes, 100, toFrame, ws);
 * SuppressionWorkspace out = ws.output();          // out.x1(k), out.score(k), out.classId(k), ...
 * }</pre>
 *
 * <h2>Pipeline</h2>
 *
 * <ol>
 *   <li><b>Decode</b> ({@link DetrDecoding}): sigmoid top-{@code numSelect} over the flattened
 *       queries × classes (a bounded heap selects on the logits, so the sigmoid is applied to the
 *       selected only and nothing of size {@code Q × C} is sorted), one label per query, or softmax
 *       with "no object". Candidates scoring below {@code candidateThreshold} are dropped. Boxes:
 *       {@code cx, cy, w, h} → {@code x1, y1, x2, y2}, times the model input size → model-input
 *       pixels → {@link BoxTransform} → original-frame pixels, clamped when the transform says so.
 *   <li><b>Suppress</b> ({@link DuplicateSuppressor}): same-query collapse, cross-class duplicates,
 *       per-class NMS, neighbour guard, report. Invalid boxes (degenerate, non-finite) are dropped
 *       and counted.
 *   <li><b>Output</b>: survivors scoring at least {@code scoreThreshold}; lower candidates served
 *       only as evidence (alternatives). With a {@link StateDecoder}, each detection also gets a
 *       {@link LightState}.
 * </ol>
 *
 * <h2>Lifecycle</h2>
 *
 * Build once per model with {@link #builder(int, int)}; derive variants with {@link #toBuilder()}.
 * Nothing to close. Results ({@link DetrResult}) are owned by the caller; a {@link DetrWorkspace}'s
 * output is valid until its next use.
 *
 * <h2>Threading</h2>
 *
 * Immutable and thread-safe: share one instance across threads. {@link #process(float[], float[],
 * int, BoxTransform)} allocates a workspace per call; for throughput give each thread its own
 * {@link DetrWorkspace}. Workspaces are not thread-safe.
 *
 * <h2>Defaults</h2>
 *
 * <ul>
 *   <li>{@link #DEFAULT_DECODING} AUTO (rule in {@link DetrDecoding}).
 *   <li>{@link #DEFAULT_NUM_SELECT} 300: the top-k of DINO, Deformable-DETR and DEIM
 *       post-processors (and the DEIMv2 baked export).
 *   <li>{@link #DEFAULT_SCORE_THRESHOLD} 0.3: the low end of what works for small traffic lights
 *       with DEIMv2 (0.3–0.5; its sample uses 0.6 for large objects).
 *   <li>{@link #DEFAULT_CANDIDATE_THRESHOLD} 0.1: candidates between 0.1 and the score threshold
 *       are not output but feed the alternatives (e.g. COCO 359: bird 0.18, person 0.17, class 77
 *       0.15 behind a traffic light 0.45), at a bounded cost.
 *   <li>Suppressor: {@link DuplicateSuppressor#defaults()}. No state decoder.
 * </ul>
 *
 * <h2>Allocation</h2>
 *
 * {@link #processInto}/{@link #processBakedInto} allocate nothing once the workspace has grown
 * (checked with JMH {@code -prof gc}); {@code process*} methods also allocate the returned {@link
 * DetrResult} and its records.
 */
public final class DetrPostprocessor {
  /** Default decoding: {@link DetrDecoding#AUTO}. */
  public static final DetrDecoding DEFAULT_DECODING = DetrDecoding.AUTO;

  /** Default top-k over queries × classes for {@link DetrDecoding#SIGMOID_TOPK}. */
  public static final int DEFAULT_NUM_SELECT = 300;

  /** Default lowest score of an output detection. */
  public static final float DEFAULT_SCORE_THRESHOLD = 0.3f;

  /** Default lowest score of a decoded candidate (evidence for alternatives). */
  public static final float DEFAULT_CANDIDATE_THRESHOLD = 0.1f;

  private final int inputWidth;
  private final int inputHeight;
  private final DetrDecoding decoding;
  private final int numClasses;
  private final int numSelect;
  private final float scoreThreshold;
  private final float candidateThreshold;
  private final float candidateFloorLogit;
  private final DuplicateSuppressor suppressor;
  private final @Nullable StateDecoder stateDecoder;

  private DetrPostprocessor(Builder b) {
    inputWidth = b.inputWidth;
    inputHeight = b.inputHeight;
    decoding = b.decoding;
    numClasses = b.numClasses;
    numSelect = b.numSelect;
    scoreThreshold = b.scoreThreshold;
    candidateThreshold = b.candidateThreshold;
    candidateFloorLogit = floorLogit(candidateThreshold);
    suppressor = b.suppressor;
    stateDecoder = b.stateDecoder;
  }

  /**
   * @param inputWidth the model input width in pixels (normalised boxes are multiplied by it),
   *     positive
   * @param inputHeight the model input height in pixels, positive
   * @return a builder with every other setting at its default
   */
  public static Builder builder(int inputWidth, int inputHeight) {
    return new Builder(inputWidth, inputHeight);
  }

  /**
   * @return a builder holding this configuration
   */
  public Builder toBuilder() {
    Builder b = new Builder(inputWidth, inputHeight);
    b.decoding = decoding;
    b.numClasses = numClasses;
    b.numSelect = numSelect;
    b.scoreThreshold = scoreThreshold;
    b.candidateThreshold = candidateThreshold;
    b.suppressor = suppressor;
    b.stateDecoder = stateDecoder;
    return b;
  }

  /**
   * The concrete decoding this postprocessor uses for logits with {@code columns} columns per
   * query.
   *
   * @param columns logits columns per query
   * @return the decoding, never AUTO
   * @throws IllegalArgumentException when the columns contradict the configuration
   */
  public DetrDecoding resolveDecoding(int columns) {
    return DetrDecoding.resolve(decoding, columns, numClasses);
  }

  /**
   * Decodes and suppresses a raw layout, allocating a fresh workspace.
   *
   * @param logits {@code [Q][C']} class logits, row-major ({@code C'} = classes, or classes + 1 for
   *     softmax)
   * @param boxesCxcywh {@code [Q][4]} boxes {@code cx, cy, w, h} normalised to the model input
   * @param numQueries {@code Q}, at least 0
   * @param toFrame maps model-input pixels to original-frame pixels
   * @return the detections, report and counters
   * @throws IllegalArgumentException when the shapes are inconsistent
   */
  public DetrResult process(
      float[] logits, float[] boxesCxcywh, int numQueries, BoxTransform toFrame) {
    return process(logits, boxesCxcywh, numQueries, toFrame, new DetrWorkspace());
  }

  /**
   * Decodes and suppresses a raw layout with a reusable workspace; allocates only the returned
   * result.
   *
   * @param logits {@code [Q][C']} class logits
   * @param boxesCxcywh {@code [Q][4]} normalised {@code cx, cy, w, h}
   * @param numQueries {@code Q}
   * @param toFrame maps model-input pixels to original-frame pixels
   * @param ws the calling thread's workspace
   * @return the detections, report and counters
   * @throws IllegalArgumentException when the shapes are inconsistent
   */
  public DetrResult process(
      float[] logits, float[] boxesCxcywh, int numQueries, BoxTransform toFrame, DetrWorkspace ws) {
    processInto(logits, boxesCxcywh, numQueries, toFrame, ws);
    return toResult(ws);
  }

  /**
   * Decodes and suppresses a raw layout into {@code ws} without allocating (steady state). Read the
   * output from {@link DetrWorkspace#output()}.
   *
   * @param logits {@code [Q][C']} class logits
   * @param boxesCxcywh {@code [Q][4]} normalised {@code cx, cy, w, h}
   * @param numQueries {@code Q}
   * @param toFrame maps model-input pixels to original-frame pixels
   * @param ws the calling thread's workspace; overwritten
   * @return the number of output detections
   * @throws IllegalArgumentException when the shapes are inconsistent
   */
  public int processInto(
      float[] logits, float[] boxesCxcywh, int numQueries, BoxTransform toFrame, DetrWorkspace ws) {
    decodeInto(logits, boxesCxcywh, numQueries, toFrame, ws);
    return suppressInto(ws);
  }

  /**
   * The suppression step of the fused path: suppresses the candidates that {@link #decodeInto} or
   * {@link #decodeBakedInto} left in {@code ws} into {@link DetrWorkspace#output()}, without
   * allocating (steady state). {@code decodeInto} followed by {@code suppressInto} is exactly
   * {@link #processInto}; callers that time the two stages separately (the detectors) call them in
   * turn.
   *
   * @param ws the workspace a decode step just filled; its output is overwritten
   * @return the number of output detections
   */
  public int suppressInto(DetrWorkspace ws) {
    return suppressor.suppressInto(
        ws.candXyxy,
        ws.candScore,
        ws.candClass,
        ws.candQuery,
        ws.candCount,
        ws.output,
        scoreThreshold);
  }

  /**
   * Decodes a raw layout without any suppression or score threshold beyond {@code
   * candidateThreshold}: the candidates in the decoding's own order (top-k: score descending;
   * per-query modes: query order), for data pipelines and parity checks. Invalid boxes are dropped
   * and counted.
   *
   * @param logits {@code [Q][C']} class logits
   * @param boxesCxcywh {@code [Q][4]} normalised {@code cx, cy, w, h}
   * @param numQueries {@code Q}
   * @param toFrame maps model-input pixels to original-frame pixels
   * @return the candidates (no suppressions, no states)
   * @throws IllegalArgumentException when the shapes are inconsistent
   */
  public DetrResult decode(
      float[] logits, float[] boxesCxcywh, int numQueries, BoxTransform toFrame) {
    DetrWorkspace ws = new DetrWorkspace();
    decodeInto(logits, boxesCxcywh, numQueries, toFrame, ws);
    List<Detection> out = new ArrayList<>(ws.candCount);
    int invalid = 0;
    for (int i = 0; i < ws.candCount; i++) {
      if (!io.edgevision.postprocess.internal.Overlaps.isValid(ws.candXyxy, i)
          || !Float.isFinite(ws.candScore[i])) {
        invalid++;
        continue;
      }
      out.add(
          new Detection(
              Box.fromArray(ws.candXyxy, i),
              ws.candClass[i],
              ws.candScore[i],
              ws.candQuery[i],
              List.of()));
    }
    return new DetrResult(
        Detections.of(out), List.of(), List.of(), invalid, ws.candCount, ws.lastDecoding);
  }

  /**
   * Suppresses a baked layout (labels, boxes and scores computed by the exported graph), allocating
   * a fresh workspace. Query indices are unknown in baked layouts, so the same-query rule cannot
   * apply; a query's repeated labels have bit-identical boxes (IoU 1) and are removed by the
   * cross-class rule instead.
   *
   * @param labels {@code [Q]} 0-based class indices (ONNX int64)
   * @param boxesXyxy {@code [Q][4]} boxes {@code x1, y1, x2, y2} in pixels of the space {@code
   *     toFrame} maps from (pass {@link BoxTransform#IDENTITY} when the graph already scaled them
   *     to the original frame, as DEIMv2 does with {@code orig_target_sizes})
   * @param scores {@code [Q]} scores
   * @param toFrame maps the boxes to original-frame pixels
   * @return the detections, report and counters
   * @throws IllegalArgumentException when the shapes are inconsistent or a label is out of range
   */
  public DetrResult processBaked(
      long[] labels, float[] boxesXyxy, float[] scores, BoxTransform toFrame) {
    DetrWorkspace ws = new DetrWorkspace();
    processBakedInto(labels, boxesXyxy, scores, toFrame, ws);
    return toResult(ws);
  }

  /**
   * {@link #processBaked(long[], float[], float[], BoxTransform)} for {@code int} labels.
   *
   * @param labels {@code [Q]} 0-based class indices
   * @param boxesXyxy {@code [Q][4]} boxes {@code x1, y1, x2, y2}
   * @param scores {@code [Q]} scores
   * @param toFrame maps the boxes to original-frame pixels
   * @return the detections, report and counters
   * @throws IllegalArgumentException when the shapes are inconsistent or a label is negative
   */
  public DetrResult processBaked(
      int[] labels, float[] boxesXyxy, float[] scores, BoxTransform toFrame) {
    DetrWorkspace ws = new DetrWorkspace();
    processBakedInto(labels, boxesXyxy, scores, toFrame, ws);
    return toResult(ws);
  }

  /**
   * Allocation-free (steady state) baked-layout processing into {@code ws}.
   *
   * @param labels {@code [Q]} 0-based class indices (ONNX int64)
   * @param boxesXyxy {@code [Q][4]} boxes {@code x1, y1, x2, y2}
   * @param scores {@code [Q]} scores
   * @param toFrame maps the boxes to original-frame pixels
   * @param ws the calling thread's workspace; overwritten
   * @return the number of output detections
   * @throws IllegalArgumentException when the shapes are inconsistent or a label is out of range
   */
  public int processBakedInto(
      long[] labels, float[] boxesXyxy, float[] scores, BoxTransform toFrame, DetrWorkspace ws) {
    decodeBakedInto(labels, boxesXyxy, scores, toFrame, ws);
    return suppressInto(ws);
  }

  /**
   * {@link #processBakedInto(long[], float[], float[], BoxTransform, DetrWorkspace)} for {@code
   * int} labels.
   *
   * @param labels {@code [Q]} 0-based class indices
   * @param boxesXyxy {@code [Q][4]} boxes {@code x1, y1, x2, y2}
   * @param scores {@code [Q]} scores
   * @param toFrame maps the boxes to original-frame pixels
   * @param ws the calling thread's workspace; overwritten
   * @return the number of output detections
   * @throws IllegalArgumentException when the shapes are inconsistent or a label is negative
   */
  public int processBakedInto(
      int[] labels, float[] boxesXyxy, float[] scores, BoxTransform toFrame, DetrWorkspace ws) {
    int n = scores.length;
    Checks.checkArgument(
        labels.length == n, "expected %d labels (one per score), got %d", n, labels.length);
    ws.ensureCandidates(n);
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0) {
        Checks.checkArgument(false, "expected labels[%d] >= 0, got %d", i, labels[i]);
      }
      ws.candClass[i] = labels[i];
    }
    return bakedCommon(boxesXyxy, scores, toFrame, ws);
  }

  /**
   * The decode step of {@link #processBakedInto(long[], float[], float[], BoxTransform,
   * DetrWorkspace)}: keeps the rows scoring at least {@code candidateThreshold} (non-finite scores
   * are kept, to be counted invalid by the suppressor), in row order, mapped by {@code toFrame}, as
   * the candidates of {@code ws}. Follow with {@link #suppressInto(DetrWorkspace)}. Allocation-free
   * in steady state.
   *
   * @param labels {@code [Q]} 0-based class indices (ONNX int64)
   * @param boxesXyxy {@code [Q][4]} boxes {@code x1, y1, x2, y2}
   * @param scores {@code [Q]} scores
   * @param toFrame maps the boxes to original-frame pixels
   * @param ws the calling thread's workspace; overwritten
   * @return the number of candidates ({@link DetrWorkspace#candidateCount()})
   * @throws IllegalArgumentException when the shapes are inconsistent or a label is out of range
   */
  public int decodeBakedInto(
      long[] labels, float[] boxesXyxy, float[] scores, BoxTransform toFrame, DetrWorkspace ws) {
    int n = scores.length;
    Checks.checkArgument(
        labels.length == n, "expected %d labels (one per score), got %d", n, labels.length);
    ws.ensureCandidates(n);
    for (int i = 0; i < n; i++) {
      long label = labels[i];
      if (label < 0 || label > Integer.MAX_VALUE) {
        Checks.checkArgument(false, "expected labels[%d] in [0, 2^31), got %s", i, label);
      }
      ws.candClass[i] = (int) label;
    }
    return compactBaked(boxesXyxy, scores, toFrame, ws);
  }

  /** Decodes (compacts) baked rows, then suppresses. */
  private int bakedCommon(
      float[] boxesXyxy, float[] scores, BoxTransform toFrame, DetrWorkspace ws) {
    compactBaked(boxesXyxy, scores, toFrame, ws);
    return suppressInto(ws);
  }

  /**
   * Compacts rows at or above the candidate threshold (non-finite scores kept, to be counted
   * invalid).
   */
  private int compactBaked(
      float[] boxesXyxy, float[] scores, BoxTransform toFrame, DetrWorkspace ws) {
    Objects.requireNonNull(toFrame, "toFrame");
    int n = scores.length;
    Checks.checkArgument(
        boxesXyxy.length == 4 * n,
        "expected %d box values (4 per score), got %d",
        4 * n,
        boxesXyxy.length);
    int m = 0;
    for (int i = 0; i < n; i++) {
      float s = scores[i];
      if (s < candidateThreshold) {
        continue;
      }
      System.arraycopy(boxesXyxy, 4 * i, ws.candXyxy, 4 * m, 4);
      ws.candScore[m] = s;
      ws.candClass[m] = ws.candClass[i];
      ws.candQuery[m] = Detection.UNKNOWN_QUERY;
      m++;
    }
    ws.candCount = m;
    ws.lastDecoding = DetrDecoding.BAKED;
    if (!toFrame.isIdentity()) {
      toFrame.apply(ws.candXyxy, m);
    }
    return m;
  }

  private DetrResult toResult(DetrWorkspace ws) {
    SuppressionResult s = ws.output.toResult();
    List<LightState> states = List.of();
    StateDecoder sd = stateDecoder;
    if (sd != null) {
      List<LightState> list = new ArrayList<>(s.detections().size());
      for (Detection d : s.detections()) {
        list.add(sd.decodeDetection(d));
      }
      states = list;
    }
    return new DetrResult(
        s.detections(), s.suppressions(), states, s.invalidCount(), ws.candCount, ws.lastDecoding);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Decoding kernels: primitive arrays only, no allocation once the workspace has grown.

  /**
   * The decode step of {@link #processInto}: decodes a raw layout into the candidates of {@code ws}
   * (down to {@code candidateThreshold}, in the decoding's order, boxes mapped by {@code toFrame}),
   * without suppressing and without allocating (steady state). Follow with {@link
   * #suppressInto(DetrWorkspace)}.
   *
   * @param logits {@code [Q][C']} class logits
   * @param boxes {@code [Q][4]} normalised {@code cx, cy, w, h}
   * @param numQueries {@code Q}
   * @param toFrame maps model-input pixels to original-frame pixels
   * @param ws the calling thread's workspace; overwritten
   * @return the number of candidates ({@link DetrWorkspace#candidateCount()})
   * @throws IllegalArgumentException when the shapes are inconsistent
   */
  public int decodeInto(
      float[] logits, float[] boxes, int numQueries, BoxTransform toFrame, DetrWorkspace ws) {
    Objects.requireNonNull(toFrame, "toFrame");
    Checks.checkArgument(numQueries >= 0, "expected numQueries >= 0, got %d", numQueries);
    Checks.checkArgument(
        boxes.length == 4 * numQueries,
        "expected %d box values (4 per query), got %d",
        4 * numQueries,
        boxes.length);
    if (numQueries == 0) {
      Checks.checkArgument(
          logits.length == 0, "expected no logits for 0 queries, got %d", logits.length);
      ws.candCount = 0;
      ws.lastDecoding = DetrDecoding.resolve(decoding, Math.max(numClasses, 1), numClasses);
      return 0;
    }
    Checks.checkArgument(
        logits.length % numQueries == 0 && logits.length > 0,
        "expected logits.length to be a positive multiple of numQueries = %d, got %d",
        numQueries,
        logits.length);
    int columns = logits.length / numQueries;
    DetrDecoding mode = DetrDecoding.resolve(decoding, columns, numClasses);
    ws.lastDecoding = mode;
    int n;
    switch (mode) {
      case SIGMOID_TOPK:
        n = decodeSigmoidTopK(logits, numQueries * columns, columns, ws);
        break;
      case SIGMOID_ONE_PER_QUERY:
        n = decodeSigmoidPerQuery(logits, numQueries, columns, ws);
        break;
      case SOFTMAX_NO_OBJECT:
        n = decodeSoftmax(logits, numQueries, columns, ws);
        break;
      default:
        throw new AssertionError(mode);
    }
    ws.candCount = n;
    float w = inputWidth;
    float h = inputHeight;
    float[] xyxy = ws.candXyxy;
    int[] query = ws.candQuery;
    for (int i = 0; i < n; i++) {
      int b = 4 * query[i];
      float cx = boxes[b];
      float cy = boxes[b + 1];
      float hw = 0.5f * boxes[b + 2];
      float hh = 0.5f * boxes[b + 3];
      int p = 4 * i;
      xyxy[p] = (cx - hw) * w;
      xyxy[p + 1] = (cy - hh) * h;
      xyxy[p + 2] = (cx + hw) * w;
      xyxy[p + 3] = (cy + hh) * h;
    }
    if (!toFrame.isIdentity()) {
      toFrame.apply(xyxy, n);
    }
    return n;
  }

  /** Top-k on the logits (sigmoid is monotonic), then sigmoid on the selected only. */
  private int decodeSigmoidTopK(float[] logits, int total, int classes, DetrWorkspace ws) {
    int k = Math.min(numSelect, total);
    ws.ensureSelection(k);
    ws.ensureCandidates(k);
    TopK heap = ws.heap;
    heap.reset(k);
    // One comparison per logit on the hot path. Before the heap is full the bar is the candidate
    // floor; after,
    // it is just above the heap's minimum: scanning in index order, an equal value always has a
    // larger index than
    // the root and would lose the tie, so strictly greater is exact.
    float bar = candidateFloorLogit;
    for (int i = 0; i < total; i++) {
      float v = logits[i];
      if (v >= bar) {
        heap.offer(v, i);
        if (heap.isFull()) {
          bar = Math.nextUp(heap.minValue());
        }
      }
    }
    int selected = heap.drain(ws.selValues, ws.selIndices);
    int n = 0;
    for (int s = 0; s < selected; s++) {
      float score = sigmoid(ws.selValues[s]);
      if (score < candidateThreshold) {
        continue;
      }
      int flat = ws.selIndices[s];
      ws.candScore[n] = score;
      ws.candClass[n] = flat % classes;
      ws.candQuery[n] = flat / classes;
      n++;
    }
    return n;
  }

  private int decodeSigmoidPerQuery(float[] logits, int queries, int classes, DetrWorkspace ws) {
    ws.ensureCandidates(queries);
    int n = 0;
    for (int q = 0; q < queries; q++) {
      int base = q * classes;
      int best = 0;
      float bestValue = logits[base];
      for (int c = 1; c < classes; c++) {
        float v = logits[base + c];
        if (v > bestValue || bestValue != bestValue) {
          best = c;
          bestValue = v;
        }
      }
      if (!(bestValue >= candidateFloorLogit)) {
        continue;
      }
      float score = sigmoid(bestValue);
      if (score < candidateThreshold) {
        continue;
      }
      ws.candScore[n] = score;
      ws.candClass[n] = best;
      ws.candQuery[n] = q;
      n++;
    }
    return n;
  }

  private int decodeSoftmax(float[] logits, int queries, int columns, DetrWorkspace ws) {
    ws.ensureCandidates(queries);
    int classes = columns - 1;
    int n = 0;
    for (int q = 0; q < queries; q++) {
      int base = q * columns;
      float max = logits[base];
      int best = 0;
      float bestValue = logits[base];
      for (int c = 1; c < columns; c++) {
        float v = logits[base + c];
        max = Math.max(max, v);
        if (c < classes && v > bestValue) {
          best = c;
          bestValue = v;
        }
      }
      if (!Float.isFinite(max)) {
        continue; // NaN or infinite logits give no meaningful distribution: no candidate.
      }
      double sum = 0;
      for (int c = 0; c < columns; c++) {
        sum += Math.exp((double) logits[base + c] - max);
      }
      float score = (float) (Math.exp((double) bestValue - max) / sum);
      if (!(score >= candidateThreshold)) {
        continue;
      }
      ws.candScore[n] = score;
      ws.candClass[n] = best;
      ws.candQuery[n] = q;
      n++;
    }
    return n;
  }

  private static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
  }

  /** A logit slightly below logit(p), so that the exact score test after the sigmoid decides. */
  private static float floorLogit(float p) {
    if (p <= 0f) {
      return Float.NEGATIVE_INFINITY;
    }
    if (p >= 1f) {
      return Float.MAX_VALUE;
    }
    double logit = Math.log(p / (1.0 - p));
    return (float) (logit - 1e-4 * Math.max(1.0, Math.abs(logit)));
  }

  /**
   * Builds an immutable {@link DetrPostprocessor}; validates in {@link #build()}. Use from one
   * thread.
   */
  public static final class Builder {
    private final int inputWidth;
    private final int inputHeight;
    private DetrDecoding decoding = DEFAULT_DECODING;
    private int numClasses;
    private int numSelect = DEFAULT_NUM_SELECT;
    private float scoreThreshold = DEFAULT_SCORE_THRESHOLD;
    private float candidateThreshold = DEFAULT_CANDIDATE_THRESHOLD;
    private DuplicateSuppressor suppressor = DuplicateSuppressor.defaults();
    private @Nullable StateDecoder stateDecoder;

    private Builder(int inputWidth, int inputHeight) {
      this.inputWidth = inputWidth;
      this.inputHeight = inputHeight;
    }

    /**
     * @param mode the decoding, or AUTO (default)
     * @return this builder
     */
    public Builder decoding(DetrDecoding mode) {
      decoding = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * @param classes the number of real classes (without "no object"), or 0 for unknown (default);
     *     lets AUTO tell {@code C} from {@code C + 1} columns and validates the logits width
     * @return this builder
     */
    public Builder numClasses(int classes) {
      numClasses = classes;
      return this;
    }

    /**
     * @param k the top-k of {@link DetrDecoding#SIGMOID_TOPK}, at least 1 (default 300)
     * @return this builder
     */
    public Builder numSelect(int k) {
      numSelect = k;
      return this;
    }

    /**
     * @param threshold the lowest score of an output detection, in {@code [0, 1]} (default 0.3)
     * @return this builder
     */
    public Builder scoreThreshold(float threshold) {
      scoreThreshold = threshold;
      return this;
    }

    /**
     * @param threshold the lowest score of a decoded candidate, in {@code [0, scoreThreshold]}
     *     (default 0.1)
     * @return this builder
     */
    public Builder candidateThreshold(float threshold) {
      candidateThreshold = threshold;
      return this;
    }

    /**
     * @param duplicateSuppressor the suppressor (its own score threshold is replaced by this
     *     builder's)
     * @return this builder
     */
    public Builder suppressor(DuplicateSuppressor duplicateSuppressor) {
      suppressor = Objects.requireNonNull(duplicateSuppressor, "duplicateSuppressor");
      return this;
    }

    /**
     * @param decoder decodes each output detection's state from its label and alternatives (classes
     *     = the schema's joint classes), or null for none (default)
     * @return this builder
     */
    public Builder stateDecoder(@Nullable StateDecoder decoder) {
      stateDecoder = decoder;
      return this;
    }

    /**
     * @return the postprocessor
     * @throws IllegalArgumentException when a value is out of range
     */
    public DetrPostprocessor build() {
      Checks.checkArgument(
          inputWidth > 0 && inputHeight > 0,
          "expected a positive input size, got %dx%d",
          inputWidth,
          inputHeight);
      Checks.checkArgument(numClasses >= 0, "expected numClasses >= 0, got %d", numClasses);
      Checks.checkArgument(numSelect >= 1, "expected numSelect >= 1, got %d", numSelect);
      Checks.checkUnit(scoreThreshold, "scoreThreshold");
      Checks.checkUnit(candidateThreshold, "candidateThreshold");
      Checks.checkArgument(
          candidateThreshold <= scoreThreshold,
          "expected candidateThreshold <= scoreThreshold, got %s",
          candidateThreshold + " > " + scoreThreshold);
      if (stateDecoder != null && numClasses > 0) {
        Checks.checkArgument(
            numClasses == stateDecoder.schema().size(),
            "expected the state schema to have numClasses = %d classes, got %d",
            numClasses,
            stateDecoder.schema().size());
      }
      return new DetrPostprocessor(this);
    }
  }
}
