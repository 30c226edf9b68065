package dev.trainlog.query;

import dev.trainlog.mongodb.EmbeddedMongo;
import java.time.Duration;

/**
 * The same answers through the embedded store service, which reads an aggregate whose {@code $match} names runs
 * through its run index and hands the reached-within shape only each run's first matching documents: the
 * rollup reads, the bucket read (its {@code $or} of step ranges) and the full aggregation all go through it.
 */
class ReachedFromRollupsThroughServiceTest extends ReachedFromRollupsTest {

  @Override
  String startStore() {
    return EmbeddedMongo.ensureRunning(tmp.resolve("store"), 0);
  }

  @Override
  void stopStore() {
    EmbeddedMongo.stop(tmp.resolve("store"), Duration.ofSeconds(30));
  }
}
