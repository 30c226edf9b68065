package dev.trainlog.mongodb.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;

/**
 * Per-run reads the service answers from the run index's records give exactly, field order included, what
 * a plain server gives for the same documents: vector and nested metrics, odd types, sorts, limits and
 * projections with and without {@code _id}; also for documents stored before records were kept.
 */
class CoveredReadsTest extends ReferenceServerTest {

  private static final String RUN = "run-a";



  @Test
  void perRunReadsAnswerExactlyAsAPlainServerDoes() throws Exception {
    StoreService service = StoreService.start(dir, 0, false, Duration.ofMinutes(1));
    try (MongoClient client = MongoClients.create(service.advertised().uri())) {
      steps(client).insertMany(docs());
      assertSameAnswers(client);
    } finally {
      service.stop();
    }
  }

  @Test
  void documentsStoredBeforeRecordsWereKeptAreReadWholeAndThenCovered() throws Exception {
    StoreService service = StoreService.start(dir, 0, false, Duration.ofMinutes(1));
    try (MongoClient client = MongoClients.create(service.advertised().uri())) {
      steps(client).insertMany(docs());
    } finally {
      service.stop();
    }
    MVStore file = MVStore.open(dir.resolve("trainlog.mv").toString());
    String coverMap = "ai_training_logs.experiments._" + RunFieldIndex.NAME + "_cover";
    assertThat(file.hasMap(coverMap)).isTrue();
    file.removeMap(coverMap);
    file.close();

    StoreService again = StoreService.start(dir, 0, false, Duration.ofMinutes(1));
    try (MongoClient client = MongoClients.create(again.advertised().uri())) {
      assertSameAnswers(client);
      assertSameAnswers(client);
    } finally {
      again.stop();
    }
    MVStore reopened = MVStore.open(dir.resolve("trainlog.mv").toString());
    try {
      assertThat(reopened.openMap(coverMap).sizeAsLong()).as("records kept on the first read").isEqualTo(20);
    } finally {
      reopened.close();
    }
  }

  private void assertSameAnswers(MongoClient client) {
    List<Function<MongoCollection<Document>, FindIterable<Document>>> reads = List.of(
        // the query module's series read, whole and after a step
        s -> s.find(Document.parse("{run: 'run-a', rank: 0, 'metrics.loss': {$exists: true}}"))
            .projection(Document.parse("{_id: 0, step: 1, timestamp: 1, 'metrics.loss': 1}")),
        s -> s.find(Document.parse("{run: 'run-a', rank: 0, step: {$gt: 5}, 'metrics.loss': {$exists: true}}"))
            .projection(Document.parse("{_id: 0, step: 1, timestamp: 1, 'metrics.loss': 1}")),
        // the command line's series and metric names, the live feed
        s -> s.find(Document.parse("{run: 'run-a', rank: 0}"))
            .projection(Document.parse("{_id: 0, step: 1, timestamp: 1, 'metrics.loss': 1, 'metrics.lr': 1}")),
        s -> s.find(Document.parse("{run: 'run-a', rank: 1}")).projection(Document.parse("{metrics: 1}")).limit(3),
        s -> s.find(Document.parse("{run: 'run-a', rank: 0, step: {$gt: 3}}"))
            .projection(Document.parse("{_id: 0, step: 1, timestamp: 1, metrics: 1}")).sort(Document.parse("{step: 1}")),
        s -> s.find(Document.parse("{run: 'run-a'}")).projection(Document.parse("{step: 1}"))
            .sort(Document.parse("{step: -1}")).limit(1),
        s -> s.find(Document.parse("{run: 'run-a', 'metrics.vec': {$exists: true}}"))
            .projection(Document.parse("{'metrics.vec': 1, 'metrics.nested.a': 1}")),
        s -> s.find(Document.parse("{run: 'run-a', 'metrics.loss': {$gt: 0.5}}"))
            .projection(Document.parse("{_id: 0, 'metrics.loss': 1, rank: 1}")),
        // $or and $and of covered clauses (reached-within's bucket read), and an $or that reads another field
        s -> s.find(Document.parse("{'metrics.loss': {$lt: 0.5}, $or: [{step: {$gte: 2, $lte: 4}, run: {$in: ['run-a']}},"
            + " {step: {$gte: 10, $lte: 12}, $and: [{rank: 0}, {run: 'run-a'}]}], run: {$in: ['run-a']}}"))
            .projection(Document.parse("{_id: 0, step: 1, timestamp: 1, 'metrics.loss': 1, run: 1}")),
        s -> s.find(Document.parse("{run: 'run-a', $or: [{step: 3}, {exp_name: 'e', step: 5}]}"))
            .projection(Document.parse("{_id: 0, step: 1}")),
        // not covered: a whole document, a field outside the records
        s -> s.find(Document.parse("{run: 'run-a'}")),
        s -> s.find(Document.parse("{run: 'run-a', exp_name: 'e'}")).projection(Document.parse("{step: 1}")));
    for (int i = 0; i < reads.size(); i++) {
      assertThat(json(reads.get(i).apply(steps(client)))).as("read %d", i)
          .isEqualTo(json(reads.get(i).apply(steps(plain)))).isNotEmpty();
    }
  }

  private static List<String> json(FindIterable<Document> found) {
    return found.map(Document::toJson).into(new ArrayList<>());
  }

  @Override
  List<Document> docs() {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Document metrics = new Document("loss", i == 7 ? Double.NaN : 1.0 / (i + 1)).append("lr", 1e-4);
      if (i % 5 == 2) {
        metrics.append("vec", List.of(1.0, 2.0, 3.0));
      }
      if (i == 9) {
        metrics.append("nested", new Document("a", 1)).append("label", "text");
      }
      Document d = new Document("_id", RUN + "/" + i).append("exp_name", "e").append("run", RUN);
      if (i == 4) {
        // another field order, an int step, no timestamp
        d.append("metrics", metrics).append("step", i).append("rank", i % 2);
      } else {
        d.append("step", (long) i).append("rank", i % 2).append("timestamp", new Date(1_764_000_000_000L + i))
            .append("metrics", metrics);
      }
      docs.add(d.append("config", new Document("lora_rank", 8)));
      docs.add(new Document("_id", "run-b/" + i).append("run", "run-b").append("rank", 0).append("step", (long) i)
          .append("metrics", new Document("loss", 2.0)));
    }
    return docs;
  }


}
