package io.edgevision.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgevision.core.Budget;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.testing.SharedResources;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.TrafficLightTracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The tracker per drive in timestamp order, against a single-machine loop over the same frames. */
class TrackingTest {
  /** A recorded frame: drive, timestamp (ms), image index in the sample. */
  record Frame(String drive, long timestampMs, int image) {}

  static final List<Frame> FRAMES =
      List.of(
          // drive a: one scene for 3 frames at 10 fps, then another: tracks persist, then end and
          // start
          new Frame("a", 0, 0),
          new Frame("a", 100, 0),
          new Frame("a", 200, 0),
          new Frame("a", 300, 1),
          new Frame("a", 400, 1),
          new Frame("a", 500, 1),
          // drive b: its own tracker (ids start again at 1), timestamps overlapping drive a's
          new Frame("b", 50, 2),
          new Frame("b", 150, 2),
          new Frame("b", 250, 2),
          new Frame("b", 350, 2));

  @Test
  void tracksEqualASingleMachineTrackerPerDriveInTimestampOrder() {
    SparkSession spark = LocalSpark.get();
    Path dir = SharedResources.data(TrafficLightJobTest.VALID);
    List<Path> images = ImageFiles.list(dir);
    StructType schema =
        new StructType()
            .add("path", DataTypes.StringType)
            .add("drive_id", DataTypes.StringType)
            .add("timestamp", DataTypes.LongType);
    List<Row> rows =
        FRAMES.stream()
            .map(
                f ->
                    RowFactory.create(images.get(f.image()).toString(), f.drive(), f.timestampMs()))
            .toList();
    // Rows shuffled over 3 partitions: the job must regroup and reorder them.
    Dataset<Row> input =
        spark.createDataFrame(rows, schema).orderBy(functions.rand(7)).repartition(3);

    List<Row> out =
        TrafficLightJob.of(DetectorSpec.builtin()).detectAndTrack(input).collectAsList();
    assertThat(out).hasSize(FRAMES.size());

    Map<String, List<Row>> byDrive = new TreeMap<>();
    for (Row r : out) {
      byDrive.computeIfAbsent(r.getAs("drive_id"), k -> new ArrayList<>()).add(r);
    }
    int tracked = 0;
    try (InferenceSession session =
        ModelCatalog.sessionBuilder(ModelCatalog.BUILTIN, dir)
            .providers(ExecutionProvider.CPU)
            .build()) {
      TrafficLightDetector detector = TrafficLightDetector.builder(session).build();
      for (String drive : List.of("a", "b")) {
        List<Row> got = byDrive.get(drive);
        List<Frame> want =
            FRAMES.stream()
                .filter(f -> f.drive().equals(drive))
                .sorted(Comparator.comparingLong(Frame::timestampMs))
                .toList();
        // The job's rows of a drive come out in timestamp order.
        assertThat(got.stream().map(r -> r.<Long>getAs("timestamp_ms")).toList())
            .isEqualTo(want.stream().map(Frame::timestampMs).toList());
        TrafficLightTracker tracker = TrafficLightTracker.builder().build();
        for (int i = 0; i < want.size(); i++) {
          Frame f = want.get(i);
          var lights =
              detector.detect(ImageFrames.read(images.get(f.image())), Budget.unlimited()).lights();
          List<Row> tracks =
              TrafficLightJob.tracks(tracker.update(f.timestampMs() * 1_000_000L, lights));
          assertThat(got.get(i).getList(got.get(i).fieldIndex("tracks")))
              .as(drive + " @" + f.timestampMs())
              .isEqualTo(tracks);
          tracked += tracks.size();
        }
      }
    }
    assertThat(tracked)
        .as("tracks over all frames (the comparison must not be vacuous)")
        .isPositive();
  }

  @Test
  void trackingWithoutDriveOrTimestampIsRefused() {
    Dataset<Row> noDrive =
        LocalSpark.get()
            .createDataFrame(
                List.of(RowFactory.create("x.jpg")),
                new StructType().add("path", DataTypes.StringType));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrafficLightJob.of(DetectorSpec.builtin()).detectAndTrack(noDrive));
    assertThat(e).hasMessage("expected 'drive_id' and 'timestamp' columns for tracking, got path");
  }
}
