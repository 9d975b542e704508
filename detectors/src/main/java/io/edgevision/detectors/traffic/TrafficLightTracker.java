package io.edgevision.detectors.traffic;

import io.edgevision.core.ImageFrame;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Boxes;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.LabelSchema;
import io.edgevision.postprocess.LightState;
import io.edgevision.postprocess.StateClass;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Follows traffic lights across the frames of one video: associates detections to tracks by IoU,
 * filters each track's colour with a small hidden-Markov model whose transitions know the legal
 * order of a signal, flags flashing lights, and coasts through missed frames. Time comes from the
 * frames' timestamps ({@link ImageFrame#timestampNanos()}), never from a clock, so replaying a
 * recording gives the same tracks.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * TrafficLightTracker tracker = TrafficLightTracker.builder().build();    // one per video stream
 * for (ImageFrame frame : video) {                                      // frames carry timestamps
 *   TrafficLightResult r = detector.detect(frame, Budget.ofMillis(40));
 *   for (TrackedLight t : tracker.update(frame, r)) { ... t.id(), t.colour(), t.flashing() ... }
 * }
 * }</pre>
 *
 * <h2>Rules, in the order applied at each update</h2>
 *
 * <ol>
 *   <li><b>Association</b>: every (track, light) pair with IoU ≥ {@code minIou} is a candidate;
 *       pairs are taken greedily by decreasing IoU, each track and light at most once. Unmatched
 *       lights start new tracks, by decreasing score, unless they overlap a track matched or
 *       started in this update with IoU ≥ {@code minIou} (a detector duplicate of a light already
 *       tracked: ignored). Tracks unseen for longer than {@code maxAge} are dropped, and so is an
 *       unmatched track whose box overlaps a matched one with IoU ≥ {@code minIou} (one light
 *       tracked twice). A track's box is its latest matched box.
 *   <li><b>Prediction</b>: each track keeps a probability for each of RED, YELLOW, GREEN and OFF.
 *       Over the time {@code dt} since its last update a signal leaves its colour with probability
 *       {@code 1 − exp(−dt / meanPhase)}; of that, {@code 1 − illegalShare} goes to its legal
 *       successors ({@code legalNext}, evenly) and {@code illegalShare} to the other colours
 *       (evenly). A track that is not matched in a frame is only predicted: it keeps its colour
 *       while it coasts.
 *   <li><b>Observation</b>: a matched light with a state gives a reading: its colour marginals
 *       {@code r_c} ({@link LightState#colourProbability}, used even when the state itself is below
 *       its confidence floor). A colour is read as itself with probability {@code 1 − misreadRate}
 *       and as each other one with {@code misreadRate/3}; the likelihood of true colour {@code s}
 *       is {@code Σ_c r_c·P(read c | s)} plus {@code (1 − Σ r)/4} for what the reading leaves
 *       unassigned (an unsure reading says little). The reading's most probable colour is {@link
 *       TrackedLight#observed()}. Lights without a state do not update the colour.
 *   <li><b>Flashing</b>: lit (red/yellow/green) ↔ off changes of the readings are toggles. A track
 *       is flashing while the flash window ({@code flashWindow}) holds at least {@code
 *       flashMinToggles} toggles, no two consecutive ones (nor the last one and now) further apart
 *       than {@code flashMaxPhase}. A flashing track's OFF readings are not observed, so it keeps
 *       its lit colour.
 *   <li><b>Decision</b>: the track's colour is the most probable one ({@link
 *       TrackedLight#probability()}); ties keep the current colour. A new track takes its first
 *       reading at once.
 *   <li><b>Joint states</b> (optional, {@link Builder#states(LabelSchema)}): a second filter of the
 *       same kind runs over the joint states of the detector's label schema (red, red + left arrow,
 *       …) with the joint probabilities as the reading; a change of arrows within one colour is a
 *       legal transition there. {@link TrackedLight#state()} is its most probable joint state of
 *       the colour chosen above (the colour itself always comes from the four-colour filter, whose
 *       legal successors are not diluted by arrows).
 * </ol>
 *
 * <p>What this gives with the defaults at 10 fps and readings of confidence 0.9: one reading of a
 * legal successor (red → green, green → yellow, yellow → red) is not enough, two consecutive ones
 * switch the light (100 ms late); an illegal change (green → red, a lamp going dark) needs three
 * consecutive readings; a single misread frame of any colour never flips a light; and after a wrong
 * switch the probability mass left on the true colour brings it back as soon as the readings do. At
 * 5 fps or slower one reading of a legal successor switches at once. {@link TrackedLight#held()}
 * tells when the latest reading was not followed.
 *
 * <h2>Lifecycle</h2>
 *
 * One tracker per video stream; {@link #reset()} forgets every track (e.g. after a seek).
 *
 * <h2>Threading</h2>
 *
 * <b>Not thread-safe</b>: call {@link #update} from one thread at a time (frames of one stream are
 * sequential anyway). The returned snapshots are immutable.
 *
 * <h2>Defaults</h2>
 *
 * <ul>
 *   <li>{@link #DEFAULT_MIN_IOU} 0.3: lights move little between frames at video rates; lower than
 *       detector NMS thresholds so that a jittering box keeps its track, high enough that adjacent
 *       lamps never swap.
 *   <li>{@link #DEFAULT_MAX_AGE} 1 s: rides out short occlusions and missed detections.
 *   <li>{@link #DEFAULT_LEGAL_NEXT}: green → yellow → red → green (no red-and-amber colour; OFF may
 *       turn into any colour, a signal being switched on). Red + left arrow is red for the tracker.
 *   <li>{@link #DEFAULT_MEAN_PHASE} 2 s: shorter than real phases (3 s and more), so the filter
 *       stays quick to follow a legal change at any frame rate.
 *   <li>{@link #DEFAULT_ILLEGAL_SHARE} 0.02 and {@link #DEFAULT_MISREAD_RATE} 0.1: an illegal
 *       change is 50 times less likely than a legal one; one confident reading in ten may show a
 *       wrong colour.
 *   <li>{@link #DEFAULT_FLASH_WINDOW} 3 s, {@link #DEFAULT_FLASH_MIN_TOGGLES} 3, {@link
 *       #DEFAULT_FLASH_MAX_PHASE} 1.5 s: flashing signals blink at about 1 Hz (on and off phases of
 *       0.5–1 s); three toggles are one and a half blinks, so a single on→off change (a light
 *       switching off) is never taken for flashing.
 * </ul>
 */
public final class TrafficLightTracker {
  /** Default lowest IoU for associating a light with a track. */
  public static final double DEFAULT_MIN_IOU = 0.3;

  /** Default time a track survives unseen. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

  /** Default mean time a signal stays in one colour (the prediction's time constant). */
  public static final Duration DEFAULT_MEAN_PHASE = Duration.ofSeconds(2);

  /** Default share of a colour change that goes to colours that are not legal successors. */
  public static final double DEFAULT_ILLEGAL_SHARE = 0.02;

  /** Default probability that a confident reading shows a wrong colour. */
  public static final double DEFAULT_MISREAD_RATE = 0.1;

  /** Default span in which toggles are counted for flashing. */
  public static final Duration DEFAULT_FLASH_WINDOW = Duration.ofSeconds(3);

  /** Default toggles needed for flashing. */
  public static final int DEFAULT_FLASH_MIN_TOGGLES = 3;

  /** Default longest on or off phase of a flashing light. */
  public static final Duration DEFAULT_FLASH_MAX_PHASE = Duration.ofMillis(1500);

  /** Default legal successors: green → yellow → red → green; off → any lit colour. */
  public static final Map<Colour, Set<Colour>> DEFAULT_LEGAL_NEXT =
      Map.of(
          Colour.GREEN, Set.of(Colour.YELLOW),
          Colour.YELLOW, Set.of(Colour.RED),
          Colour.RED, Set.of(Colour.GREEN),
          Colour.OFF, Set.of(Colour.RED, Colour.YELLOW, Colour.GREEN));

  /** The filtered colours, in the order of the probability arrays. */
  static final Colour[] STATES = {Colour.RED, Colour.YELLOW, Colour.GREEN, Colour.OFF};

  private final double minIou;
  private final long maxAge;
  private final double meanPhaseNanos;
  private final double misreadRate;
  private final long flashWindow;
  private final int flashMinToggles;
  private final long flashMaxPhase;

  /** The joint states filtered in joint mode, null in colour mode. */
  private final @Nullable LabelSchema schema;

  /** legal[i][j]: colour STATES[j] is a legal successor of colour STATES[i]. */
  private final boolean[][] legal;

  /** Joint mode: the colour of each joint class of the schema; empty in colour mode. */
  private final Colour[] jointColour;

  /** Joint mode: jointLegal[i][j]: joint class j is a legal successor of joint class i. */
  private final boolean[][] jointLegal;

  private final double illegalShare;

  private final List<Track> tracks = new ArrayList<>();
  private long nextId = 1;
  private long lastTimestamp = Long.MIN_VALUE;

  private TrafficLightTracker(Builder b) {
    minIou = b.minIou;
    maxAge = b.maxAge.toNanos();
    meanPhaseNanos = b.meanPhase.toNanos();
    illegalShare = b.illegalShare;
    misreadRate = b.misreadRate;
    flashWindow = b.flashWindow.toNanos();
    flashMinToggles = b.flashMinToggles;
    flashMaxPhase = b.flashMaxPhase.toNanos();
    schema = b.schema;
    legal = legalMatrix(STATES, b.legalNext, false);
    jointColour = new Colour[schema == null ? 0 : schema.size()];
    for (int i = 0; i < jointColour.length; i++) {
      jointColour[i] = schema.stateClass(i).colour();
    }
    jointLegal = legalMatrix(jointColour, b.legalNext, true);
  }

  /**
   * legal[i][j]: state j's colour is a legal successor of state i's, or (arrows) the same known
   * colour.
   */
  private static boolean[][] legalMatrix(
      Colour[] colourOf, Map<Colour, Set<Colour>> legalNext, boolean arrows) {
    int n = colourOf.length;
    boolean[][] legal = new boolean[n][n];
    for (int i = 0; i < n; i++) {
      Set<Colour> next = legalNext.getOrDefault(colourOf[i], Set.of());
      for (int j = 0; j < n; j++) {
        boolean otherArrows = arrows && colourOf[i] == colourOf[j] && colourOf[i] != Colour.UNKNOWN;
        legal[i][j] = i != j && (next.contains(colourOf[j]) || otherArrows);
      }
    }
    return legal;
  }

  /**
   * @return a builder with the defaults above
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Updates the tracks with one frame's detection result.
   *
   * @param frame the frame the result came from; must carry a timestamp ({@link
   *     ImageFrame#withTimestamp})
   * @param result its detection result (a result without value, e.g. CANCELLED, updates ages only)
   * @return every live track after the update, oldest first
   * @throws IllegalArgumentException when the frame has no timestamp or goes back in time
   */
  public List<TrackedLight> update(ImageFrame frame, TrafficLightResult result) {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(result, "result");
    long t =
        frame
            .timestampNanos()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "expected a frame with a timestamp (ImageFrame.withTimestamp), got "
                            + frame));
    return update(t, result.lights());
  }

  /**
   * Updates the tracks with the lights seen at one instant.
   *
   * @param timestampNanos the frame's capture time, nanoseconds, non-decreasing across calls
   * @param lights the lights detected in that frame
   * @return every live track after the update, oldest first
   * @throws IllegalArgumentException when the timestamp goes back in time
   */
  public List<TrackedLight> update(long timestampNanos, List<TrafficLight> lights) {
    Objects.requireNonNull(lights, "lights");
    if (lastTimestamp != Long.MIN_VALUE && timestampNanos < lastTimestamp) {
      throw new IllegalArgumentException(
          "expected non-decreasing timestamps, got " + timestampNanos + " after " + lastTimestamp);
    }
    lastTimestamp = timestampNanos;
    for (Track tr : tracks) {
      tr.seen = false;
    }
    boolean[] used = new boolean[lights.size()];
    associate(lights, used, timestampNanos);
    Integer[] order = new Integer[lights.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(lights.get(b).score(), lights.get(a).score()));
    for (int i : order) {
      if (!used[i] && !overlapsSeenTrack(lights.get(i).box())) {
        Track tr = new Track(nextId++, lights.get(i).box(), timestampNanos, jointColour.length);
        tracks.add(tr);
        observe(tr, lights.get(i), timestampNanos);
      }
    }
    tracks.removeIf(
        tr -> timestampNanos - tr.lastSeen > maxAge || !tr.seen && overlapsSeenTrack(tr.box));
    return tracks();
  }

  /**
   * @return snapshots of every live track, oldest first
   */
  public List<TrackedLight> tracks() {
    List<TrackedLight> out = new ArrayList<>(tracks.size());
    for (Track tr : tracks) {
      out.add(
          new TrackedLight(
              tr.id,
              tr.box,
              tr.colour,
              Optional.ofNullable(tr.state),
              tr.flashing,
              tr.observed,
              tr.probability,
              tr.held,
              tr.hits,
              tr.firstSeen,
              tr.lastSeen,
              tr.seen));
    }
    return List.copyOf(out);
  }

  /** Forgets every track and the last timestamp (ids keep increasing). */
  public void reset() {
    tracks.clear();
    lastTimestamp = Long.MIN_VALUE;
  }

  /**
   * Whether a box overlaps a track matched (or started) in this update: the same light, seen twice.
   */
  private boolean overlapsSeenTrack(Box box) {
    for (Track tr : tracks) {
      if (tr.seen && Boxes.iou(tr.box, box) >= minIou) {
        return true;
      }
    }
    return false;
  }

  private void associate(List<TrafficLight> lights, boolean[] used, long now) {
    List<double[]> pairs = new ArrayList<>(); // {iou, track index, light index}
    for (int k = 0; k < tracks.size(); k++) {
      for (int i = 0; i < lights.size(); i++) {
        double iou = Boxes.iou(tracks.get(k).box, lights.get(i).box());
        if (iou >= minIou) {
          pairs.add(new double[] {iou, k, i});
        }
      }
    }
    pairs.sort((a, b) -> Double.compare(b[0], a[0]));
    boolean[] taken = new boolean[tracks.size()];
    for (double[] p : pairs) {
      int k = (int) p[1];
      int i = (int) p[2];
      if (taken[k] || used[i]) {
        continue;
      }
      taken[k] = true;
      used[i] = true;
      Track tr = tracks.get(k);
      tr.box = lights.get(i).box();
      observe(tr, lights.get(i), now);
    }
  }

  private void observe(Track tr, TrafficLight light, long now) {
    tr.seen = true;
    tr.hits++;
    tr.lastSeen = now;
    if (light.state().isEmpty()) {
      tr.observed = Colour.UNKNOWN;
      tr.held = false;
      return;
    }
    LightState state = light.state().get();
    int n = jointColour.length;
    if (schema != null && state.classCount() != n) {
      throw new IllegalArgumentException(
          "expected states of the tracker's schema '"
              + schema.name()
              + "' ("
              + n
              + " classes), got a state of "
              + state.classCount()
              + " classes: "
              + state);
    }
    int read = 0;
    for (int j = 0; j < STATES.length; j++) {
      tr.colourFilter.reading[j] = state.colourProbability(STATES[j]);
      if (tr.colourFilter.reading[j] > tr.colourFilter.reading[read]) {
        read = j;
      }
    }
    checkReading(tr.colourFilter.reading, light);
    if (schema != null) {
      for (int j = 0; j < n; j++) {
        tr.jointFilter.reading[j] = state.probability(j);
      }
      checkReading(tr.jointFilter.reading, light);
    }
    Colour c = STATES[read];
    tr.observed = c;
    boolean lit = c != Colour.OFF;
    if (tr.lastLit != null && tr.lastLit != lit) {
      tr.toggles.addLast(now);
    }
    tr.lastLit = lit;
    while (!tr.toggles.isEmpty() && now - tr.toggles.peekFirst() >= flashWindow) {
      tr.toggles.removeFirst();
    }
    tr.flashing = isFlashing(tr.toggles, now);
    if (tr.flashing && !lit) {
      tr.held = false;
      return; // a flashing light's dark phase says nothing about its colour
    }
    if (tr.colour == Colour.UNKNOWN) {
      // first reading: start from a uniform prior
      tr.colourFilter.reset();
      tr.jointFilter.reset();
      tr.updated = now;
    }
    predict(tr, now);
    ColourFilter.observe(tr.colourFilter.prob, tr.colourFilter.reading, misreadRate);
    if (schema != null) {
      ColourFilter.observe(tr.jointFilter.prob, tr.jointFilter.reading, misreadRate);
    }
    decide(tr, read);
    tr.held = tr.colour != c;
  }

  /**
   * Rejects non-finite or out-of-range probabilities; rescales a reading that sums above 1
   * (rounding).
   */
  private static void checkReading(double[] reading, TrafficLight light) {
    double total = 0;
    for (double p : reading) {
      if (!(p >= 0 && p <= 1.0001)) {
        throw new IllegalArgumentException(
            "expected state probabilities in [0, 1], got " + p + " in " + light);
      }
      total += p;
    }
    if (total > 1) {
      for (int j = 0; j < reading.length; j++) {
        reading[j] /= total;
      }
    }
  }

  /**
   * Colour = the colour filter's most probable colour (ties keep the current colour, then the
   * reading's); joint state = the joint filter's most probable class of that colour.
   */
  private void decide(Track tr, int read) {
    double[] byColour = tr.colourFilter.prob;
    int best = tr.colour == Colour.UNKNOWN ? read : index(tr.colour);
    for (int j = 0; j < STATES.length; j++) {
      if (byColour[j] > byColour[best]) {
        best = j;
      }
    }
    tr.colour = STATES[best];
    tr.probability = (float) byColour[best];
    if (schema != null) {
      int joint = -1;
      for (int i = 0; i < jointColour.length; i++) {
        if (jointColour[i] == tr.colour
            && (joint < 0 || tr.jointFilter.prob[i] > tr.jointFilter.prob[joint])) {
          joint = i;
        }
      }
      tr.state = joint < 0 ? null : schema.stateClass(joint);
    }
  }

  /**
   * Moves the track's colour probabilities forward to {@code now} (no-op before its first reading).
   */
  private void predict(Track tr, long now) {
    if (tr.colour == Colour.UNKNOWN || now <= tr.updated) {
      return;
    }
    double leave = -Math.expm1(-(now - tr.updated) / meanPhaseNanos);
    ColourFilter.predict(tr.colourFilter.prob, legal, leave, illegalShare, tr.colourFilter.scratch);
    if (schema != null) {
      ColourFilter.predict(
          tr.jointFilter.prob, jointLegal, leave, illegalShare, tr.jointFilter.scratch);
    }
    tr.updated = now;
  }

  private static int index(Colour c) {
    for (int i = 0; i < STATES.length; i++) {
      if (STATES[i] == c) {
        return i;
      }
    }
    throw new IllegalArgumentException("expected one of RED, YELLOW, GREEN, OFF, got " + c);
  }

  private boolean isFlashing(ArrayDeque<Long> toggles, long now) {
    if (toggles.size() < flashMinToggles || now - toggles.peekLast() > flashMaxPhase) {
      return false;
    }
    long prev = Long.MIN_VALUE;
    for (long t : toggles) {
      if (prev != Long.MIN_VALUE && t - prev > flashMaxPhase) {
        return false;
      }
      prev = t;
    }
    return true;
  }

  /** Mutable per-track state, confined to the tracker. */
  private static final class Track {
    final long id;
    final long firstSeen;
    Box box;
    long lastSeen;
    int hits;
    boolean seen;
    Colour colour = Colour.UNKNOWN;
    Colour observed = Colour.UNKNOWN;
    float probability;
    boolean flashing;
    boolean held;
    long updated;
    @Nullable StateClass state;
    final FilterState colourFilter = new FilterState(STATES.length);
    final FilterState jointFilter;
    @Nullable Boolean lastLit;
    final ArrayDeque<Long> toggles = new ArrayDeque<>();

    Track(long id, Box box, long now, int jointStates) {
      this.jointFilter = new FilterState(jointStates);
      this.id = id;
      this.box = box;
      this.firstSeen = now;
      this.lastSeen = now;
    }
  }

  /** One filter's arrays: probabilities, the latest reading, scratch space. */
  private static final class FilterState {
    final double[] prob;
    final double[] reading;
    final double[] scratch;

    FilterState(int n) {
      prob = new double[n];
      reading = new double[n];
      scratch = new double[n];
    }

    void reset() {
      Arrays.fill(prob, prob.length == 0 ? 0 : 1.0 / prob.length);
    }
  }

  /** Builds a {@link TrafficLightTracker}; validates in {@link #build()}. Use from one thread. */
  public static final class Builder {
    private double minIou = DEFAULT_MIN_IOU;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private Duration meanPhase = DEFAULT_MEAN_PHASE;
    private double illegalShare = DEFAULT_ILLEGAL_SHARE;
    private double misreadRate = DEFAULT_MISREAD_RATE;
    private Duration flashWindow = DEFAULT_FLASH_WINDOW;
    private int flashMinToggles = DEFAULT_FLASH_MIN_TOGGLES;
    private Duration flashMaxPhase = DEFAULT_FLASH_MAX_PHASE;
    private Map<Colour, Set<Colour>> legalNext = DEFAULT_LEGAL_NEXT;
    private @Nullable LabelSchema schema;

    private Builder() {}

    /**
     * Joint-state mode: filter the joint states of {@code labelSchema} (red, red + left arrow, …)
     * instead of the four colours, and report {@link TrackedLight#state()}. Transitions between
     * joint states follow the legal order of their colours; a change of arrows within one colour
     * (red → red + left arrow) is legal too. Every light given to the tracker must then carry a
     * state of this schema. Default: colour mode (no schema).
     *
     * @param labelSchema the detector's label schema
     * @return this builder
     */
    public Builder states(LabelSchema labelSchema) {
      schema = Objects.requireNonNull(labelSchema, "labelSchema");
      return this;
    }

    /**
     * @param iou lowest IoU to associate a light with a track, in {@code (0, 1]} (default 0.3)
     * @return this builder
     */
    public Builder minIou(double iou) {
      minIou = iou;
      return this;
    }

    /**
     * @param age how long a track survives without a match, at least 0 (default 1 s)
     * @return this builder
     */
    public Builder maxAge(Duration age) {
      maxAge = Objects.requireNonNull(age, "age");
      return this;
    }

    /**
     * @param phase mean time a signal stays in one colour, positive (default 2 s); shorter follows
     *     changes sooner, longer smooths more
     * @return this builder
     */
    public Builder meanPhase(Duration phase) {
      meanPhase = Objects.requireNonNull(phase, "phase");
      return this;
    }

    /**
     * @param share the share of a colour change that goes to colours that are not legal successors,
     *     in {@code (0, 1]} (default 0.02); 1 treats every colour alike (no sequence knowledge)
     * @return this builder
     */
    public Builder illegalShare(double share) {
      illegalShare = share;
      return this;
    }

    /**
     * @param rate probability that a confident reading shows a wrong colour, in {@code (0, 0.75)}
     *     (default 0.1)
     * @return this builder
     */
    public Builder misreadRate(double rate) {
      misreadRate = rate;
      return this;
    }

    /**
     * @param next the legal successors of each colour among RED, YELLOW, GREEN, OFF (default {@link
     *     #DEFAULT_LEGAL_NEXT}); a colour absent from the map has none
     * @return this builder
     */
    public Builder legalNext(Map<Colour, Set<Colour>> next) {
      Map<Colour, Set<Colour>> copy = new EnumMap<>(Colour.class);
      for (Map.Entry<Colour, Set<Colour>> e : next.entrySet()) {
        copy.put(e.getKey(), Set.copyOf(e.getValue()));
      }
      legalNext = Map.copyOf(copy);
      return this;
    }

    /**
     * @param window span in which on/off toggles are counted, positive (default 3 s)
     * @param minToggles toggles needed, at least 2 (default 3)
     * @param maxPhase longest on or off phase of a flashing light, positive (default 1.5 s)
     * @return this builder
     */
    public Builder flashing(Duration window, int minToggles, Duration maxPhase) {
      flashWindow = Objects.requireNonNull(window, "window");
      flashMinToggles = minToggles;
      flashMaxPhase = Objects.requireNonNull(maxPhase, "maxPhase");
      return this;
    }

    /**
     * @return the tracker
     * @throws IllegalArgumentException when a value is out of range
     */
    public TrafficLightTracker build() {
      check(minIou > 0 && minIou <= 1, "minIou in (0, 1]", minIou);
      check(!maxAge.isNegative(), "maxAge >= 0", maxAge);
      check(!meanPhase.isNegative() && !meanPhase.isZero(), "a positive mean phase", meanPhase);
      check(illegalShare > 0 && illegalShare <= 1, "illegal share in (0, 1]", illegalShare);
      check(misreadRate > 0 && misreadRate < 0.75, "misread rate in (0, 0.75)", misreadRate);
      check(
          !flashWindow.isNegative() && !flashWindow.isZero(),
          "a positive flash window",
          flashWindow);
      check(flashMinToggles >= 2, "flash min toggles >= 2", flashMinToggles);
      check(
          !flashMaxPhase.isNegative() && !flashMaxPhase.isZero(),
          "a positive flash max phase",
          flashMaxPhase);
      for (Map.Entry<Colour, Set<Colour>> e : legalNext.entrySet()) {
        check(
            e.getKey() != Colour.UNKNOWN
                && !e.getValue().contains(Colour.UNKNOWN)
                && !e.getValue().contains(e.getKey()),
            "legal successors among RED, YELLOW, GREEN, OFF, other than" + " the colour itself",
            e);
      }
      return new TrafficLightTracker(this);
    }

    private static void check(boolean ok, String expected, Object got) {
      if (!ok) {
        throw new IllegalArgumentException("expected " + expected + ", got " + got);
      }
    }
  }
}
