package io.edgevision.detectors.traffic;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.Outputs;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of a batched run's {@link Outputs}, seen as a batch of one: every output's leading
 * dimension {@code N} reads as 1 and its values are the element's slice. Lets a single-frame
 * decoder decode each frame of a batch. The whole outputs are copied to the heap once per batch
 * ({@link #split}).
 *
 * <p>Threading: confined to the decoding call that created it.
 */
final class BatchElement implements Outputs {
  /** The batch's outputs, each read from the run at most once. */
  private static final class Shared {
    final Outputs outputs;
    final List<String> names;
    final int batch;
    final Map<String, long[]> shapes = new HashMap<>();
    final Map<String, float[]> floats = new HashMap<>();
    final Map<String, long[]> longs = new HashMap<>();

    Shared(Outputs outputs, int batch) {
      this.outputs = outputs;
      this.names = List.copyOf(outputs.names());
      this.batch = batch;
    }
  }

  private final Shared shared;
  private final int index;

  private BatchElement(Shared shared, int index) {
    this.shared = shared;
    this.index = index;
  }

  /**
   * @param outputs a run's outputs whose every output has a leading batch dimension {@code batch};
   *     valid only during the decoding call, and so are the views
   * @param batch the number of frames
   * @return one view per frame
   * @throws EdgeVisionException {@link ErrorCode#INVALID_OUTPUT} when an output's leading dimension
   *     is not the batch
   */
  static List<Outputs> split(Outputs outputs, int batch) {
    Shared shared = new Shared(outputs, batch);
    for (String name : shared.names) {
      long[] shape = outputs.shape(name);
      if (shape.length == 0 || shape[0] != batch) {
        throw new EdgeVisionException(
            ErrorCode.INVALID_OUTPUT,
            "expected output "
                + name
                + " to have a leading batch"
                + " dimension of "
                + batch
                + " (one per frame of the batch), got shape "
                + Arrays.toString(shape));
      }
      shared.shapes.put(name, shape);
    }
    Outputs[] views = new Outputs[batch];
    for (int i = 0; i < batch; i++) {
      views[i] = new BatchElement(shared, i);
    }
    return List.of(views);
  }

  @Override
  public List<String> names() {
    return shared.names;
  }

  @Override
  public long[] shape(String name) {
    long[] all = shared.shapes.get(name);
    if (all == null) {
      throw new IllegalArgumentException("no output " + name + ", have " + shared.names);
    }
    long[] s = all.clone();
    s[0] = 1;
    return s;
  }

  @Override
  public float[] floats(String name) {
    shape(name);
    float[] all = shared.floats.computeIfAbsent(name, shared.outputs::floats);
    int per = all.length / shared.batch;
    return Arrays.copyOfRange(all, index * per, (index + 1) * per);
  }

  @Override
  public int copyFloats(String name, float[] dst) {
    float[] mine = floats(name);
    if (dst.length < mine.length) {
      throw new IllegalArgumentException(
          "expected a destination of at least "
              + mine.length
              + " floats for "
              + name
              + ", got "
              + dst.length);
    }
    System.arraycopy(mine, 0, dst, 0, mine.length);
    return mine.length;
  }

  @Override
  public long[] longs(String name) {
    shape(name);
    long[] all = shared.longs.computeIfAbsent(name, shared.outputs::longs);
    int per = all.length / shared.batch;
    return Arrays.copyOfRange(all, index * per, (index + 1) * per);
  }
}
