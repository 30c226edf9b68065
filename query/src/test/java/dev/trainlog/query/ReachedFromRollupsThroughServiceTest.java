package dev.trainlog.query;

/**
 * The same answers through the embedded store service, which reads an aggregate whose {@code $match} names runs
 * through its run index and hands the reached-within shape only each run's first matching documents: the
 * rollup reads, the bucket read (its {@code $or} of step ranges) and the full aggregation all go through it.
 */
class ReachedFromRollupsThroughServiceTest extends ReachedFromRollupsTest {

  @Override
  boolean throughService() {
    return true;
  }
}
