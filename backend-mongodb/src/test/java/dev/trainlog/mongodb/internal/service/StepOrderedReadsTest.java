package dev.trainlog.mongodb.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.h2.mvstore.MVMap;
import org.junit.jupiter.api.Test;

/**
 * Reached-within's bucket read (an {@code $or} of step ranges, each with its runs) reaches only those steps of each
 * run through the step index, and answers exactly as a scan of the library's own server does; a store written
 * before the step index gets it built on that read, once.
 */
class StepOrderedReadsTest extends ReferenceServerTest {

  private static final String DB = "ai_training_logs";
  private static final String STEP_MAP = DB + ".experiments._" + RunFieldIndex.NAME + "_step";
  private static final String COVER_MAP = DB + ".experiments._" + RunFieldIndex.NAME + "_cover";

  @Test
  void theBucketReadReachesOnlyItsStepRangesAndAnswersAsAScan() throws Exception {
    withService(client -> {
      steps(client).insertMany(docs());
      assertSameAnswers(client);
    });
    // every document of run-a and run-b outside the buckets read goes, with its record: a walk of the whole
    // runs would meet their index entries and fail, a read of the step ranges does not reach them
    withFile(file -> {
      MVMap<Object, de.bwaldvogel.mongo.bson.Document> data = file.openMap("databases." + DB + ".experiments",
          new MVMap.Builder<Object, de.bwaldvogel.mongo.bson.Document>().keyType(new StoreKeyType()));
      MVMap<String, byte[]> cover = file.openMap(COVER_MAP);
      List<Object> outside = data.entrySet().stream().filter(e -> !"run-c".equals(e.getValue().get("run"))
          && e.getValue().get("step") instanceof Long s && (s < 100 || s > 299)).map(Map.Entry::getKey).toList();
      assertThat(outside).hasSize(2 * 200);
      for (Object id : outside) {
        cover.remove(data.get(id).get("run") + "\u0000" + id);
        data.remove(id);
      }
    });
    withService(client -> assertThat(aggregateJson(steps(client), buckets()))
        .isEqualTo(aggregateJson(steps(plain), buckets())).hasSize(2));
  }

  @Test
  void aStoreWrittenBeforeTheStepIndexGetsItBuiltOnceAndAnswersTheSame() throws Exception {
    withService(client -> steps(client).insertMany(docs()));
    withFile(file -> {
      assertThat(file.hasMap(STEP_MAP)).isTrue();
      file.removeMap(STEP_MAP);
    });
    withService(this::assertSameAnswers);
    withFile(file -> assertThat(file.openMap(STEP_MAP).sizeAsLong())
        .as("every document of a run, and the mark of a complete index").isEqualTo(docs().size() + 1));
  }

  @Test
  void stepRangesAreTakenFromBoundsOrAndAndAndTheRunsABranchNames() {
    de.bwaldvogel.mongo.bson.Document filter = new de.bwaldvogel.mongo.bson.Document(Map.of(
        "metrics.loss", new de.bwaldvogel.mongo.bson.Document("$lt", 0.5),
        "$or", List.of(
            new de.bwaldvogel.mongo.bson.Document("step", new de.bwaldvogel.mongo.bson.Document("$gte", 100L)
                .append("$lte", 199L)).append("run", new de.bwaldvogel.mongo.bson.Document("$in", List.of("a"))),
            new de.bwaldvogel.mongo.bson.Document("step", new de.bwaldvogel.mongo.bson.Document("$gt", 199L)
                .append("$lt", 300)).append("run", "b"),
            new de.bwaldvogel.mongo.bson.Document("step", 7L).append("run", "a"))));
    assertThat(StepRanges.of(filter, "a")).hasValueSatisfying(r -> assertThat(r).containsExactly(new long[] {7, 7},
        new long[] {100, 199}));
    assertThat(StepRanges.of(filter, "b")).hasValueSatisfying(r -> assertThat(r).containsExactly(new long[] {200, 299}));
    assertThat(StepRanges.of(filter, "c")).hasValueSatisfying(r -> assertThat(r).isEmpty());
    assertThat(StepRanges.of(new de.bwaldvogel.mongo.bson.Document("step",
        new de.bwaldvogel.mongo.bson.Document("$lte", 2.5)), "a")).as("a bound that is not an integer").isEmpty();
    assertThat(StepRanges.of(new de.bwaldvogel.mongo.bson.Document("run", "a"), "a")).as("no bound").isEmpty();
  }

  private void assertSameAnswers(MongoClient client) {
    List<List<Document>> pipelines = List.of(buckets(),
        // the full question for the runs the rollups do not cover: every step up to the limit
        first("{'metrics.loss': {$lt: 0.5, $gte: -1.7976931348623157E308}, step: {$lte: 250}, run: {$in: ['run-a',"
            + " 'run-b', 'run-c']}}"),
        first("{run: {$in: ['run-a', 'run-c']}, step: {$gte: 140, $lt: 160}}"));
    for (int i = 0; i < pipelines.size(); i++) {
      assertThat(aggregateJson(steps(client), pipelines.get(i))).as("pipeline %d", i)
          .isEqualTo(aggregateJson(steps(plain), pipelines.get(i))).isNotEmpty();
    }
  }

  /** The query module's bucket read: run-a's bucket 1 and run-b's bucket 2, grouped as ReachedQuery groups them. */
  private static List<Document> buckets() {
    return first("{'metrics.loss': {$lt: 0.5, $gte: -1.7976931348623157E308}, $or: [{step: {$gte: 100, $lte: 199},"
        + " run: {$in: ['run-a']}}, {step: {$gte: 200, $lte: 299}, run: {$in: ['run-b']}}],"
        + " run: {$in: ['run-a', 'run-b']}}");
  }

  private static List<Document> first(String match) {
    return firstPerRun(Document.parse(match));
  }

  /**
   * Three runs of 400 steps whose loss falls below 0.5 at step 150 (run-a), 250 (run-b) and 140 (run-c); run-a's
   * step 150 is a double, one of run-b's steps is missing and one an array.
   */
  @Override
  List<Document> docs() {
    List<Document> docs = new ArrayList<>();
    for (String run : List.of("run-a", "run-b", "run-c")) {
      long crossing = run.equals("run-a") ? 150 : run.equals("run-b") ? 250 : 140;
      for (long s = 0; s < 400; s++) {
        Document d = new Document("_id", run + "/" + s).append("run", run).append("rank", 0)
            .append("timestamp", new Date(1_764_000_000_000L + s))
            .append("metrics", new Document("loss", s >= crossing ? 0.4 - s * 1e-4 : 1.0));
        Object step = run.equals("run-a") && s == crossing ? (Object) (double) s
            : run.equals("run-b") && s == 260 ? List.of(260L, 261L) : (Object) s;
        if (!(run.equals("run-b") && s == 270)) {
          d.append("step", step);
        }
        docs.add(d);
      }
    }
    return docs;
  }
}
