package io.edgevision.spark;

import org.apache.spark.sql.SparkSession;

/**
 * A local Spark session configured for one machine: {@code local[N]}, driver bound to 127.0.0.1, no
 * web UI, few shuffle partitions. On a cluster, use the session {@code spark-submit} gives ({@code
 * SparkSession.builder() .getOrCreate()}) instead.
 *
 * <p>Threading: stateless.
 */
public final class SparkSessions {
  /**
   * Shuffle partitions of a local session (Spark's default 200 only adds scheduling overhead on one
   * machine).
   */
  public static final int LOCAL_SHUFFLE_PARTITIONS = 4;

  private SparkSessions() {}

  /**
   * @param appName the application name
   * @param threads executor threads ({@code local[threads]}), &gt;= 1
   * @return a new or the existing session
   */
  public static SparkSession local(String appName, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("expected >= 1 executor threads, got " + threads);
    }
    return localBuilder(appName, "local[" + threads + "]").getOrCreate();
  }

  /**
   * @param appName the application name
   * @param master a {@code local[...]} master URL
   * @return a builder with the local settings above
   */
  public static SparkSession.Builder localBuilder(String appName, String master) {
    if (!master.startsWith("local")) {
      throw new IllegalArgumentException("expected a local[...] master, got " + master);
    }
    return SparkSession.builder()
        .appName(appName)
        .master(master)
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", String.valueOf(LOCAL_SHUFFLE_PARTITIONS));
  }
}
