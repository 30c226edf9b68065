package dev.trainlog.testkit;

import dev.trainlog.api.LogRecord;
import dev.trainlog.testkit.internal.PublicSurfaceContract;

/** What users and plugin authors see of trainlog-api (checked here: the api module cannot take the testkit, which depends on it): the listed API types, and no internal type in their signatures. */
class ApiPublicSurfaceTest extends PublicSurfaceContract {

  ApiPublicSurfaceTest() {
    super(LogRecord.class, "/public-surface-api.txt");
  }
}
