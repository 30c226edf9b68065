package dev.trainlog.mlflow;

import dev.trainlog.mlflow.internal.MlflowBackendProvider;
import dev.trainlog.testkit.internal.PublicSurfaceContract;

/** What users and plugin authors see of trainlog-mlflow: the listed API types, and no internal type in their signatures. */
class PublicSurfaceTest extends PublicSurfaceContract {

  PublicSurfaceTest() {
    super(MlflowBackendProvider.class, "/public-surface.txt");
  }
}
