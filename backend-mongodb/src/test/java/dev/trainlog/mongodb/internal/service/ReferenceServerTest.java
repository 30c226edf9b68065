package dev.trainlog.mongodb.internal.service;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.h2.mvstore.MVStore;
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

  /** Runs {@code reads} with a client of a store service started on {@link #dir}, stopped afterwards. */
  void withService(Reads reads) throws Exception {
    StoreService service = StoreService.start(dir, 0, false, Duration.ofMinutes(1));
    try (MongoClient client = MongoClients.create(service.advertised().uri())) {
      reads.run(client);
    } finally {
      service.stop();
    }
  }

  /** Runs {@code change} on the store's file while no service holds it (a store as other code left it). */
  void withFile(FileChange change) {
    MVStore file = MVStore.open(dir.resolve(ServiceLauncher.FILE_NAME).toString());
    try {
      change.run(file);
    } finally {
      file.close();
    }
  }

  /** What a test does with a client of the service. */
  interface Reads {
    void run(MongoClient client) throws Exception;
  }

  /** What a test does to the store's file. */
  interface FileChange {
    void run(MVStore file);
  }

  /** The answers of {@code pipeline}, as JSON in the order given. */
  static List<String> aggregateJson(MongoCollection<Document> collection, List<Document> pipeline) {
    return collection.aggregate(pipeline).map(Document::toJson).into(new ArrayList<>());
  }

  /** The query module's reached-within aggregation over what {@code match} keeps: each run's first step, by step. */
  static List<Document> firstPerRun(Document match) {
    return List.of(new Document("$match", match), Document.parse("{$sort: {step: 1}}"),
        Document.parse("{$group: {_id: '$run', step: {$first: '$step'}, time: {$first: '$timestamp'},"
            + " value: {$first: '$metrics.loss'}}}"),
        Document.parse("{$sort: {_id: 1}}"));
  }
}
