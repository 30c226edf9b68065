package dev.trainlog.cli;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.trainlog.mongodb.schema.StoreSchema;

/** A real wire-protocol server in the test JVM on a random loopback port, and a driver client to it on demand. */
public final class TestMongo implements AutoCloseable {

  private final MongoServer server = new MongoServer(new MemoryBackend());
  private MongoClient client;
  public final String uri;

  public TestMongo() {
    this(false);
  }

  private TestMongo(boolean oplog) {
    if (oplog) {
      server.enableOplog(); // change streams, for what watches a run live
    }
    server.bind("127.0.0.1", 0);
    uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
  }

  /** A server that keeps an oplog, so change streams work. */
  public static TestMongo withOplog() {
    return new TestMongo(true);
  }

  /** The store's database through the official driver. */
  public synchronized MongoDatabase db() {
    if (client == null) {
      client = MongoClients.create(uri);
    }
    return client.getDatabase(StoreSchema.DEFAULT_DATABASE);
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
    server.shutdownNow();
  }
}
