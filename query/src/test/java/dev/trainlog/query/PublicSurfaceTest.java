package dev.trainlog.query;

import dev.trainlog.testkit.internal.PublicSurfaceContract;

/** What users see of trainlog-query: the listed API types, and no internal type in their signatures. */
class PublicSurfaceTest extends PublicSurfaceContract {

  PublicSurfaceTest() {
    super(TrainlogStore.class, "/public-surface.txt");
  }
}
