package dev.trainlog.mongodb.internal;

import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded servers running in this JVM, one per directory, shared by every backend and client that
 * names the directory and shut down when the last one lets go; {@link EmbeddedMongo} is its public face.
 */
public final class EmbeddedStores {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongo.class);

  private static final Map<Path, Shared> RUNNING = new HashMap<>();

  private EmbeddedStores() {}

  /** The problem reported when {@code embedded:} is used without the optional server classes. */
  public static ConfigException missingClasses(String uri) {
    return new ConfigException(ConfigProblem.invalid("uri", uri, "a MongoDB URI, or the embedded server needs "
        + "de.bwaldvogel:mongo-java-server-h2-backend on the class path: add that dependency"));
  }

  /** The {@code mongodb://} URI of the server running for {@code dir}, while one runs in this JVM. */
  public static synchronized Optional<String> uriFor(Path dir) {
    Shared shared = RUNNING.get(key(dir));
    return shared == null ? Optional.empty() : Optional.of(shared.server.uri());
  }

  /** Starts the server for {@code dir} or joins the running one. */
  public static synchronized Lease acquire(Path dir) {
    if (!EmbeddedMongo.available()) {
      throw missingClasses(EmbeddedMongo.SCHEME + dir);
    }
    Path key = key(dir);
    Shared shared = RUNNING.get(key);
    if (shared == null) {
      try {
        Files.createDirectories(key);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the embedded MongoDB directory " + key, e);
      }
      shared = new Shared(EmbeddedServer.start(key.resolve(EmbeddedMongo.FILE_NAME)));
      RUNNING.put(key, shared);
      advertise(key, shared.server.port());
    }
    shared.users++;
    return new Lease(key, shared.server);
  }

  private static synchronized void release(Path key, EmbeddedServer server) {
    Shared shared = RUNNING.get(key);
    if (shared == null || shared.server != server) {
      return;
    }
    if (--shared.users == 0) {
      RUNNING.remove(key);
      EmbeddedPortFile.delete(key, server.port());
      server.shutdown();
    }
  }

  /** Lets other processes find the live store; a store that cannot advertise still works in this JVM. */
  private static void advertise(Path dir, int port) {
    try {
      EmbeddedPortFile.write(dir, port);
    } catch (IOException e) {
      LOG.warn("cannot write {} in {}: other processes will not reach this store while it runs ({})",
          EmbeddedPortFile.FILE_NAME, dir, e.getMessage());
    }
  }

  private static Path key(Path dir) {
    return dir.toAbsolutePath().normalize();
  }

  private static final class Shared {
    final EmbeddedServer server;
    int users;

    Shared(EmbeddedServer server) {
      this.server = server;
    }
  }

  /** One user's hold on a running embedded server; closing it twice releases once. */
  public static final class Lease implements AutoCloseable {
    private final Path key;
    private final EmbeddedServer server;
    private boolean closed;

    Lease(Path key, EmbeddedServer server) {
      this.key = key;
      this.server = server;
    }

    /** The {@code mongodb://} URI of the server. */
    public String uri() {
      return server.uri();
    }

    /** Writes everything acknowledged so far to the file. */
    public void commit() {
      server.commit();
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        release(key, server);
      }
    }
  }
}
