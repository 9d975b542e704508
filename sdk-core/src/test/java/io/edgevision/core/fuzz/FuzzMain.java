package io.edgevision.core.fuzz;

import io.edgevision.core.Budget;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.core.OutputDecoder;
import io.edgevision.core.PixelFormat;
import io.edgevision.core.RawOutputs;
import io.edgevision.core.testing.HostileImages;
import io.edgevision.core.testing.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fuzz cases, run in a child JVM by {@link FuzzSuiteTest} so that a native crash or hang is
 * reported with its case instead of taking the test JVM down. Prints {@code START <id>} before and
 * {@code END <id> <verdict> <detail>} after each case; verdicts: {@code OK} (a result), {@code
 * TYPED:<ErrorCode>} (an EdgeVisionException), {@code UNEXPECTED} (any other throwable: a defect).
 *
 * <p>Arguments: {@code models|images|frames SEED COUNT}.
 */
public final class FuzzMain {
  /** Models mutated: small, so that hundreds of sessions load in seconds. */
  static final List<String> MODELS =
      List.of(
          "fixture:tiny_detr_raw.onnx",
          "fixture:echo.onnx",
          "fixture:static_echo.onnx",
          "classpath:io/edgevision/core/fixtures/bench_classifier.onnx");

  /** Images mutated. */
  static final List<String> IMAGE_FORMATS =
      List.of(".jpg", ".png", ".bmp", ".webp", ".tiff", ".ppm");

  private FuzzMain() {}

  public static void main(String[] args) throws Exception {
    String suite = args[0];
    long seed = Long.parseLong(args[1]);
    int count = Integer.parseInt(args[2]);
    PrintStream out =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(
        new PrintStream(java.io.OutputStream.nullOutputStream())); // only our protocol on stdout
    Case c =
        switch (suite) {
          case "models" -> modelCase(seed);
          case "images" -> imageCase(seed);
          case "frames" -> frameCase(seed);
          default -> throw new IllegalArgumentException("suite " + suite);
        };
    for (int i = 0; i < count; i++) {
      String id = suite + "#" + i;
      out.println("START " + id);
      String verdict;
      try {
        verdict = "OK " + c.run(i);
      } catch (EdgeVisionException e) {
        verdict = "TYPED:" + e.code() + " " + oneLine(e.getMessage());
      } catch (Throwable t) {
        verdict =
            "UNEXPECTED "
                + oneLine(t.toString())
                + " at "
                + (t.getStackTrace().length > 0 ? t.getStackTrace()[0] : "?");
      }
      out.println("END " + id + " " + verdict);
    }
    out.println("DONE");
    out.flush();
    System.exit(0);
  }

  interface Case {
    String run(int index) throws Exception;
  }

  static String oneLine(String s) {
    return String.valueOf(s).replace('\n', ' ').replace('\r', ' ');
  }

  static byte[] modelBytes(String name) throws IOException {
    if (name.startsWith("fixture:")) {
      return TestModels.bytes(name.substring("fixture:".length()));
    }
    try (InputStream in =
        FuzzMain.class
            .getClassLoader()
            .getResourceAsStream(name.substring("classpath:".length()))) {
      return in.readAllBytes();
    }
  }

  /**
   * Model mutants: each is loaded unpinned (must be a typed error or a session that runs or fails
   * typed) and pinned to the original's SHA-256 (must be MODEL_INVALID unless the bytes are
   * unchanged).
   */
  static Case modelCase(long seed) throws Exception {
    List<byte[]> originals = new ArrayList<>();
    for (String m : MODELS) {
      originals.add(modelBytes(m));
    }
    ImageFrame frame =
        ImageFrame.wrap(ByteBuffer.allocateDirect(48 * 40 * 3), 48, 40, PixelFormat.BGR);
    return i -> {
      int which = i % originals.size();
      byte[] original = originals.get(which);
      byte[] mutant = Mutants.mutate(original, seed, i / originals.size());
      String pin = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(original));
      boolean same = Arrays.equals(original, mutant);
      try {
        InferenceSession.builder(ModelSource.of(mutant, "mutant").withSha256(pin)).build().close();
        if (!same) {
          return "PINNED-LOADED"; // a changed model passed its pin: the verdict checker fails this
        }
      } catch (EdgeVisionException e) {
        if (same || e.code() != io.edgevision.core.ErrorCode.MODEL_INVALID) {
          throw e;
        }
      }
      String kind = MODELS.get(which) + " " + Mutants.kind(i / originals.size());
      try (InferenceSession s =
          InferenceSession.builder(ModelSource.of(mutant, "mutant"))
              .providers(ExecutionProvider.CPU)
              .build()) {
        InferenceResult<RawOutputs> r = s.run(frame, Budget.unlimited(), OutputDecoder.raw());
        return kind + " loaded, " + r.outcome();
      }
    };
  }

  /** Malformed encoded images: mutants of small valid files of each format, and hostile headers. */
  static Case imageCase(long seed) {
    List<byte[]> originals = new ArrayList<>();
    for (String ext : IMAGE_FORMATS) {
      originals.add(HostileImages.encode(ext, 24, 18));
    }
    return i -> {
      SplittableRandom r = new SplittableRandom(seed * 31 + i);
      byte[] b;
      String what;
      if (i % 10 == 9) {
        // hostile dimensions, PNG or JPEG, up to 65535 / 2^32-1
        long w = r.nextLong(1, 1L << (r.nextBoolean() ? 16 : 32));
        long h = r.nextLong(1, 1L << 16);
        b =
            r.nextBoolean()
                ? HostileImages.pngClaiming(w, h)
                : HostileImages.jpegClaiming((int) (w & 0xFFFF), (int) h);
        what = "claims " + w + "x" + h;
      } else {
        int which = i % originals.size();
        b = Mutants.mutate(originals.get(which), seed, i);
        what = IMAGE_FORMATS.get(which) + " " + Mutants.kind(i);
      }
      ImageFrame f = ImageFrames.decode(b, "case-" + i);
      if ((long) f.width() * f.height()
          > io.edgevision.core.ImageDecodeOptions.DEFAULT_MAX_PIXELS) {
        throw new AssertionError("decoded " + f + " above the pixel limit");
      }
      return what + " -> " + f;
    };
  }

  /**
   * Malformed frames: random geometry over random buffers, then preprocessing and a run when
   * accepted.
   */
  static Case frameCase(long seed) {
    InferenceSession session =
        InferenceSession.builder(ModelSource.of(TestModels.path("echo.onnx")))
            .providers(ExecutionProvider.CPU)
            .descriptor(io.edgevision.core.ModelDescriptor.builder().inputSize(16, 16).build())
            .build();
    PixelFormat[] formats = PixelFormat.values();
    return i -> {
      SplittableRandom r = new SplittableRandom(seed * 17 + i);
      int w = r.nextInt(-2, 40);
      int h = r.nextInt(-2, 40);
      PixelFormat f = formats[r.nextInt(formats.length)];
      int stride = Math.max(0, w) * f.channels() + r.nextInt(-3, 8);
      int bytes = r.nextInt(0, 40 * 40 * 4 + 64);
      ByteBuffer buf =
          r.nextBoolean() ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
      ImageFrame frame = ImageFrame.wrap(buf, w, h, stride, f);
      InferenceResult<RawOutputs> res = session.run(frame, Budget.unlimited(), OutputDecoder.raw());
      return frame + " -> " + res.outcome();
    };
  }
}
