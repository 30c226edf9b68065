package dev.trainlog.testkit;

import dev.trainlog.testkit.internal.PublicSurfaceContract;

/** What users and plugin authors see of trainlog-testkit: the listed API types, and no internal type in their signatures. */
class PublicSurfaceTest extends PublicSurfaceContract {

  PublicSurfaceTest() {
    super(TestRecords.class, "/public-surface.txt");
  }
}
