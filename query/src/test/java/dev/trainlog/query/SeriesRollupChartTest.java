package dev.trainlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.query.internal.SeriesRollupRead;
import dev.trainlog.query.spec.MetricSeries;
import dev.trainlog.query.spec.RunRecord;
import dev.trainlog.testkit.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A long series charted from the backend's rollups, and from every step when the rollups cannot be trusted. */
class SeriesRollupChartTest extends RealServerTest {

  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final int STEPS = 20_000;
  static final int POINTS = 200;

  private MongoClient client;
  private MongoCollection<Document> rollups;
  private RunRecord run;

  @BeforeEach
  void logLongRun() {
    client = MongoClients.create(uri);
    rollups = client.getDatabase(StoreSchema.DEFAULT_DATABASE)
        .getCollection(StoreSchema.seriesCollection(StoreSchema.DEFAULT_STEPS));
    LogDispatcher d = log.dispatcher(StoreLog.run("sd", "long", Map.of(), NOW), new MutableClock(NOW));
    for (long s = 0; s < STEPS; s++) {
      d.step(s).scalar("loss", value(s)).log();
    }
    d.close(RunStatus.FINISHED);
    run = store.run("long").orElseThrow();
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  /** A noisy falling curve with its global extremes and non-finite points at known steps. */
  private static double value(long s) {
    if (s == 777) {
      return 50.0;
    }
    if (s == 12_345) {
      return -5.0;
    }
    if (s == 4321) {
      return Double.NaN;
    }
    if (s == 15_007) {
      return Double.POSITIVE_INFINITY;
    }
    if (s == 19_990) {
      return Double.NEGATIVE_INFINITY;
    }
    return 1.0 / (s + 1) + 0.01 * Math.sin(s / 50.0);
  }

  private static void assertShape(MetricSeries chart) {
    assertThat(chart.size()).isLessThanOrEqualTo(POINTS);
    assertThat(chart.storedPoints()).isEqualTo(STEPS);
    assertThat(chart.steps()[0]).isZero();
    assertThat(chart.lastStep()).isEqualTo(STEPS - 1);
    List<Long> nonFinite = new ArrayList<>();
    for (int i = 0; i < chart.size(); i++) {
      assertThat(Double.valueOf(chart.values()[i])).isEqualTo(Double.valueOf(value(chart.steps()[i])));
      if (!Double.isFinite(chart.values()[i])) {
        nonFinite.add(chart.steps()[i]);
      }
    }
    assertThat(nonFinite).containsExactly(4321L, 15_007L, 19_990L);
    assertThat(chart.steps()).contains(777L, 12_345L);
  }

  @Test
  void aLongSeriesIsChartedFromTheRollupsWithFirstLastGlobalExtremesAndEveryNonFinitePoint() {
    assertThat(SeriesRollupRead.chart(rollups, run, "loss", POINTS)).isPresent();
    assertThat(rollups.countDocuments()).isEqualTo(STEPS / StoreSchema.SERIES_BUCKET_STEPS);

    MetricSeries chart = store.series(run, "loss", POINTS);

    assertShape(chart);
    assertThat(chart.size()).isGreaterThan(POINTS / 2);
  }

  @Test
  void aStoreWrittenBeforeRollupsIsChartedFromEveryStep() {
    rollups.drop();
    assertThat(SeriesRollupRead.chart(rollups, run, "loss", POINTS)).isEmpty();

    MetricSeries chart = store.series(run, "loss", POINTS);

    assertShape(chart);
    assertThat(chart.size()).isEqualTo(POINTS);
  }

  @Test
  void rollupsMissingABucketAreNotTrustedAndTheStepsAreRead() {
    rollups.deleteOne(new Document("_id." + StoreSchema.SERIES_ID_BUCKET, 7L));
    assertThat(SeriesRollupRead.chart(rollups, run, "loss", POINTS)).isEmpty();

    assertShape(store.series(run, "loss", POINTS));
  }

  @Test
  void aSeriesWithFewerPointsThanAskedIsReadWholeAndAFewBucketsAreNoChart() {
    assertThat(SeriesRollupRead.chart(rollups, run, "loss", 10_000)).isEmpty(); // 200 buckets, 10,000 points asked
    assertThat(SeriesRollupRead.chart(rollups, run, "loss", STEPS)).isEmpty();

    MetricSeries whole = store.series(run, "loss", STEPS);
    assertThat(whole.size()).isEqualTo(STEPS);
    assertThat(whole.downsampled()).isFalse();
  }
}
