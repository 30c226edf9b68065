package dev.trainlog.mongodb.internal;

import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.mongodb.internal.service.ServiceLauncher;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import java.nio.file.Path;

/**
 * Reaches the store service of an {@code embedded:<dir>} URI for the backend, starting it when none
 * runs; {@link EmbeddedMongo} is the public face.
 */
public final class EmbeddedStores {

  private EmbeddedStores() {}

  /** The problem reported when {@code embedded:} is used without the optional server classes. */
  public static ConfigException missingClasses(String uri) {
    return new ConfigException(ConfigProblem.invalid("uri", uri, "a MongoDB URI, or the embedded server needs "
        + "de.bwaldvogel:mongo-java-server-h2-backend on the class path: add that dependency"));
  }

  /** The {@code mongodb://} URI of the service of {@code dir}, started if none runs. */
  public static String connect(Path dir) {
    if (!EmbeddedMongo.available()) {
      throw missingClasses(EmbeddedMongo.SCHEME + dir);
    }
    return ServiceLauncher.ensureRunning(dir).uri();
  }
}
