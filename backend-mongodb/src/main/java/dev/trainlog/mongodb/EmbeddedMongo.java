package dev.trainlog.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
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
 * Runs {@code embedded:<dir>} stores: one in-process MongoDB wire-protocol server per directory and
 * JVM (mongo-java-server with its H2 file backend), shared by every backend that names the directory
 * and shut down when the last one lets go. Meant for runs where no MongoDB is installed; real use
 * points {@code uri} at MongoDB or Atlas.
 */
public final class EmbeddedMongo {

  /** The URI prefix that selects the embedded server: {@value}. */
  public static final String SCHEME = "embedded:";

  /** The H2 file inside the directory: {@value}. */
  public static final String FILE_NAME = "trainlog.mv";


  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongo.class);

  private static final Map<Path, Shared> RUNNING = new HashMap<>();

  private EmbeddedMongo() {}

  /** Whether the optional server classes are on the class path. */
  public static boolean available() {
    try {
      Class.forName("de.bwaldvogel.mongo.backend.h2.H2Backend", false, EmbeddedMongo.class.getClassLoader());
      Class.forName("de.bwaldvogel.mongo.MongoServer", false, EmbeddedMongo.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The problem reported when {@code embedded:} is used without the optional server classes. */
  static ConfigException missingClasses(String uri) {
    return new ConfigException(ConfigProblem.invalid("uri", uri, "a MongoDB URI, or the embedded server needs "
        + "de.bwaldvogel:mongo-java-server-h2-backend on the class path: add that dependency"));
  }

  /** The directory an {@code embedded:<dir>} URI names, resolved against the working directory. */
  public static Path directoryOf(String uri) {
    if (!uri.startsWith(SCHEME)) {
      throw new IllegalArgumentException("not an embedded URI: " + uri);
    }
    return Path.of(uri.substring(SCHEME.length())).toAbsolutePath().normalize();
  }

  /** The {@code mongodb://} URI of the server running for {@code dir}, while one runs in this JVM. */
  public static synchronized Optional<String> uriFor(Path dir) {
    Shared shared = RUNNING.get(key(dir));
    return shared == null ? Optional.empty() : Optional.of(shared.server.uri());
  }

  /**
   * A client on the store in {@code dir}, starting its server if none runs (e.g. after the run, to
   * query what it logged). Closing the returned handle closes the client and releases the server.
   */
  public static EmbeddedClient openClient(Path dir) {
    Lease lease = acquire(dir);
    try {
      return new EmbeddedClient(MongoClients.create(lease.uri()), lease);
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  /** Starts the server for {@code dir} or joins the running one. */
  static synchronized Lease acquire(Path dir) {
    if (!available()) {
      throw missingClasses(SCHEME + dir);
    }
    Path key = key(dir);
    Shared shared = RUNNING.get(key);
    if (shared == null) {
      try {
        Files.createDirectories(key);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the embedded MongoDB directory " + key, e);
      }
      shared = new Shared(EmbeddedServer.start(key.resolve(FILE_NAME)));
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
  static final class Lease implements AutoCloseable {
    private final Path key;
    private final EmbeddedServer server;
    private boolean closed;

    Lease(Path key, EmbeddedServer server) {
      this.key = key;
      this.server = server;
    }

    String uri() {
      return server.uri();
    }

    void commit() {
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

  /** A driver client on an embedded store plus the server lease it holds. */
  public static final class EmbeddedClient implements AutoCloseable {
    private final MongoClient client;
    private final Lease lease;

    EmbeddedClient(MongoClient client, Lease lease) {
      this.client = client;
      this.lease = lease;
    }

    public MongoClient client() {
      return client;
    }

    /** The {@code mongodb://} URI other tools (mongosh) can use while this handle is open. */
    public String uri() {
      return lease.uri();
    }

    @Override
    public void close() {
      client.close();
      lease.close();
    }
  }
}
