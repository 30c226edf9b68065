package dev.trainlog.mongodb.internal.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The store directories a test used; {@link #stopAll()} stops their services so none outlives the test. */
public final class Services {

  private final List<Path> dirs = new ArrayList<>();

  /** Remembers {@code dir} and returns it. */
  public Path dir(Path dir) {
    dirs.add(dir);
    return dir;
  }

  /** Stops the service of every remembered directory (a killed or idle one is simply gone). */
  public void stopAll() {
    for (Path dir : dirs) {
      ServiceLauncher.stop(dir, Duration.ofSeconds(30));
    }
  }
}
