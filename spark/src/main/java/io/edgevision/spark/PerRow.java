package io.edgevision.spark;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * One row in, one row out, per partition and lazily: each output row is made when Spark pulls it,
 * so a partition is never held in memory. The jobs use it where every frame is independent (the
 * tracker, which carries state across rows, iterates itself).
 *
 * <p>Threading: the function runs on the executor thread that consumes the partition.
 */
final class PerRow {
  /** The per-row work; serializable because Spark ships it to the executors. */
  @FunctionalInterface
  interface Fn extends Serializable {
    Row apply(Row in);
  }

  private PerRow() {}

  /**
   * @param f the per-row work
   * @return a partition function applying {@code f} to each row as it is pulled
   */
  static MapPartitionsFunction<Row, Row> map(Fn f) {
    return it ->
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Row next() {
            return f.apply(it.next());
          }
        };
  }
}
