package dev.trainlog.query;

import dev.trainlog.mongodb.EmbeddedMongo;
import java.time.Duration;

/**
 * The same charts through the embedded store service, which answers the rollup read (one run's buckets of one
 * metric, projected to their counts and points) from its run index's records instead of the documents.
 */
class SeriesRollupChartThroughServiceTest extends SeriesRollupChartTest {

  @Override
  String startStore() {
    return EmbeddedMongo.ensureRunning(tmp.resolve("store"), 0);
  }

  @Override
  void stopStore() {
    EmbeddedMongo.stop(tmp.resolve("store"), Duration.ofSeconds(30));
  }
}
