package io.edgevision.detectors.face;

import java.nio.file.Path;

/**
 * Child-process main for {@link GalleryCrashTest}: saves generation 1, 2, 3, ... of a large gallery
 * to the same file forever, printing {@code saved N BYTES} after each save returns. Generation
 * {@code g} holds identities {@code g<g>-<i>} with embedding {@code random(seed = g * 1_000_003 +
 * i)}, so the parent can regenerate it.
 */
public final class GalleryWriterProcess {
  static final int IDENTITIES = 20_000;
  static final EmbeddingModel MODEL = new EmbeddingModel("c".repeat(64), "crash-test", 128);

  private GalleryWriterProcess() {}

  static FaceGallery generation(int g) {
    FaceGallery gallery = FaceGallery.create(MODEL);
    for (int i = 0; i < IDENTITIES; i++) {
      gallery.enroll("g" + g + "-" + i, GalleryFixtures.random(MODEL, g * 1_000_003L + i));
    }
    return gallery;
  }

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    for (int g = 1; ; g++) {
      generation(g).save(file);
      System.out.println("saved " + g + " " + java.nio.file.Files.size(file));
      System.out.flush();
    }
  }
}
