package io.edgevision.detectors.face;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.jspecify.annotations.Nullable;

/**
 * The gallery file format, version 1 (little-endian throughout):
 *
 * <pre>
 * header (24 bytes)
 *   0  magic    8 bytes  "EVGALLRY"
 *   8  version  u16      1
 *   10 flags    u16      bit 0: body encrypted with AES-GCM
 *   12 length   u64      bytes after the header
 *   20 crc      u32      CRC32 of bytes 0..19
 * payload
 *   plain:     body
 *   encrypted: kcv (8 bytes: AES-ECB(key, 16 zero bytes)[0..8]) | iv (12) | AES-GCM(body) with 16-byte tag,
 *              associated data = the 24 header bytes
 * body = sections, in this order, each  tag (4 ASCII) | length u32 | payload | crc u32 (CRC32 of tag..payload)
 *   MODL  dimension u32 | sha256 (u16 length + UTF-8) | descriptor hash (u16 length + UTF-8)
 *   IDEN  count u32 | per identity: name (u16 length + UTF-8) | embeddings u32
 *   VECS  rows u32 | dimension u32 | rows × dimension float32, grouped by identity in IDEN order
 *   END_  empty
 * </pre>
 *
 * Writes are atomic: temporary file in the same directory, {@code FileChannel.force(true)}, atomic
 * rename, directory sync. Package-private.
 */
final class GalleryFile {
  static final int VERSION = 1;
  static final byte[] MAGIC = "EVGALLRY".getBytes(StandardCharsets.US_ASCII);
  static final int HEADER = 24;
  static final int FLAG_ENCRYPTED = 1;
  private static final int KCV = 8;
  private static final int IV = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private GalleryFile() {}

  /**
   * What a file holds: model, names with their embedding counts, and the vectors grouped by
   * identity.
   */
  record Contents(EmbeddingModel model, List<String> names, int[] counts, float[] vectors) {}

  static void write(Path file, Contents c, @Nullable SecretKey key) throws IOException {
    byte[] body = encodeBody(c);
    byte[] payload;
    int flags = 0;
    byte[] header;
    if (key == null) {
      payload = body;
      header = header(flags, payload.length);
    } else {
      flags |= FLAG_ENCRYPTED;
      long payloadLength = (long) KCV + IV + body.length + TAG_BITS / 8;
      header = header(flags, payloadLength);
      byte[] iv = new byte[IV];
      RANDOM.nextBytes(iv);
      byte[] cipherText;
      try {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
        gcm.updateAAD(header);
        cipherText = gcm.doFinal(body);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "cannot encrypt with the given key (" + key.getAlgorithm() + "): " + e, e);
      }
      payload = new byte[(int) payloadLength];
      System.arraycopy(keyCheck(key), 0, payload, 0, KCV);
      System.arraycopy(iv, 0, payload, KCV, IV);
      System.arraycopy(cipherText, 0, payload, KCV + IV, cipherText.length);
    }
    writeAtomically(file, header, payload);
  }

  static void writeAtomically(Path file, byte[] header, byte[] payload) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    boolean done = false;
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        writeFully(ch, ByteBuffer.wrap(header));
        writeFully(ch, ByteBuffer.wrap(payload));
        ch.force(true);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException(
            "the file system of " + dir + " cannot rename atomically; refusing a non-atomic save",
            e);
      }
      done = true;
      syncDirectory(dir);
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /** Makes the rename durable (POSIX); a no-op where directories cannot be opened (Windows). */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported on this platform: the rename itself is still atomic.
    }
  }

  /** The first 8 bytes as space-separated hex (HexFormat is Android API 34+). */
  private static String head(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(8, bytes.length); i++) {
      b.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xFF));
    }
    return b.toString();
  }

  static Contents read(Path file, @Nullable SecretKey key) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String where = "gallery file " + file;
    if (bytes.length < HEADER || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw corrupt(
          where
              + " is not an EdgeVision gallery: expected magic 'EVGALLRY' and at least "
              + HEADER
              + " bytes, got "
              + bytes.length
              + " bytes starting with ["
              + head(bytes)
              + "]");
    }
    ByteBuffer h = ByteBuffer.wrap(bytes, 0, HEADER).order(ByteOrder.LITTLE_ENDIAN);
    h.position(MAGIC.length);
    int version = Short.toUnsignedInt(h.getShort());
    int flags = Short.toUnsignedInt(h.getShort());
    long length = h.getLong();
    long crc = Integer.toUnsignedLong(h.getInt());
    if (crc(bytes, 0, 20) != crc) {
      throw corrupt(where + " is corrupt: header checksum mismatch");
    }
    if (version != VERSION) {
      throw corrupt(
          where + " has format version " + version + "; this SDK reads version " + VERSION);
    }
    if ((flags & ~FLAG_ENCRYPTED) != 0) {
      throw corrupt(where + " has unknown flags 0x" + Integer.toHexString(flags));
    }
    if (length != bytes.length - HEADER) {
      throw corrupt(
          where
              + " is truncated or has trailing data: header says "
              + length
              + " payload bytes, file has "
              + (bytes.length - HEADER));
    }
    boolean encrypted = (flags & FLAG_ENCRYPTED) != 0;
    byte[] body;
    if (encrypted) {
      if (key == null) {
        throw corrupt(where + " is encrypted: supply its AES key");
      }
      if (length < KCV + IV + TAG_BITS / 8) {
        throw corrupt(where + " is truncated: too short for an encrypted gallery");
      }
      byte[] kcv = Arrays.copyOfRange(bytes, HEADER, HEADER + KCV);
      if (!MessageDigest.isEqual(kcv, keyCheck(key))) {
        throw corrupt(
            "wrong key for " + where + ": its key check value does not match the key given");
      }
      try {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, HEADER + KCV, IV));
        gcm.updateAAD(bytes, 0, HEADER);
        body = gcm.doFinal(bytes, HEADER + KCV + IV, bytes.length - HEADER - KCV - IV);
      } catch (AEADBadTagException e) {
        throw corrupt(
            where
                + " failed authentication (AES-GCM tag mismatch): the file was modified or corrupted");
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "cannot decrypt with the given key (" + key.getAlgorithm() + "): " + e, e);
      }
    } else {
      if (key != null) {
        throw corrupt(
            where
                + " is not encrypted but a key was given; refusing it (an attacker could have replaced"
                + " an encrypted gallery with a plain one)");
      }
      body = Arrays.copyOfRange(bytes, HEADER, bytes.length);
    }
    return decodeBody(body, where);
  }

  private static byte[] header(int flags, long payloadLength) {
    ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
    h.put(MAGIC).putShort((short) VERSION).putShort((short) flags).putLong(payloadLength);
    h.putInt((int) crc(h.array(), 0, 20));
    return h.array();
  }

  /**
   * Key check value: the first 8 bytes of AES-ECB(key, 16 zero bytes). Not a nonce reuse: ECB, one
   * block.
   */
  private static byte[] keyCheck(SecretKey key) {
    try {
      Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
      ecb.init(Cipher.ENCRYPT_MODE, key);
      return Arrays.copyOf(ecb.doFinal(new byte[16]), KCV);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "expected an AES key of 128, 192 or 256 bits, got "
              + key.getAlgorithm()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  static byte[] encodeBody(Contents c) {
    EmbeddingModel m = c.model();
    byte[] sha = m.modelSha256().getBytes(StandardCharsets.UTF_8);
    byte[] desc = m.descriptorHash().getBytes(StandardCharsets.UTF_8);
    ByteBuffer modl = le(4 + 2 + sha.length + 2 + desc.length);
    modl.putInt(m.dimension())
        .putShort((short) sha.length)
        .put(sha)
        .putShort((short) desc.length)
        .put(desc);
    List<byte[]> encoded = new ArrayList<>(c.names().size());
    int idenLen = 4;
    for (String n : c.names()) {
      byte[] b = n.getBytes(StandardCharsets.UTF_8);
      encoded.add(b);
      idenLen += 2 + b.length + 4;
    }
    ByteBuffer iden = le(idenLen);
    iden.putInt(c.names().size());
    for (int i = 0; i < encoded.size(); i++) {
      iden.putShort((short) encoded.get(i).length).put(encoded.get(i)).putInt(c.counts()[i]);
    }
    int rows = c.vectors().length / m.dimension();
    ByteBuffer vecs = le(Math.addExact(8, Math.multiplyExact(4, c.vectors().length)));
    vecs.putInt(rows).putInt(m.dimension());
    vecs.asFloatBuffer().put(c.vectors());
    List<byte[]> sections =
        List.of(
            section("MODL", modl.array()),
            section("IDEN", iden.array()),
            section("VECS", vecs.array()),
            section("END_", new byte[0]));
    int total = 0;
    for (byte[] s : sections) {
      total = Math.addExact(total, s.length);
    }
    ByteBuffer body = ByteBuffer.allocate(total);
    sections.forEach(body::put);
    return body.array();
  }

  private static byte[] section(String tag, byte[] payload) {
    ByteBuffer s = le(4 + 4 + payload.length + 4);
    s.put(tag.getBytes(StandardCharsets.US_ASCII)).putInt(payload.length).put(payload);
    s.putInt((int) crc(s.array(), 0, 8 + payload.length));
    return s.array();
  }

  static Contents decodeBody(byte[] body, String where) {
    ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer modl = section(b, "MODL", where);
    ByteBuffer iden = section(b, "IDEN", where);
    ByteBuffer vecs = section(b, "VECS", where);
    section(b, "END_", where);
    if (b.hasRemaining()) {
      throw corrupt(where + " has " + b.remaining() + " unexpected bytes after its END_ section");
    }
    try {
      int dim = modl.getInt();
      String sha = string(modl);
      String desc = string(modl);
      EmbeddingModel model = new EmbeddingModel(sha, desc, dim);
      int n = iden.getInt();
      if (n < 0 || n > iden.remaining() / 7) {
        throw corrupt(where + ": implausible identity count " + n);
      }
      List<String> names = new ArrayList<>(n);
      int[] counts = new int[n];
      long total = 0;
      for (int i = 0; i < n; i++) {
        names.add(string(iden));
        counts[i] = iden.getInt();
        if (counts[i] < 1) {
          throw corrupt(
              where
                  + ": identity '"
                  + names.get(i)
                  + "' has "
                  + counts[i]
                  + " embeddings, expected >= 1");
        }
        total += counts[i];
      }
      int rows = vecs.getInt();
      int vdim = vecs.getInt();
      if (vdim != dim || rows != total || (long) rows * dim * 4 != vecs.remaining()) {
        throw corrupt(
            where
                + ": vector section holds "
                + rows
                + " x "
                + vdim
                + " ("
                + vecs.remaining()
                + " bytes), expected "
                + total
                + " x "
                + dim
                + " per the model and identity sections");
      }
      float[] vectors = new float[rows * dim];
      vecs.asFloatBuffer().get(vectors);
      return new Contents(model, names, counts, vectors);
    } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
      throw corrupt(where + " is malformed: " + e.getMessage());
    }
  }

  private static ByteBuffer section(ByteBuffer b, String tag, String where) {
    if (b.remaining() < 12) {
      throw corrupt(
          where + " is truncated: expected section " + tag + ", got " + b.remaining() + " bytes");
    }
    int start = b.position();
    byte[] t = new byte[4];
    b.get(t);
    String got = new String(t, StandardCharsets.US_ASCII);
    if (!got.equals(tag)) {
      throw corrupt(
          where
              + " is corrupt: expected section "
              + tag
              + ", got '"
              + got.replaceAll("\\p{Cntrl}", "?")
              + "'");
    }
    long len = Integer.toUnsignedLong(b.getInt());
    if (len > b.remaining() - 4) {
      throw corrupt(
          where
              + " is truncated in section "
              + tag
              + ": needs "
              + len
              + " bytes, "
              + (b.remaining() - 4)
              + " left");
    }
    int payloadStart = b.position();
    b.position(payloadStart + (int) len);
    long crc = Integer.toUnsignedLong(b.getInt());
    if (crc(b.array(), start, 8 + (int) len) != crc) {
      throw corrupt(where + " is corrupt: section " + tag + " checksum mismatch");
    }
    return ByteBuffer.wrap(b.array(), payloadStart, (int) len)
        .slice()
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  private static String string(ByteBuffer b) {
    int len = Short.toUnsignedInt(b.getShort());
    byte[] s = new byte[len];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static long crc(byte[] a, int off, int len) {
    CRC32 c = new CRC32();
    c.update(a, off, len);
    return c.getValue();
  }

  private static EdgeVisionException corrupt(String message) {
    return new EdgeVisionException(ErrorCode.BAD_INPUT, message);
  }
}
