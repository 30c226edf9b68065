package dev.trainlog.mongodb.internal;

import dev.trainlog.mongodb.internal.service.ServiceLauncher;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import java.nio.file.Path;

/**
 * Reaches the store service of an {@code embedded:<dir>} URI for the backend, starting it when none
 * runs; {@code EmbeddedMongo} is the public face.
 */
public final class EmbeddedStores {

  /** The URI prefix that selects the embedded server: {@value}. */
  public static final String SCHEME = "embedded:";

  private EmbeddedStores() {}

  /** Whether the optional server classes are on the class path. */
  public static boolean available() {
    try {
      Class.forName("de.bwaldvogel.mongo.backend.h2.H2Backend", false, EmbeddedStores.class.getClassLoader());
      Class.forName("de.bwaldvogel.mongo.MongoServer", false, EmbeddedStores.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The directory an {@code embedded:<dir>} URI names, resolved against the working directory. */
  public static Path directoryOf(String uri) {
    if (!uri.startsWith(SCHEME)) {
      throw new IllegalArgumentException("not an embedded URI: " + uri);
    }
    return Path.of(uri.substring(SCHEME.length())).toAbsolutePath().normalize();
  }

  /** The problem reported when {@code embedded:} is used without the optional server classes. */
  public static ConfigException missingClasses(String uri) {
    return new ConfigException(ConfigProblem.invalid("uri", uri, "a MongoDB URI, or the embedded server needs "
        + "de.bwaldvogel:mongo-java-server-h2-backend on the class path: add that dependency"));
  }

  /** The {@code mongodb://} URI of the service of {@code dir}, started if none runs. */
  public static String connect(Path dir) {
    return connect(dir, 0);
  }

  /** As {@link #connect(Path)}; a non-zero {@code port} pins the port of a service this call starts. */
  public static String connect(Path dir, int port) {
    if (!available()) {
      throw missingClasses(SCHEME + dir);
    }
    return ServiceLauncher.ensureRunning(dir, port).uri();
  }

}
