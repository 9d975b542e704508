package io.edgevision.spark;

import org.apache.spark.sql.SparkSession;

/**
 * A local Spark session configured for one machine: {@code local[N]}, driver bound to 127.0.0.1, no web UI, few
 * shuffle partitions. On a cluster, use the session {@code spark-submit} gives ({@code SparkSession.builder()
 * .getOrCreate()}) instead.
 *
 * <p>Threading: stateless.
 */
public final class SparkSessions {
  /** Shuffle partitions of a local session (Spark's default 200 only adds scheduling overhead on one machine). */
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
    return builder(appName).master("local[" + threads + "]").getOrCreate();
  }

  /**
   * @param appName the application name
   * @return a builder with the local settings above but no master (set it, or let spark-submit set it)
   */
  public static SparkSession.Builder builder(String appName) {
    return SparkSession.builder().appName(appName)
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", String.valueOf(LOCAL_SHUFFLE_PARTITIONS));
  }
}
