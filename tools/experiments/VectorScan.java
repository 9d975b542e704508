import jdk.incubator.vector.*;
/**
 * Exploration, not a benchmark: is the JDK 17 incubating Vector API worth it for the DETR decode's threshold scan
 * (the part of decode + suppression that reads all Q x C logits)? Scalar loop vs 256-bit compare + anyTrue with a
 * scalar rescan of the lanes that fire, 300 x 80 logits, ~190 above the threshold. See docs/PERFORMANCE.md.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector tools/experiments/VectorScan.java
 * </pre>
 */
public class VectorScan {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  static int scalar(float[] a, float t, int[] out) {
    int n = 0;
    for (int i = 0; i < a.length; i++) if (a[i] > t) out[n++] = i;
    return n;
  }
  static int vector(float[] a, float t, int[] out) {
    int n = 0; int i = 0; int L = S.length();
    int bound = S.loopBound(a.length);
    for (; i < bound; i += L) {
      VectorMask<Float> m = FloatVector.fromArray(S, a, i).compare(VectorOperators.GT, t);
      if (m.anyTrue()) {
        for (int k = i; k < i + L; k++) if (a[k] > t) out[n++] = k;
      }
    }
    for (; i < a.length; i++) if (a[i] > t) out[n++] = i;
    return n;
  }
  public static void main(String[] x) {
    java.util.Random r = new java.util.Random(1);
    float[] a = new float[300*80];
    for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() - 5);
    for (int i = 0; i < 123; i++) a[r.nextInt(a.length)] = 1f;
    int[] out = new int[a.length];
    float t = -2.197f;
    System.out.println(S + " " + scalar(a,t,out) + " " + vector(a,t,out));
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime(); int s = 0;
      for (int k = 0; k < 20000; k++) s += scalar(a, t, out);
      long t1 = System.nanoTime();
      for (int k = 0; k < 20000; k++) s += vector(a, t, out);
      long t2 = System.nanoTime();
      System.out.printf("scalar %.2f us  vector %.2f us (%d)%n", (t1-t0)/20000e3, (t2-t1)/20000e3, s);
    }
  }
}
