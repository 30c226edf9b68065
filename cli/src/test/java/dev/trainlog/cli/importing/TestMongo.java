package dev.trainlog.cli.importing;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/** A real wire-protocol server in the test JVM on a random loopback port, and a driver client to it. */
final class TestMongo implements AutoCloseable {

  private final MongoServer server = new MongoServer(new MemoryBackend());
  private final MongoClient client;
  final String uri;

  TestMongo() {
    server.bind("127.0.0.1", 0);
    uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
    client = MongoClients.create(uri);
  }

  MongoDatabase db() {
    return client.getDatabase("ai_training_logs");
  }

  @Override
  public void close() {
    client.close();
    server.shutdown();
  }
}
