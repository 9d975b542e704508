package io.edgevision.detectors.traffic;

import io.edgevision.core.ImageFrame;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.LightState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Follows traffic lights across the frames of one video: associates detections to tracks by IoU, votes each
 * track's colour over a time window with hysteresis, flags flashing lights and applies sequence rules. Time comes
 * from the frames' timestamps ({@link ImageFrame#timestampNanos()}), never from a clock, so replaying a recording
 * gives the same tracks.
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
 *   <li><b>Association</b>: every (track, light) pair with IoU ≥ {@code minIou} is a candidate; pairs are taken
 *       greedily by decreasing IoU, each track and light at most once. Unmatched lights start new tracks;
 *       tracks unseen for longer than {@code maxAge} are dropped. A track's box is its latest matched box.
 *   <li><b>Observation</b>: a matched light's colour ({@link LightState#colour()}; UNKNOWN when it has no state,
 *       which does not vote) is recorded with its state confidence as weight. Observations older than
 *       {@code voteWindow} (strictly: kept while {@code now - t < voteWindow}) leave the vote.
 *   <li><b>Flashing</b>: lit (red/yellow/green) ↔ off changes are toggles. A track is flashing while the flash
 *       window ({@code flashWindow}) holds at least {@code flashMinToggles} toggles, no two consecutive ones (nor
 *       the last one and now) further apart than {@code flashMaxPhase}. A flashing track's OFF observations do
 *       not vote, so it keeps its lit colour.
 *   <li><b>Vote with hysteresis</b>: the leading colour (highest summed weight; ties keep the current colour)
 *       replaces the track's colour only when its share of the weight is at least {@code switchShare} and it has
 *       led for {@code switchFrames} consecutive observed frames. A new track takes its first leader at once.
 *   <li><b>Sequence rules</b>: a switch {@code from → to} that matches a {@link SequenceRule} is further held
 *       until {@code to} has led for the rule's duration ({@link TrackedLight#held()} is true meanwhile).
 * </ol>
 *
 * <h2>Lifecycle</h2>
 *
 * One tracker per video stream; {@link #reset()} forgets every track (e.g. after a seek).
 *
 * <h2>Threading</h2>
 *
 * <b>Not thread-safe</b>: call {@link #update} from one thread at a time (frames of one stream are sequential
 * anyway). The returned snapshots are immutable.
 *
 * <h2>Defaults</h2>
 *
 * <ul>
 *   <li>{@link #DEFAULT_MIN_IOU} 0.3: lights move little between frames at video rates; lower than detector NMS
 *       thresholds so that a jittering box keeps its track, high enough that adjacent lamps never swap.
 *   <li>{@link #DEFAULT_MAX_AGE} 1 s: rides out short occlusions and missed detections.
 *   <li>{@link #DEFAULT_VOTE_WINDOW} 1 s, {@link #DEFAULT_SWITCH_SHARE} 0.6, {@link #DEFAULT_SWITCH_FRAMES} 2:
 *       a single misread frame never flips a light; a real change shows within about half a second at 10 fps.
 *   <li>{@link #DEFAULT_FLASH_WINDOW} 3 s, {@link #DEFAULT_FLASH_MIN_TOGGLES} 3, {@link #DEFAULT_FLASH_MAX_PHASE}
 *       1.5 s: flashing signals blink at about 1 Hz (on and off phases of 0.5–1 s); three toggles are one and a
 *       half blinks, so a single on→off change (a light switching off) is never taken for flashing.
 *   <li>{@link #DEFAULT_RULES}: red → yellow held for 2 s (a yellow right after red is held as red).
 * </ul>
 */
public final class TrafficLightTracker {
  /** Default lowest IoU for associating a light with a track. */
  public static final double DEFAULT_MIN_IOU = 0.3;
  /** Default time a track survives unseen. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);
  /** Default span of the colour vote. */
  public static final Duration DEFAULT_VOTE_WINDOW = Duration.ofSeconds(1);
  /** Default share of the vote a new colour needs. */
  public static final double DEFAULT_SWITCH_SHARE = 0.6;
  /** Default consecutive frames a new colour must lead. */
  public static final int DEFAULT_SWITCH_FRAMES = 2;
  /** Default span in which toggles are counted for flashing. */
  public static final Duration DEFAULT_FLASH_WINDOW = Duration.ofSeconds(3);
  /** Default toggles needed for flashing. */
  public static final int DEFAULT_FLASH_MIN_TOGGLES = 3;
  /** Default longest on or off phase of a flashing light. */
  public static final Duration DEFAULT_FLASH_MAX_PHASE = Duration.ofMillis(1500);
  /** Default sequence rules: a yellow right after red is held as red for 2 s. */
  public static final List<SequenceRule> DEFAULT_RULES =
      List.of(SequenceRule.of(Colour.RED, Colour.YELLOW, Duration.ofSeconds(2)));

  private final double minIou;
  private final long maxAge;
  private final long voteWindow;
  private final double switchShare;
  private final int switchFrames;
  private final long flashWindow;
  private final int flashMinToggles;
  private final long flashMaxPhase;
  private final List<SequenceRule> rules;

  private final List<Track> tracks = new ArrayList<>();
  private long nextId = 1;
  private long lastTimestamp = Long.MIN_VALUE;

  private TrafficLightTracker(Builder b) {
    minIou = b.minIou;
    maxAge = b.maxAge.toNanos();
    voteWindow = b.voteWindow.toNanos();
    switchShare = b.switchShare;
    switchFrames = b.switchFrames;
    flashWindow = b.flashWindow.toNanos();
    flashMinToggles = b.flashMinToggles;
    flashMaxPhase = b.flashMaxPhase.toNanos();
    rules = List.copyOf(b.rules);
  }

  /** @return a builder with the defaults above */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Updates the tracks with one frame's detection result.
   *
   * @param frame the frame the result came from; must carry a timestamp ({@link ImageFrame#withTimestamp})
   * @param result its detection result (a result without value, e.g. CANCELLED, updates ages only)
   * @return every live track after the update, oldest first
   * @throws IllegalArgumentException when the frame has no timestamp or goes back in time
   */
  public List<TrackedLight> update(ImageFrame frame, TrafficLightResult result) {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(result, "result");
    long t = frame.timestampNanos().orElseThrow(() -> new IllegalArgumentException(
        "expected a frame with a timestamp (ImageFrame.withTimestamp), got " + frame));
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
      throw new IllegalArgumentException("expected non-decreasing timestamps, got " + timestampNanos
          + " after " + lastTimestamp);
    }
    lastTimestamp = timestampNanos;
    for (Track tr : tracks) {
      tr.seen = false;
    }
    boolean[] used = new boolean[lights.size()];
    associate(lights, used, timestampNanos);
    for (int i = 0; i < lights.size(); i++) {
      if (!used[i]) {
        Track tr = new Track(nextId++, lights.get(i).box(), timestampNanos);
        tracks.add(tr);
        observe(tr, lights.get(i), timestampNanos);
      }
    }
    tracks.removeIf(tr -> timestampNanos - tr.lastSeen > maxAge);
    return tracks();
  }

  /** @return snapshots of every live track, oldest first */
  public List<TrackedLight> tracks() {
    List<TrackedLight> out = new ArrayList<>(tracks.size());
    for (Track tr : tracks) {
      out.add(new TrackedLight(tr.id, tr.box, tr.colour, tr.flashing, tr.observed, tr.share, tr.held, tr.hits,
          tr.firstSeen, tr.lastSeen, tr.seen));
    }
    return List.copyOf(out);
  }

  /** Forgets every track and the last timestamp (ids keep increasing). */
  public void reset() {
    tracks.clear();
    lastTimestamp = Long.MIN_VALUE;
  }

  private void associate(List<TrafficLight> lights, boolean[] used, long now) {
    List<double[]> pairs = new ArrayList<>(); // {iou, track index, light index}
    for (int k = 0; k < tracks.size(); k++) {
      for (int i = 0; i < lights.size(); i++) {
        double iou = Geometry.iou(tracks.get(k).box, lights.get(i).box());
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
    Colour c = light.state().map(LightState::colour).orElse(Colour.UNKNOWN);
    tr.observed = c;
    if (c != Colour.UNKNOWN) {
      float w = light.state().map(LightState::confidence).orElse(1f);
      tr.votes.addLast(new Vote(now, c, w > 0 ? w : Float.MIN_NORMAL));
      boolean lit = c != Colour.OFF;
      if (tr.lastLit != null && tr.lastLit != lit) {
        tr.toggles.addLast(now);
      }
      tr.lastLit = lit;
    }
    while (!tr.votes.isEmpty() && now - tr.votes.peekFirst().t >= voteWindow) {
      tr.votes.removeFirst();
    }
    while (!tr.toggles.isEmpty() && now - tr.toggles.peekFirst() >= flashWindow) {
      tr.toggles.removeFirst();
    }
    tr.flashing = isFlashing(tr.toggles, now);
    decide(tr, now);
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

  private void decide(Track tr, long now) {
    Map<Colour, Double> weight = new EnumMap<>(Colour.class);
    double total = 0;
    for (Vote v : tr.votes) {
      if (tr.flashing && v.colour == Colour.OFF) {
        continue;
      }
      weight.merge(v.colour, (double) v.weight, Double::sum);
      total += v.weight;
    }
    if (total <= 0) {
      tr.share = 0f;
      return;
    }
    Colour leader = tr.colour != Colour.UNKNOWN && weight.containsKey(tr.colour) ? tr.colour : null;
    for (Map.Entry<Colour, Double> e : weight.entrySet()) {
      if (leader == null || e.getValue() > weight.get(leader)) {
        leader = e.getKey();
      }
    }
    double share = weight.get(leader) / total;
    tr.share = (float) share;
    if (tr.colour == Colour.UNKNOWN || leader == tr.colour) {
      tr.colour = leader;
      tr.pending = null;
      tr.held = false;
      return;
    }
    if (leader != tr.pending) {
      tr.pending = leader;
      tr.pendingSince = now;
      tr.pendingFrames = 1;
    } else {
      tr.pendingFrames++;
    }
    boolean hysteresis = share >= switchShare && tr.pendingFrames >= switchFrames;
    SequenceRule rule = null;
    for (SequenceRule r : rules) {
      if (r.from() == tr.colour && r.to() == leader && !r.hold().isZero()) {
        rule = r;
        break;
      }
    }
    boolean ruleAllows = rule == null || now - tr.pendingSince >= rule.hold().toNanos();
    tr.held = hysteresis && !ruleAllows;
    if (hysteresis && ruleAllows) {
      tr.colour = leader;
      tr.pending = null;
      tr.held = false;
    }
  }

  private record Vote(long t, Colour colour, float weight) {}

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
    float share;
    boolean flashing;
    boolean held;
    @Nullable Colour pending;
    long pendingSince;
    int pendingFrames;
    @Nullable Boolean lastLit;
    final ArrayDeque<Vote> votes = new ArrayDeque<>();
    final ArrayDeque<Long> toggles = new ArrayDeque<>();

    Track(long id, Box box, long now) {
      this.id = id;
      this.box = box;
      this.firstSeen = now;
      this.lastSeen = now;
    }
  }

  /** Builds a {@link TrafficLightTracker}; validates in {@link #build()}. Use from one thread. */
  public static final class Builder {
    private double minIou = DEFAULT_MIN_IOU;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private Duration voteWindow = DEFAULT_VOTE_WINDOW;
    private double switchShare = DEFAULT_SWITCH_SHARE;
    private int switchFrames = DEFAULT_SWITCH_FRAMES;
    private Duration flashWindow = DEFAULT_FLASH_WINDOW;
    private int flashMinToggles = DEFAULT_FLASH_MIN_TOGGLES;
    private Duration flashMaxPhase = DEFAULT_FLASH_MAX_PHASE;
    private List<SequenceRule> rules = DEFAULT_RULES;

    private Builder() {}

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
     * @param window the span of the colour vote, positive (default 1 s)
     * @return this builder
     */
    public Builder voteWindow(Duration window) {
      voteWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * @param share the vote share a new colour needs, in {@code (0.5, 1]} (default 0.6)
     * @param frames consecutive observed frames it must lead, at least 1 (default 2)
     * @return this builder
     */
    public Builder hysteresis(double share, int frames) {
      switchShare = share;
      switchFrames = frames;
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
     * @param sequenceRules the transitions to hold (default {@link #DEFAULT_RULES}); empty for none
     * @return this builder
     */
    public Builder rules(List<SequenceRule> sequenceRules) {
      rules = List.copyOf(sequenceRules);
      return this;
    }

    /**
     * @return the tracker
     * @throws IllegalArgumentException when a value is out of range
     */
    public TrafficLightTracker build() {
      check(minIou > 0 && minIou <= 1, "minIou in (0, 1]", minIou);
      check(!maxAge.isNegative(), "maxAge >= 0", maxAge);
      check(!voteWindow.isNegative() && !voteWindow.isZero(), "a positive voteWindow", voteWindow);
      check(switchShare > 0.5 && switchShare <= 1, "switch share in (0.5, 1]", switchShare);
      check(switchFrames >= 1, "switch frames >= 1", switchFrames);
      check(!flashWindow.isNegative() && !flashWindow.isZero(), "a positive flash window", flashWindow);
      check(flashMinToggles >= 2, "flash min toggles >= 2", flashMinToggles);
      check(!flashMaxPhase.isNegative() && !flashMaxPhase.isZero(), "a positive flash max phase", flashMaxPhase);
      return new TrafficLightTracker(this);
    }

    private static void check(boolean ok, String expected, Object got) {
      if (!ok) {
        throw new IllegalArgumentException("expected " + expected + ", got " + got);
      }
    }
  }
}
