package dev.trainlog.mongodb;

import dev.trainlog.mongodb.store.ServerFile;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.trainlog.mongodb.internal.EmbeddedStores;
import dev.trainlog.mongodb.internal.service.ServiceLauncher;
import dev.trainlog.mongodb.internal.service.StoreVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs {@code embedded:<dir>} stores: one store service per directory, a separate local process
 * (mongo-java-server with its H2 file backend) that the first process needing the store starts, that
 * every other process connects to through {@code <dir>/server.json}, and that stops after an idle time.
 * Meant for one machine with no MongoDB installed; a team points {@code uri} at MongoDB or Atlas.
 */
public final class EmbeddedMongo {

  /** The URI prefix that selects the embedded server: {@value}. */
  public static final String SCHEME = EmbeddedStores.SCHEME;

  /** The H2 file inside the directory: {@value}. */
  public static final String FILE_NAME = ServiceLauncher.FILE_NAME;

  private EmbeddedMongo() {}

  /** Whether the optional server classes are on the class path. */
  public static boolean available() {
    return EmbeddedStores.available();
  }


  /** The directory an {@code embedded:<dir>} URI names, resolved against the working directory. */
  public static Path directoryOf(String uri) {
    return EmbeddedStores.directoryOf(uri);
  }


  /** The {@code mongodb://} URI of the service running for {@code dir}, while one runs; starts none. */
  public static Optional<String> uriFor(Path dir) {
    return ServiceLauncher.running(dir.toAbsolutePath().normalize()).map(ServerFile::uri);
  }

  /**
   * The {@code mongodb://} URI of the service of {@code dir}, started if none runs; a non-zero {@code port}
   * pins the port of a service this call starts.
   */
  public static String ensureRunning(Path dir, int port) {
    return EmbeddedStores.connect(dir, port);
  }


  /** The service serving {@code dir} now (alive, of this TrainLog version, accepting connections), if any. */
  public static Optional<ServerFile> runningService(Path dir) {
    return ServiceLauncher.running(dir);
  }

  /** The TrainLog version a store service must have for this process to use it. */
  public static String serviceVersion() {
    return StoreVersion.current();
  }

  /** Stops the service of {@code dir} cleanly, waiting up to {@code wait}; false when none ran. */
  public static boolean stop(Path dir, Duration wait) {
    return ServiceLauncher.stop(dir, wait);
  }

  /**
   * A client on the store in {@code dir}, starting its service if none runs (e.g. after the run, to
   * query what it logged). Closing the handle closes the client; the service stops when idle.
   */
  public static EmbeddedClient openClient(Path dir) {
    String uri = EmbeddedStores.connect(dir);
    return new EmbeddedClient(MongoClients.create(uri), uri);
  }

  /** A driver client on an embedded store's service. */
  public static final class EmbeddedClient implements AutoCloseable {
    private final MongoClient client;
    private final String uri;

    EmbeddedClient(MongoClient client, String uri) {
      this.client = client;
      this.uri = uri;
    }

    public MongoClient client() {
      return client;
    }

    /** The {@code mongodb://} URI other tools (mongosh, pymongo) can use while the service runs. */
    public String uri() {
      return uri;
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
