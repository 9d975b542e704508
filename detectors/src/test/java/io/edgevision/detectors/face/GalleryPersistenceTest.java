package io.edgevision.detectors.face;

import static io.edgevision.detectors.face.GalleryFixtures.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GalleryPersistenceTest {
  static final SecretKey KEY = FaceGallery.aesKey(new byte[32]);
  static final SecretKey OTHER_KEY = FaceGallery.aesKey("0123456789abcdef".getBytes());

  @TempDir Path dir;

  static FaceGallery sample() {
    FaceGallery g = FaceGallery.create(MODEL);
    for (int i = 0; i < 50; i++) {
      g.enroll("person-" + i + (i % 7 == 0 ? " ü名" : ""), GalleryFixtures.random(MODEL, i));
      if (i % 3 == 0) {
        g.enroll(
            "person-" + i + (i % 7 == 0 ? " ü名" : ""), GalleryFixtures.random(MODEL, 1000 + i));
      }
    }
    return g;
  }

  static void assertSameContent(FaceGallery a, FaceGallery b) {
    assertThat(b.model()).isEqualTo(a.model());
    assertThat(b.identities()).containsExactlyElementsOf(a.identities());
    for (String id : a.identities()) {
      assertThat(b.embeddings(id)).containsExactlyElementsOf(a.embeddings(id));
    }
  }

  @Test
  void plainRoundTrip() throws IOException {
    FaceGallery g = sample();
    Path f = dir.resolve("g.evg");
    g.save(f);
    FaceGallery back = FaceGallery.load(f);
    assertSameContent(g, back);
    // the loaded gallery answers searches and accepts more enrolments
    assertThat(
            back.identify(GalleryFixtures.random(MODEL, 5), 1, 0.99f)
                .best()
                .orElseThrow()
                .identity())
        .isEqualTo("person-5");
    back.enroll("new", GalleryFixtures.random(MODEL, 777));
    assertThat(back.size()).isEqualTo(51);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(f); // no temporary file left behind
    }
  }

  @Test
  void emptyGalleryRoundTrip() throws IOException {
    Path f = dir.resolve("empty.evg");
    FaceGallery.create(MODEL).save(f);
    FaceGallery back = FaceGallery.load(f);
    assertThat(back.size()).isZero();
    back.enroll("first", GalleryFixtures.random(MODEL, 1));
    assertThat(back.size()).isEqualTo(1);
  }

  @Test
  void encryptedRoundTripAndTheKeyIsNeeded() throws IOException {
    FaceGallery g = sample();
    Path f = dir.resolve("g.evg");
    g.save(f, KEY);
    assertSameContent(g, FaceGallery.load(f, MODEL, KEY));
    // names are not readable in the file
    assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("person-");
    assertThatThrownBy(() -> FaceGallery.load(f))
        .hasMessageContaining("is encrypted: supply its AES key");
    assertThatThrownBy(() -> FaceGallery.load(f, MODEL, OTHER_KEY))
        .hasMessageContaining("wrong key");
  }

  @Test
  void keyGivenForAPlainFileIsRefused() throws IOException {
    Path f = dir.resolve("g.evg");
    sample().save(f);
    assertThatThrownBy(() -> FaceGallery.load(f, MODEL, KEY))
        .hasMessageContaining("not encrypted but a key was given");
  }

  @Test
  void anotherModelsGalleryIsRefusedOnLoad() throws IOException {
    Path f = dir.resolve("g.evg");
    sample().save(f);
    assertThatThrownBy(() -> FaceGallery.load(f, GalleryFixtures.OTHER_SHA, null))
        .isInstanceOf(EdgeVisionException.class)
        .satisfies(
            e ->
                assertThat(((EdgeVisionException) e).code())
                    .isEqualTo(ErrorCode.MODEL_DESCRIPTOR_MISMATCH));
  }

  static Stream<Arguments> damage() {
    return Stream.of(
        // a flipped byte in the vector data → VECS checksum
        Arguments.of(false, "flip-end", "section VECS checksum mismatch"),
        // a flipped byte in the header → header checksum
        Arguments.of(false, "flip-10", "header checksum mismatch"),
        // cut in the middle → length mismatch
        Arguments.of(false, "truncate", "truncated"),
        // not a gallery at all
        Arguments.of(false, "garbage", "not an EdgeVision gallery"),
        // a future version (header checksum recomputed so only the version is wrong)
        Arguments.of(false, "version", "format version 2"),
        // encrypted file with one flipped ciphertext byte → GCM tag failure, reported as tampering
        Arguments.of(true, "flip-end", "modified or corrupted"),
        // encrypted file with a flipped IV byte → also tampering
        Arguments.of(true, "flip-40", "modified or corrupted"),
        // encrypted file whose header flags were rewritten to "plain" (checksum fixed) → not a
        // valid body
        Arguments.of(true, "unflag", "corrupt"));
  }

  @ParameterizedTest
  @MethodSource("damage")
  void damagedFilesFailWithAClearError(boolean encrypted, String how, String message)
      throws IOException {
    Path f = dir.resolve("g.evg");
    if (encrypted) {
      sample().save(f, KEY);
    } else {
      sample().save(f);
    }
    byte[] b = Files.readAllBytes(f);
    switch (how) {
      case "flip-end" -> b[b.length - 40] ^= 0x01;
      case "flip-10" -> b[10] ^= 0x02;
      case "flip-40" -> b[40] ^= 0x01;
      case "truncate" -> b = Arrays.copyOf(b, b.length / 2);
      case "garbage" -> b = "hello, this is not a gallery file".getBytes();
      case "version" -> rewriteHeader(b, 2, -1);
      case "unflag" -> rewriteHeader(b, 1, 0);
      default -> throw new AssertionError(how);
    }
    Files.write(f, b);
    assertThatThrownBy(
            () -> FaceGallery.load(f, MODEL, encrypted && !how.equals("unflag") ? KEY : null))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining(message)
        .satisfies(
            e -> assertThat(((EdgeVisionException) e).code()).isEqualTo(ErrorCode.BAD_INPUT));
  }

  /** Sets version (and flags when >= 0) and recomputes the header CRC. */
  static void rewriteHeader(byte[] b, int version, int flags) {
    ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    h.putShort(8, (short) version);
    if (flags >= 0) {
      h.putShort(10, (short) flags);
    }
    CRC32 crc = new CRC32();
    crc.update(b, 0, 20);
    h.putInt(20, (int) crc.getValue());
  }

  @Test
  void aFailedSaveLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
    Path f = dir.resolve("g.evg");
    FaceGallery g = sample();
    g.save(f);
    byte[] before = Files.readAllBytes(f);
    // the target is now a non-empty directory: the rename fails after the temp file was written
    Path blocked = dir.resolve("blocked");
    Files.createDirectories(blocked.resolve("child"));
    assertThatThrownBy(() -> g.save(blocked)).isInstanceOf(IOException.class);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("g.evg", "blocked");
    }
    assertThat(Files.readAllBytes(f)).isEqualTo(before);
  }
}
