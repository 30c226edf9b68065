package dev.trainlog.mlflow.internal;

import java.time.Duration;

/**
 * No longer used by the backend: waiting between attempts belongs to the core, which honours a
 * failure's retry-after hint. Kept only because {@link MlflowBackendProvider}'s constructor still
 * takes one; remove both together.
 */
@FunctionalInterface
public interface Sleeper {

  /** The real one: {@link Thread#sleep}. */
  Sleeper THREAD = d -> Thread.sleep(d.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
