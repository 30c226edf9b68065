package dev.trainlog.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.query.internal.ReachedQuery;
import dev.trainlog.query.internal.ReachedRollups;
import dev.trainlog.query.internal.ReachedSearch;
import dev.trainlog.query.spec.Reached;
import dev.trainlog.query.spec.RunFilter;
import dev.trainlog.testkit.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reached-within through the series rollups (first crossing bucket, then that bucket's steps) gives the
 * answers of the aggregation over every step: runs with rollups, runs without (a store written before
 * them), a run whose rollups are short or lie, a step limit inside a bucket, non-finite values and ranks.
 */
class ReachedFromRollupsTest extends RealServerTest {

  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final long WITHIN = 250;
  static final String PATH = "metrics.loss";

  private MongoClient client;
  private MongoCollection<Document> steps;
  private MongoCollection<Document> rollups;
  private MongoCollection<Document> runs;

  @BeforeEach
  void connect() {
    client = MongoClients.create(uri);
    MongoDatabase db = client.getDatabase(StoreSchema.DEFAULT_DATABASE);
    steps = db.getCollection(StoreSchema.DEFAULT_STEPS);
    rollups = db.getCollection(StoreSchema.seriesCollection(StoreSchema.DEFAULT_STEPS));
    runs = db.getCollection(StoreSchema.DEFAULT_RUNS);
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  private void logRun(String id, int rank, int offsetSeconds, LongFunction<Double> loss) {
    RunInfo run = StoreLog.run("sd", id, Map.of("model", "SDXL"), NOW.plusSeconds(offsetSeconds)).toBuilder()
        .rank(rank).worldSize(rank + 1).build();
    LogDispatcher d = log.dispatcher(run, new MutableClock(NOW.plusSeconds(offsetSeconds)));
    for (long s = 0; s <= 400; s++) {
      d.step(s).scalar("loss", loss.apply(s)).log();
    }
    d.close(RunStatus.FINISHED);
  }

  private static LongFunction<Double> crossingAt(long crossing) {
    return s -> s >= crossing ? 0.04 - s * 1e-6 : 1.0 - 0.9 * s / crossing;
  }

  private void logMixedStore() {
    logRun("early", 0, 0, crossingAt(42)); // bucket 0
    logRun("mid-bucket", 0, 1, crossingAt(230)); // in the limit's bucket, before the limit
    logRun("at-limit", 0, 2, crossingAt(WITHIN));
    logRun("past-limit", 0, 3, crossingAt(260)); // in the limit's bucket, after it
    // non-finite values in early buckets are never "below": NaN, and -Infinity below every number
    logRun("non-finite", 0, 4, s -> s == 7 ? Double.NaN : s == 120 ? Double.NEGATIVE_INFINITY : crossingAt(199).apply(s));
    logRun("never", 0, 5, s -> 1.0);
    logRun("ranks", 0, 6, crossingAt(180));
    logRun("ranks", 1, 6, crossingAt(150)); // the other rank gets there first
    logRun("no-rollups", 0, 7, crossingAt(120));
    logRun("short-rollups", 0, 8, crossingAt(90));
    logRun("lying-rollups", 0, 9, crossingAt(170));
    rollups.deleteMany(new Document(StoreSchema.RUN, "no-rollups"));
    rollups.deleteOne(new Document(StoreSchema.RUN, "short-rollups").append("_id." + StoreSchema.SERIES_ID_BUCKET, 3L));
    // a bucket that claims a crossing its steps do not have (counts still agree)
    rollups.updateOne(new Document(StoreSchema.RUN, "lying-rollups").append("_id." + StoreSchema.SERIES_ID_BUCKET, 0L),
        new Document("$set", new Document(StoreSchema.SERIES_MIN + "." + StoreSchema.POINT_VALUE, 0.0)));
  }

  private List<String> allRuns() {
    return store.runs(RunFilter.ALL).stream().map(r -> r.run()).toList();
  }

  @Test
  void theRollupsNameEachCoveredRunsFirstCrossingBucketAndLeaveOutRunsTheyDoNotCover() {
    logMixedStore();

    Map<String, Long> buckets = ReachedRollups.firstBuckets(rollups, runs, allRuns(), PATH, 0.05, WITHIN);

    assertThat(buckets).containsExactlyInAnyOrderEntriesOf(Map.of("early", 0L, "mid-bucket", 2L, "at-limit", 2L,
        "past-limit", 2L, "non-finite", 1L, "never", ReachedRollups.NEVER, "ranks", 1L, "lying-rollups", 0L));
  }

  @Test
  void answersFromTheRollupsEqualTheAggregationOverEveryStep() {
    logMixedStore();

    Map<String, ReachedQuery.First> everyStep = ReachedQuery.run(steps, allRuns(), PATH, 0.05, WITHIN);
    Map<String, ReachedQuery.First> viaRollups = ReachedSearch.run(steps, rollups, runs, allRuns(), PATH, 0.05, WITHIN);

    assertThat(viaRollups).isEqualTo(everyStep);
    assertThat(everyStep).containsOnlyKeys("early", "mid-bucket", "at-limit", "non-finite", "ranks", "no-rollups",
        "short-rollups", "lying-rollups");
  }

  @Test
  void theStoreAnswersTheSeedsQuestionWithFirstStepTimeAndValueForMixedRuns() {
    logMixedStore();

    List<Reached> reached = store.reachedWithin("loss", 0.05, WITHIN, RunFilter.ALL);

    assertThat(reached).extracting(r -> r.run().run(), Reached::step, Reached::value).containsExactly(
        tuple("early", 42L, 0.04 - 42e-6), tuple("mid-bucket", 230L, 0.04 - 230e-6),
        tuple("at-limit", WITHIN, 0.04 - WITHIN * 1e-6), tuple("non-finite", 199L, 0.04 - 199e-6),
        tuple("ranks", 150L, 0.04 - 150e-6), tuple("no-rollups", 120L, 0.04 - 120e-6),
        tuple("short-rollups", 90L, 0.04 - 90e-6), tuple("lying-rollups", 170L, 0.04 - 170e-6));
    assertThat(reached.get(0).time()).isEqualTo(NOW);
  }

  @Test
  void aLongListOfRunsReadsTheRollupsOfEveryRunAndKeepsOnlyTheAskedOnes() {
    logMixedStore();
    List<String> asked = new java.util.ArrayList<>(allRuns());
    asked.removeAll(List.of("early", "ranks"));
    for (int i = 0; i < 100; i++) {
      asked.add("absent-" + i); // past the named-runs limit: no run filter on the rollups
    }

    Map<String, Long> buckets = ReachedRollups.firstBuckets(rollups, runs, asked, PATH, 0.05, WITHIN);

    assertThat(buckets).containsExactlyInAnyOrderEntriesOf(Map.of("mid-bucket", 2L, "at-limit", 2L,
        "past-limit", 2L, "non-finite", 1L, "never", ReachedRollups.NEVER, "lying-rollups", 0L));
    assertThat(ReachedSearch.run(steps, rollups, runs, asked, PATH, 0.05, WITHIN))
        .isEqualTo(ReachedQuery.run(steps, asked, PATH, 0.05, WITHIN));
  }

  @Test
  void crossingsInManyBucketsAreReadInGroupsOfBucketsWithTheSameAnswers() {
    long[] crossings = {30, 130, 230, 330, 400, 180, 35}; // five buckets: two groups
    for (int i = 0; i < crossings.length; i++) {
      logRun("run-" + i, 0, i, crossingAt(crossings[i]));
    }

    Map<String, ReachedQuery.First> viaRollups = ReachedSearch.run(steps, rollups, runs, allRuns(), PATH, 0.05, 1000);

    assertThat(viaRollups).isEqualTo(ReachedQuery.run(steps, allRuns(), PATH, 0.05, 1000));
    assertThat(viaRollups.values()).extracting(ReachedQuery.First::step).containsExactlyInAnyOrder(30L, 130L, 230L,
        330L, 400L, 180L, 35L);
  }

  @Test
  void aLimitBelowEveryCrossingFindsNoRunEitherWay() {
    logRun("late", 0, 0, crossingAt(300));
    logRun("no-rollups", 0, 1, crossingAt(310));
    rollups.deleteMany(new Document(StoreSchema.RUN, "no-rollups"));

    assertThat(ReachedSearch.run(steps, rollups, runs, allRuns(), PATH, 0.05, 299)).isEmpty();
    assertThat(ReachedSearch.run(steps, rollups, runs, allRuns(), PATH, 0.05, 305)).containsOnlyKeys("late");
  }
}
