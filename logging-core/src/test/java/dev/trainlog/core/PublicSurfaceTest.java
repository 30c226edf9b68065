package dev.trainlog.core;

import dev.trainlog.testkit.internal.PublicSurfaceContract;

/** What users and plugin authors see of trainlog-core: the listed API types, and no internal type in their signatures. */
class PublicSurfaceTest extends PublicSurfaceContract {

  PublicSurfaceTest() {
    super(LogDispatcher.class, "/public-surface.txt");
  }
}
