package dev.trainlog.query;

/**
 * The same charts through the embedded store service, which answers the rollup read (one run's buckets of one
 * metric, projected to their counts and points) from its run index's records instead of the documents.
 */
class SeriesRollupChartThroughServiceTest extends SeriesRollupChartTest {

  @Override
  boolean throughService() {
    return true;
  }
}
