package dev.trainlog.mongodb.internal.service;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests that compare the service's answers with the library's own H2 server (whose scans return documents in
 * {@code _id} order, as the run index does), both holding {@link #docs()} in the step collection.
 */
abstract class ReferenceServerTest {

  @TempDir Path dir;
  private MongoServer reference;
  /** A client of the reference server. */
  MongoClient plain;

  /** The step documents both servers hold. */
  abstract List<Document> docs();

  @BeforeEach
  void startReference() {
    reference = new MongoServer(H2Backend.inMemory());
    var address = reference.bind();
    plain = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
    steps(plain).insertMany(docs());
  }

  @AfterEach
  void stopReference() {
    plain.close();
    reference.shutdownNow();
  }

  static MongoCollection<Document> steps(MongoClient client) {
    return client.getDatabase("ai_training_logs").getCollection("experiments");
  }
}
