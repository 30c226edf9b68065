package dev.trainlog.mongodb.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.ReplaceOptions;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's key order is H2's own (Java-serialized bytes) for every key a store written before it holds,
 * so such a store opens and its keys are found; and keys holding documents are found again after a restart.
 */
class StoreKeyTypeTest {

  @TempDir Path dir;

  @Test
  void keysOfOneStringSortAsTheirSerializedBytesDo() {
    Random random = new Random(28);
    ObjectDataType serialized = new ObjectDataType();
    StoreKeyType fast = new StoreKeyType();
    List<String> strings = new ArrayList<>(List.of("", "a", "b", "ab", "run-1/0/10/10", "run-1/0/9/9", "\u0000",
        "\u007f", "\u0080", "\u07ff", "\u0800", "\uffff", "\ud83d\ude00", "é", "e\u0301"));
    String alphabet = "az09/-_\u0000\u007f\u0080\u00e9\u07ff\u0800\u4e2d\ud83d\ude00\uffff";
    for (int i = 0; i < 3000; i++) {
      StringBuilder s = new StringBuilder();
      int n = random.nextInt(12);
      for (int j = 0; j < n; j++) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      strings.add(s.toString());
    }
    for (int i = 0; i < strings.size(); i++) {
      for (int j = i; j < Math.min(strings.size(), i + 40); j++) {
        KeyValue a = new KeyValue(strings.get(i));
        KeyValue b = new KeyValue(strings.get(j));
        assertThat(Integer.signum(fast.compare(a, b)))
            .as("%s vs %s", strings.get(i), strings.get(j))
            .isEqualTo(Integer.signum(serialized.compare(a, b)));
        assertThat(Integer.signum(fast.compare(b, a))).isEqualTo(Integer.signum(serialized.compare(b, a)));
      }
    }
  }

  @Test
  void keysOfOtherValuesSortAsBefore() {
    ObjectDataType serialized = new ObjectDataType();
    StoreKeyType fast = new StoreKeyType();
    List<Object> keys = List.of(new KeyValue(1.0), new KeyValue(2.5), new KeyValue("x", 1.0), new KeyValue("y"),
        "plain", 7L);
    for (Object a : keys) {
      for (Object b : keys) {
        if (a.getClass() == b.getClass()) {
          assertThat(Integer.signum(fast.compare(a, b))).isEqualTo(Integer.signum(serialized.compare(a, b)));
        }
      }
    }
  }

  @Test
  void aStoreTheLibraryWroteOpensAndItsKeysAreFound() throws Exception {
    H2Backend library = new H2Backend(dir.resolve(ServiceLauncher.FILE_NAME).toString());
    MongoServer server = new MongoServer(library);
    try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.bind().getPort())) {
      steps(client).insertMany(docs(0, 2000));
    } finally {
      server.shutdown();
    }
    StoreService service = StoreService.start(dir, 0, false, Duration.ofMinutes(1));
    try (MongoClient client = MongoClients.create(service.advertised().uri())) {
      MongoCollection<Document> steps = steps(client);
      for (int s = 0; s < 2000; s += 37) {
        assertThat(steps.find(new Document("_id", id(s))).first()).isNotNull();
      }
      assertThatThrownBy(() -> steps.insertOne(docs(1500, 1501).get(0)))
          .isInstanceOfSatisfying(MongoWriteException.class, e -> assertThat(e.getCode()).isEqualTo(11000));
      steps.insertMany(docs(2000, 3000));
      assertThat(steps.countDocuments()).isEqualTo(3000);
      assertThat(steps.find(new Document("_id", id(2500))).first()).isNotNull();
    } finally {
      service.stop();
    }
  }

  @Test
  void documentKeysAreFoundAfterARestart() throws Exception {
    StoreService service = StoreService.start(dir, 0, false, Duration.ofMinutes(1));
    try (MongoClient client = MongoClients.create(service.advertised().uri())) {
      for (long b = 0; b < 50; b++) {
        upsert(steps(client), b, 1);
      }
    } finally {
      service.stop();
    }
    StoreService again = StoreService.start(dir, 0, false, Duration.ofMinutes(1));
    try (MongoClient client = MongoClients.create(again.advertised().uri())) {
      MongoCollection<Document> rollups = steps(client);
      for (long b = 0; b < 50; b++) {
        upsert(rollups, b, 2);
      }
      assertThat(rollups.countDocuments()).isEqualTo(50);
      assertThat(rollups.find(new Document("_id", bucket(17))).first().getInteger("count")).isEqualTo(2);
    } finally {
      again.stop();
    }
  }

  private static void upsert(MongoCollection<Document> collection, long b, int count) {
    collection.replaceOne(new Document("_id", bucket(b)), new Document("_id", bucket(b)).append("run", "r")
        .append("count", count), new ReplaceOptions().upsert(true));
  }

  private static Document bucket(long b) {
    return new Document("r", "r").append("k", 0).append("p", "metrics.loss").append("b", b);
  }

  private static String id(int s) {
    return "run-a/0/" + s + "/" + s;
  }

  private static List<Document> docs(int from, int to) {
    List<Document> docs = new ArrayList<>();
    for (int s = from; s < to; s++) {
      docs.add(new Document("_id", id(s)).append("run", "run-a").append("step", (long) s)
          .append("metrics", new Document("loss", 1.0 / (s + 1))));
    }
    return docs;
  }

  private static MongoCollection<Document> steps(MongoClient client) {
    return client.getDatabase("ai_training_logs").getCollection("experiments");
  }
}
