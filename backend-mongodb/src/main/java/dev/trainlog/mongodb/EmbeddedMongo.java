package dev.trainlog.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.trainlog.mongodb.internal.EmbeddedStores;
import dev.trainlog.mongodb.internal.EmbeddedStores.Lease;
import java.nio.file.Path;
import java.util.Optional;

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

  /** The directory an {@code embedded:<dir>} URI names, resolved against the working directory. */
  public static Path directoryOf(String uri) {
    if (!uri.startsWith(SCHEME)) {
      throw new IllegalArgumentException("not an embedded URI: " + uri);
    }
    return Path.of(uri.substring(SCHEME.length())).toAbsolutePath().normalize();
  }

  /** The {@code mongodb://} URI of the server running for {@code dir}, while one runs in this JVM. */
  public static Optional<String> uriFor(Path dir) {
    return EmbeddedStores.uriFor(dir);
  }

  /**
   * A client on the store in {@code dir}, starting its server if none runs (e.g. after the run, to
   * query what it logged). Closing the returned handle closes the client and releases the server.
   */
  public static EmbeddedClient openClient(Path dir) {
    Lease lease = EmbeddedStores.acquire(dir);
    try {
      return new EmbeddedClient(MongoClients.create(lease.uri()), lease);
    } catch (RuntimeException e) {
      lease.close();
      throw e;
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
