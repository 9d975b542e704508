package io.edgevision.android.pipeline;

import io.edgevision.core.Budget;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.ModelSource;
import io.edgevision.core.Outcome;
import io.edgevision.core.Timings;
import io.edgevision.detectors.face.FaceGallery;
import io.edgevision.detectors.face.FaceRecognizer;
import io.edgevision.detectors.face.Identification;
import io.edgevision.detectors.face.RecognizedFace;
import io.edgevision.detectors.face.Verification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The app's face mode: the desktop's {@link FaceRecognizer} (same detector, alignment and embedder)
 * on camera NV21 frames, and a gallery kept encrypted (AES-GCM, {@link FaceGallery#save(Path,
 * SecretKey)}) in app-private storage.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * try (FacePipeline faces = FacePipeline.open(detector, embedder, providers, galleryFile, key)) {
 *   faces.enrol(nv21, "ada");                         // most prominent face, saved encrypted at once
 *   Optional<Verification> v = faces.verify(nv21b, "ada");
 *   Optional<Identification> who = faces.identify(nv21c);
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * Owns the recognizer's sessions; {@link #close()} frees them (idempotent).
 *
 * <h2>Threading</h2>
 *
 * Not thread-safe: the app uses it from its one worker thread.
 */
public final class FacePipeline implements AutoCloseable {
  private final FaceRecognizer recognizer;
  private final FaceGallery gallery;
  private final Path galleryFile;
  private final SecretKey key;

  private FacePipeline(
      FaceRecognizer recognizer, FaceGallery gallery, Path galleryFile, SecretKey key) {
    this.recognizer = recognizer;
    this.gallery = gallery;
    this.galleryFile = galleryFile;
    this.key = key;
  }

  /**
   * @param detector the face detector model (YuNet or SCRFD)
   * @param embedder the face embedding model (ArcFace family)
   * @param providers execution providers, tried in order
   * @param galleryFile the encrypted gallery in app-private storage; created on the first enrolment
   * @param key the gallery's AES key (the app keeps it in the Android Keystore)
   * @return the pipeline, with the gallery loaded when the file exists
   * @throws IOException when an existing gallery cannot be read or decrypted with this key
   */
  public static FacePipeline open(
      ModelSource detector,
      ModelSource embedder,
      List<ExecutionProvider> providers,
      Path galleryFile,
      SecretKey key)
      throws IOException {
    Objects.requireNonNull(galleryFile, "galleryFile");
    Objects.requireNonNull(key, "key");
    FaceRecognizer r = FaceRecognizer.builder(detector, embedder).providers(providers).build();
    try {
      FaceGallery g = Files.exists(galleryFile) ? r.loadGallery(galleryFile, key) : r.newGallery();
      return new FacePipeline(r, g, galleryFile, key);
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  /**
   * Enrols the most prominent face of the frame under {@code identity} and saves the gallery.
   *
   * @param frame a camera frame (NV21) or any other frame
   * @param identity the name
   * @return the enrolled face, or empty when the frame has no face (nothing changes)
   * @throws IOException when the gallery cannot be saved
   */
  public Optional<RecognizedFace> enrol(ImageFrame frame, String identity) throws IOException {
    Optional<RecognizedFace> face = recognizer.mostProminent(frame);
    if (face.isPresent()) {
      gallery.enroll(identity, face.get().embedding());
      Path parent = galleryFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      gallery.save(galleryFile, key);
    }
    return face;
  }

  /**
   * @param frame a frame
   * @param identity an enrolled identity
   * @return the verification of the most prominent face against the identity's embeddings (best
   *     one), or empty when the frame has no face
   * @throws IllegalArgumentException when the identity is not enrolled
   */
  public Optional<Verification> verify(ImageFrame frame, String identity) {
    List<io.edgevision.detectors.face.Embedding> enrolled = gallery.embeddings(identity);
    if (enrolled.isEmpty()) {
      throw new IllegalArgumentException(
          "expected an enrolled identity, got '"
              + identity
              + "' (enrolled: "
              + gallery.identities()
              + ")");
    }
    return recognizer
        .mostProminent(frame)
        .map(
            f -> {
              Verification best = null;
              for (io.edgevision.detectors.face.Embedding e : enrolled) {
                Verification v = recognizer.verify(f.embedding(), e);
                if (best == null || v.similarity() > best.similarity()) {
                  best = v;
                }
              }
              return Objects.requireNonNull(best);
            });
  }

  /**
   * @param frame a frame
   * @return every face with its identification against the gallery
   */
  public List<Recognition> identifyAll(ImageFrame frame) {
    return identifyAll(frame, Budget.unlimited()).faces();
  }

  /**
   * Identifies every face within a latency budget ({@link FaceRecognizer#recognize(ImageFrame,
   * Budget)}).
   *
   * @param frame a frame
   * @param budget the user's budget
   * @return the outcome, the faces (empty when the budget was missed) and the summed stage timings
   */
  public Identified identifyAll(ImageFrame frame, Budget budget) {
    InferenceResult<List<RecognizedFace>> r = recognizer.recognize(frame, budget);
    List<Recognition> faces =
        r.value().orElse(List.of()).stream()
            .map(f -> new Recognition(f, recognizer.identify(f.embedding(), gallery)))
            .collect(java.util.stream.Collectors.toList());
    return new Identified(r.outcome(), faces, r.timings(), r.message());
  }

  /**
   * A budgeted identification.
   *
   * @param outcome the SDK outcome
   * @param faces the faces and who they are
   * @param timings detector + alignment + embedder stages
   * @param message why, for outcomes other than COMPLETED
   */
  public record Identified(
      Outcome outcome, List<Recognition> faces, Timings timings, String message) {
    /** Copies the list. */
    public Identified {
      faces = List.copyOf(faces);
    }
  }

  /**
   * @return the enrolled identities
   */
  public List<String> identities() {
    return gallery.identities();
  }

  /** A face and who it is. */
  public record Recognition(RecognizedFace face, Identification identification) {}

  /** Frees the recognizer's sessions; idempotent. */
  @Override
  public void close() {
    recognizer.close();
  }
}
