package dev.trainlog.mongodb.internal;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import dev.trainlog.testkit.MutableClock;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Instant;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** For tests of the runs document: a memory server over TCP, a client, its runs collection and a clock at T0. */
abstract class RunsDocumentTestBase {

  static final Instant T0 = Instant.ofEpochMilli(TestRecords.START_MILLIS);

  @TempDir Path dir;
  TestServer server;
  MongoClient client;
  MongoCollection<Document> runs;
  final MutableClock clock = new MutableClock(T0);

  @BeforeEach
  void startServer() {
    server = TestServer.memory();
    client = Fixtures.client(server.uri());
    runs = client.getDatabase("ai_training_logs").getCollection("runs");
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.close();
  }
}
