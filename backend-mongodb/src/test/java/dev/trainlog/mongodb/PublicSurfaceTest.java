package dev.trainlog.mongodb;

import dev.trainlog.testkit.internal.PublicSurfaceContract;

/** What users and plugin authors see of trainlog-mongodb: the listed API types, and no internal type in their signatures. */
class PublicSurfaceTest extends PublicSurfaceContract {

  PublicSurfaceTest() {
    super(AlertWatcher.class, "/public-surface.txt");
  }
}
