package io.edgevision.detectors.face;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that is writing a gallery (SIGKILL via {@code destroyForcibly}) while a file in
 * the gallery's directory is partially written (for our writer: the temporary file), then checks
 * the gallery file still loads and holds exactly one complete generation. The trigger does not
 * assume how the writer works: a writer that wrote the target in place would be caught with a
 * partial target and fail this test (checked by hand).
 */
class GalleryCrashTest {
  static final int ROUNDS = 3;

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void killingTheWriterMidWriteNeverCorruptsTheSavedGallery() throws Exception {
    Path file = dir.resolve("crash.evg");
    for (int round = 0; round < ROUNDS; round++) {
      AtomicInteger lastSaved = new AtomicInteger();
      java.util.concurrent.atomic.AtomicLong fullSize =
          new java.util.concurrent.atomic.AtomicLong();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child =
          new ProcessBuilder(
                  java,
                  "-Xmx256m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  GalleryWriterProcess.class.getName(),
                  file.toString())
              .redirectErrorStream(true)
              .start();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("saved ")) {
                      String[] parts = line.split(" ");
                      fullSize.set(Long.parseLong(parts[2]));
                      lastSaved.set(Integer.parseInt(parts[1]));
                    }
                  }
                } catch (java.io.IOException e) {
                  // the stream closes when the child dies
                }
              });
      reader.setDaemon(true);
      reader.start();
      boolean killedMidWrite = false;
      try {
        // Wait for at least one completed save, then kill as soon as some file is partially
        // written.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && child.isAlive()) {
          if (lastSaved.get() >= 1 + round % 2 && partialFileExists(fullSize.get())) {
            child.destroyForcibly();
            killedMidWrite = true;
            break;
          }
          Thread.onSpinWait();
        }
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child reaped").isTrue();
        reader.join(5_000);
      }
      assertThat(killedMidWrite)
          .as("round " + round + ": the child was killed while writing")
          .isTrue();
      int saved = lastSaved.get();
      FaceGallery loaded = FaceGallery.load(file, GalleryWriterProcess.MODEL, null);
      // The file holds the last reported generation, or the next one if its rename completed just
      // before the kill.
      String first = loaded.identities().get(0);
      int generation = Integer.parseInt(first.substring(1, first.indexOf('-')));
      assertThat(generation).as("round " + round).isBetween(saved, saved + 1);
      assertThat(loaded.size()).isEqualTo(GalleryWriterProcess.IDENTITIES);
      // Every embedding is exactly that generation's (no mix of two saves).
      FaceGallery expected = GalleryWriterProcess.generation(generation);
      for (int i = 0; i < GalleryWriterProcess.IDENTITIES; i += 997) {
        String id = "g" + generation + "-" + i;
        assertThat(loaded.embeddings(id)).containsExactlyElementsOf(expected.embeddings(id));
      }
      assertThat(loaded.identities()).containsExactlyElementsOf(expected.identities());
    }
  }

  /**
   * True when a file of the directory holds more than nothing but less than 90 % of a complete
   * save.
   */
  private boolean partialFileExists(long full) throws java.io.IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      for (Path p : all) {
        try {
          long size = Files.size(p);
          if (size > 0 && size < full * 9 / 10) {
            return true;
          }
        } catch (java.nio.file.NoSuchFileException e) {
          // renamed or deleted between list and size
        }
      }
      return false;
    }
  }
}
