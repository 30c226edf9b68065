package dev.trainlog.mongodb.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.backend.IndexKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secondary indexes are accepted, listed and kept across restarts, with nothing to build from the documents. */
class AcceptedIndexTest {

  @TempDir Path dir;

  @Test
  void aSecondaryIndexHasNothingToBuildAndAnswersNoQuery() {
    AcceptedIndex<Object> index = new AcceptedIndex<>("exp_name_1_step_1",
        List.of(new IndexKey("exp_name", true), new IndexKey("step", true)));
    assertThat(index.isEmpty()).as("what makes the library read every document to build it").isFalse();
    assertThat(index.canHandle(new de.bwaldvogel.mongo.bson.Document("exp_name", "e"))).isFalse();
  }

  @Test
  void secondaryIndexesAreListedAfterARestartAndQueriesStillScan() throws Exception {
    StoreService service = StoreService.start(dir, 0, false, Duration.ofMinutes(1));
    try (MongoClient client = MongoClients.create(service.advertised().uri())) {
      steps(client).insertMany(List.of(new Document("_id", "a").append("exp_name", "e").append("step", 1L),
          new Document("_id", "b").append("exp_name", "f").append("step", 2L)));
      steps(client).createIndex(Indexes.ascending("exp_name", "step"));
    } finally {
      service.stop();
    }
    StoreService again = StoreService.start(dir, 0, false, Duration.ofMinutes(1));
    try (MongoClient client = MongoClients.create(again.advertised().uri())) {
      List<String> names = steps(client).listIndexes().map(d -> d.getString("name")).into(new ArrayList<>());
      assertThat(names).containsExactlyInAnyOrder("_id_", "exp_name_1_step_1");
      assertThat(steps(client).find(new Document("exp_name", "f")).map(d -> d.getString("_id"))
          .into(new ArrayList<>())).containsExactly("b");
    } finally {
      again.stop();
    }
  }

  private static MongoCollection<Document> steps(MongoClient client) {
    return client.getDatabase("ai_training_logs").getCollection("experiments");
  }
}
