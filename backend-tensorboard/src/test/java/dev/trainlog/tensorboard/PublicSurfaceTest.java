package dev.trainlog.tensorboard;

import dev.trainlog.tensorboard.internal.TensorBoardBackendProvider;
import dev.trainlog.testkit.internal.PublicSurfaceContract;

/** What users and plugin authors see of trainlog-tensorboard: the listed API types, and no internal type in their signatures. */
class PublicSurfaceTest extends PublicSurfaceContract {

  PublicSurfaceTest() {
    super(TensorBoardBackendProvider.class, "/public-surface.txt");
  }
}
