package io.edgevision.spark;

import org.apache.spark.sql.SparkSession;

/** One local[2] Spark session for every test class of this JVM (starting Spark costs seconds). */
final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSessions.local("edgevision-spark-tests", 2);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
    }
    return session;
  }
}
