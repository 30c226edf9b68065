package dev.trainlog.mongodb.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Aggregates whose {@code $match} names runs, which the service reads through its run index (and its records),
 * give exactly what the library's own H2 server gives by scanning: the seed's reached-within question, the
 * first of equal steps across runs, documents without records, a later {@code $lookup} of the same collection.
 */
class RunScopedAggregateTest extends ReferenceServerTest {



  @Test
  void aggregatesOfNamedRunsAnswerExactlyAsAScanDoes() throws Exception {
    StoreService service = StoreService.start(dir, 0, false, Duration.ofMinutes(1));
    try (MongoClient client = MongoClients.create(service.advertised().uri())) {
      steps(client).insertMany(docs());
      assertSameAnswers(client);
      assertSameAnswers(client);
    } finally {
      service.stop();
    }
  }

  @Test
  void theSeedsReachedWithinQueryIsScopedAndReadFromTheRecords() {
    de.bwaldvogel.mongo.bson.Document match = d("run", d("$in", List.of("run-c", "run-a", "run-b")))
        .append("step", d("$lte", 15L)).append("metrics.loss", d("$lt", 0.3).append("$gte", -1e300));
    List<Object> pipeline = AggregateNarrowing.narrow(List.of(d("$match", match),
        d("$sort", d("step", 1)), d("$group", d("_id", "$run")
            .append("step", d("$first", "$step")).append("time", d("$first", "$timestamp"))
            .append("value", d("$first", "$metrics.loss")))));
    AggregateScope scope = AggregateScope.of("ai_training_logs", "experiments", pipeline).orElseThrow();
    assertThat(scope.cover()).isEqualTo(CoveredQuery.Cover.ANY);
    assertThat(scope.firstBy()).isEqualTo(d("step", 1));
    assertThat(AggregateScope.of("ai_training_logs", "experiments", List.of(d("$match", match),
        d("$project", d("run", "$exp_name").append("step", 1)), d("$sort", d("step", 1)),
        d("$group", d("_id", "$run").append("s", d("$first", "$step"))))).orElseThrow().firstBy())
        .as("a projection that renames run").isNull();
    assertThat(AggregateScope.of("ai_training_logs", "experiments", List.of(d("$match", match),
        d("$sort", d("step", 1)), d("$group", d("_id", "$run").append("s", d("$last", "$step")))))
        .orElseThrow().firstBy()).as("a $last").isNull();
    assertThat(RunFieldIndex.runsOf(scope.match())).hasValue(List.of("run-a", "run-b", "run-c"));
    assertThat(AggregateScope.of("ai_training_logs", "experiments",
        List.of(d("$group", d("_id", "$run"))))).isEmpty();
    assertThat(RunFieldIndex.runsOf(d("run", d("$in", List.of("a", 1))))).isEmpty();
  }

  private void assertSameAnswers(MongoClient client) {
    List<List<Document>> pipelines = List.of(
        reached(),
        List.of(Document.parse("{$match: {run: {$in: ['run-a', 'run-c']}}}"), Document.parse("{$sort: {step: -1}}"),
            Document.parse("{$group: {_id: '$rank', run: {$first: '$run'}, step: {$first: '$step'}}}"),
            Document.parse("{$sort: {_id: 1}}")),
        List.of(Document.parse("{$match: {run: {$in: ['run-a', 'run-c', 'run-b']}, step: {$gte: 2}}}"),
            Document.parse("{$sort: {step: 1}}"),
            Document.parse("{$group: {_id: '$run', rank: {$first: '$rank'}, id: {$first: '$_id'}}}")),
        List.of(Document.parse("{$match: {run: {$in: ['run-a', 'run-c']}}}"), Document.parse("{$sort: {step: -1}}"),
            Document.parse("{$group: {_id: '$run', rank: {$first: '$rank'}, v: {$first: '$metrics.vec'}}}")),
        List.of(Document.parse("{$match: {run: 'run-b'}}"),
            Document.parse("{$group: {_id: '$run', n: {$sum: 1}, last: {$last: '$metrics.loss'}}}")),
        List.of(Document.parse("{$match: {run: {$in: ['run-a']}, exp_name: 'e'}}"),
            Document.parse("{$project: {step: 1, 'metrics.vec': 1}}")),
        List.of(Document.parse("{$match: {run: {$in: ['run-c']}, step: {$lt: 3}}}"),
            Document.parse("{$lookup: {from: 'experiments', localField: 'rank', foreignField: 'rank', as: 'same'}}"),
            Document.parse("{$project: {step: 1, n: {$size: '$same'}}}")));
    for (int i = 0; i < pipelines.size(); i++) {
      assertThat(aggregateJson(steps(client), pipelines.get(i))).as("pipeline %d", i)
          .isEqualTo(aggregateJson(steps(plain), pipelines.get(i))).isNotEmpty();
    }
    List<Document> none = List.of(Document.parse("{$match: {run: {$in: []}}}"));
    assertThat(aggregateJson(steps(client), none)).isEqualTo(aggregateJson(steps(plain), none)).isEmpty();
  }

  /** The query module's reached-within aggregation: loss below 0.3 within 15 steps, NaN left out. */
  private static List<Document> reached() {
    return firstPerRun(Document.parse("{run: {$in: ['run-c', 'run-a', 'run-b']}, step: {$lte: 15},"
        + " 'metrics.loss': {$lt: 0.3, $gte: " + -Double.MAX_VALUE + "}}"));
  }

  @Override
  List<Document> docs() {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      for (String run : List.of("run-a", "run-b", "run-c")) {
        double loss = run.equals("run-b") ? 2.0 : (i == 7 ? Double.NaN : 1.0 / (i + 1));
        Document metrics = new Document("loss", loss).append("lr", 1e-4);
        if (i % 5 == 2 && run.equals("run-a")) {
          metrics.append("vec", List.of(1.0, 2.0, 3.0));
        }
        // run-c's ids sort before run-a's, so a scan meets its documents first
        String id = (run.equals("run-c") ? "0-" : "") + run + "/" + (i % 2) + "/" + i;
        docs.add(new Document("_id", id).append("exp_name", "e").append("run", run).append("step", (long) (i / 2))
            .append("rank", i % 2).append("timestamp", new Date(1_764_000_000_000L + i)).append("metrics", metrics));
      }
    }
    docs.add(new Document("_id", "odd").append("run", List.of("run-a")).append("step", 1L));
    return docs;
  }


  /** A document of the server library, as the service sees a command. */
  private static de.bwaldvogel.mongo.bson.Document d(String key, Object value) {
    return new de.bwaldvogel.mongo.bson.Document(key, value);
  }
}
