package dev.trainlog.query;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.trainlog.mongodb.EmbeddedMongo;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh mongo-java-server over TCP per test, dispatchers writing to it ({@link #log}) and the read API
 * over it ({@link #store}); with {@link #oplog()} the server also has change streams.
 */
abstract class RealServerTest {

  @TempDir Path tmp;
  MongoServer server;
  StoreLog log;
  TrainlogStore store;
  /** The server's {@code mongodb://} URI, for a test's own driver client. */
  String uri;

  /** Whether the server keeps an oplog, so change streams work. */
  boolean oplog() {
    return false;
  }

  /** Whether the test talks to the embedded store service (in {@code tmp}) instead of mongo-java-server. */
  boolean throughService() {
    return false;
  }

  @BeforeEach
  void startServer() {
    uri = startStore();
    log = new StoreLog(uri, tmp);
    store = TrainlogStore.open(uri);
  }

  /** Starts the server the test talks to and returns its URI: mongo-java-server in memory, or the store service. */
  private String startStore() {
    if (throughService()) {
      return EmbeddedMongo.ensureRunning(tmp.resolve("store"), 0);
    }
    server = new MongoServer(new MemoryBackend());
    if (oplog()) {
      server.enableOplog();
    }
    server.bind("127.0.0.1", 0);
    return "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    store.close();
    stopStore();
  }

  private void stopStore() {
    if (throughService()) {
      EmbeddedMongo.stop(tmp.resolve("store"), Duration.ofSeconds(30));
    } else {
      server.shutdownNow();
    }
  }
}
