package dev.trainlog.mongodb.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The query module's chart of one metric reads the series rollups of one run ({@code run, rank, _id.p} with a
 * projection of the bucket fields): the service answers it, and the reached-within rollup aggregates, from the
 * run index's records, exactly as a scan of the library's own server does, reaching only that metric's documents
 * through the path index; a store whose records were written before they held the rollups' fields, and before
 * the path index, still answers the same: its records are brought up to date on read, the index built once.
 */
class RollupRecordsTest extends ReferenceServerTest {

  private static final String DB = "ai_training_logs";
  private static final String SERIES = "experiments_series";
  private static final String COVER_MAP = DB + "." + SERIES + "._" + RunFieldIndex.NAME + "_cover";
  private static final String STEP_COVER_MAP = DB + ".experiments._" + RunFieldIndex.NAME + "_cover";
  private static final String DATA_MAP = "databases." + DB + "." + SERIES;
  private static final String PATH_MAP = DB + "." + SERIES + "._" + RunFieldIndex.NAME + "_path";
  private static final List<String> METRICS = List.of("metrics.loss", "metrics.lr", "metrics.acc");

  /** The chart's read as {@code SeriesRollupRead} sends it. */
  private static final Function<MongoCollection<Document>, List<String>> CHART = s -> json(s.find(
      Document.parse("{run: 'run-a', rank: 0, '_id.p': 'metrics.loss'}")).projection(Document.parse(
      "{_id: 0, count: 1, first: 1, last: 1, min: 1, max: 1, nonfinite: 1, nonfinite_count: 1}")), true);

  @Test
  void theChartsRollupReadIsAnsweredFromTheRecordsOfThatMetricAlone() throws Exception {
    withService(client -> series(client).insertMany(rollups()));
    // legacy records are rewritten by the reads that look at them: what one chart read rewrites is what it read
    withFile(file -> toLegacy(file, COVER_MAP, DB + "." + SERIES));
    withService(this::assertSameChart);
    withFile(file -> {
      MVMap<String, byte[]> cover = file.openMap(COVER_MAP);
      assertThat(cover.entrySet().stream().filter(e -> CoverRecord.isCurrent(e.getValue())).map(Map.Entry::getKey))
          .as("run-a's loss rollups, not its other metrics'").hasSize(30)
          .allMatch(k -> k.startsWith("run-a\u0000") && k.contains("metrics.loss"));
      // run-a's documents go: only a read from the records still answers
      MVMap<Object, de.bwaldvogel.mongo.bson.Document> data = file.openMap(DATA_MAP,
          new MVMap.Builder<Object, de.bwaldvogel.mongo.bson.Document>().keyType(new StoreKeyType()));
      List<Object> runA = data.entrySet().stream().filter(e -> "run-a".equals(e.getValue().get("run")))
          .map(Map.Entry::getKey).toList();
      assertThat(runA).hasSize(METRICS.size() * 30);
      runA.forEach(data::remove);
    });
    withService(this::assertSameChart);
  }

  @Test
  void aReadOfOneMetricOfEveryRunReachesOnlyThatMetricUnlessADocumentHasNoRun() throws Exception {
    withService(client -> series(client).insertMany(rollups()));
    withFile(file -> toLegacy(file, COVER_MAP, DB + "." + SERIES));
    Function<MongoCollection<Document>, List<String>> counts = s -> json(s.aggregate(List.of(Document.parse(
        "{$match: {'_id.p': 'metrics.loss'}}"), Document.parse(
        "{$group: {_id: {run: '$run', rank: '$rank'}, n: {$sum: '$count'}}}"))), true);
    withService(client -> {
      assertThat(counts.apply(series(client))).hasSize(2).isEqualTo(counts.apply(series(plain)));
      Document orphan = new Document("_id", new Document("r", "x").append("k", 0).append("p", "metrics.loss")
          .append("b", 0L)).append("count", 5L);
      series(client).insertOne(orphan);
      series(plain).insertOne(orphan);
      assertThat(counts.apply(series(client))).as("a rollup without a run: the collection is read whole")
          .hasSize(3).isEqualTo(counts.apply(series(plain)));
    });
    withFile(file -> assertThat(current(file, COVER_MAP)).as("the loss rollups of both runs, read through the path"
        + " index").isEqualTo(60));
  }

  private void assertSameChart(MongoClient client) {
    assertThat(CHART.apply(series(client))).hasSize(30).isEqualTo(CHART.apply(series(plain)));
  }

  @Test
  void aStoreWhoseRecordsPredateTheRollupFieldsAnswersTheSameAndIsBroughtUpToDate() throws Exception {
    withService(client -> {
      series(client).insertMany(rollups());
      steps(client).insertMany(docs());
    });
    withFile(file -> {
      toLegacy(file, COVER_MAP, DB + "." + SERIES);
      toLegacy(file, STEP_COVER_MAP, DB + ".experiments");
      assertThat(current(file, COVER_MAP)).isZero();
      assertThat(file.hasMap(PATH_MAP)).isTrue();
      file.removeMap(PATH_MAP);
    });
    Function<MongoCollection<Document>, List<String>> stepRead = s -> json(s.find(Document.parse(
        "{run: 'run-a', rank: 0}")).projection(Document.parse("{_id: 0, step: 1, 'metrics.loss': 1}")), false);
    withService(client -> {
      assertSameAnswers(client);
      assertThat(stepRead.apply(steps(client))).isEqualTo(stepRead.apply(steps(plain))).isNotEmpty();
    });
    withFile(file -> {
      assertThat(current(file, COVER_MAP)).as("run-a's loss and lr rollups (read by path), all of run-b's"
          + " (a read without a path)").isEqualTo(2 * 30 + METRICS.size() * 30L);
      assertThat(current(file, STEP_COVER_MAP)).as("a legacy step record still answers a step read").isZero();
      assertThat(file.openMap(PATH_MAP).sizeAsLong()).as("every rollup, and the mark of a complete index")
          .isEqualTo(2L * METRICS.size() * 30 + 1);
    });
  }

  private void assertSameAnswers(MongoClient client) {
    assertSameChart(client);
    List<Function<MongoCollection<Document>, List<String>>> reads = List.of(
        s -> json(s.find(Document.parse("{run: 'run-a', rank: 0, '_id.p': 'metrics.lr'}"))
            .projection(Document.parse("{count: 1, first: 1, nonfinite: 1}")).sort(Document.parse("{'_id.b': -1}")),
            false),
        s -> json(s.find(Document.parse("{run: 'run-b', 'min.v': {$lt: 0.5}}")).projection(Document.parse(
            "{_id: 1, min: 1, run: 1}")), true),
        // the reached-within rollup reads (ReachedRollups): the buckets crossing, and the rolled-up counts
        s -> json(s.aggregate(List.of(Document.parse("{$match: {'_id.p': 'metrics.loss', run: {$in: ['run-a',"
            + " 'run-b']}, '_id.b': {$lte: 20}, 'min.v': {$lt: 0.2}}}"), Document.parse(
            "{$group: {_id: '$run', b: {$min: '$_id.b'}}}"))), true),
        s -> json(s.aggregate(List.of(Document.parse("{$match: {'_id.p': 'metrics.loss', run: {$in: ['run-a',"
            + " 'run-b']}}}"), Document.parse("{$group: {_id: {run: '$run', rank: '$rank'}, n: {$sum: '$count'}}}"))),
            true),
        // the same of every run (more runs than ReachedRollups names)
        s -> json(s.aggregate(List.of(Document.parse("{$match: {'_id.p': 'metrics.lr', '_id.b': {$lte: 20},"
            + " 'min.v': {$lt: 0.2}}}"), Document.parse("{$group: {_id: '$run', b: {$min: '$_id.b'}}}"))), true));
    for (int i = 0; i < reads.size(); i++) {
      assertThat(reads.get(i).apply(series(client))).as("read %d", i).isEqualTo(reads.get(i).apply(series(plain)))
          .isNotEmpty();
    }
  }

  private static MongoCollection<Document> series(MongoClient client) {
    return client.getDatabase(DB).getCollection(SERIES);
  }

  /** The answers as JSON, in the order given or, for a read without a sort (whose order a server may choose), sorted. */
  private static List<String> json(Iterable<Document> found, boolean anyOrder) {
    List<String> out = new ArrayList<>();
    found.forEach(d -> out.add(d.toJson()));
    if (anyOrder) {
      out.sort(Comparator.naturalOrder());
    }
    return out;
  }

  @Override
  List<Document> docs() {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      docs.add(new Document("_id", "run-a/" + i).append("run", "run-a").append("rank", 0).append("step", (long) i)
          .append("timestamp", java.util.Date.from(Instant.ofEpochMilli(1_764_000_000_000L + i)))
          .append("metrics", new Document("loss", 1.0 / (i + 1))));
    }
    return docs;
  }

  @BeforeEach
  @Override
  void startReference() {
    super.startReference();
    series(plain).insertMany(rollups());
  }

  /** Rollups as the backend writes them: 30 buckets of three metrics of two runs, some with non-finite points. */
  private static List<Document> rollups() {
    List<Document> docs = new ArrayList<>();
    for (String run : List.of("run-a", "run-b")) {
      for (String path : METRICS) {
        for (long b = 0; b < 30; b++) {
          long s = b * 100;
          double v = (run.equals("run-a") ? 1.0 : 2.0) / (b + 1) + path.length() * 1e-3;
          Document d = new Document("_id", new Document("r", run).append("k", 0).append("p", path).append("b", b))
              .append("run", run).append("rank", 0).append("count", b == 3 ? (Object) 100 : (Object) 100L)
              .append("first", point(s, v * 1.1)).append("last", point(s + 99, v * 0.9));
          List<Document> nonFinite = new ArrayList<>();
          if (b % 7 == 2) {
            nonFinite.add(point(s + 5, Double.NaN));
            nonFinite.add(point(s + 6, Double.NEGATIVE_INFINITY));
          }
          if (b != 11) {
            // bucket 11 held only non-finite points: no minimum nor maximum
            d.append("min", point(s + 40, v * 0.5)).append("max", point(s + 2, v * 2));
          }
          docs.add(d.append("nonfinite", nonFinite).append("nonfinite_count", (long) nonFinite.size()));
        }
      }
    }
    return docs;
  }

  private static Document point(long step, double value) {
    return new Document("s", step).append("t", 1_764_000_000_000L + step).append("v", value);
  }

  /** Replaces every record of {@code coverMap} by what the code before the rollup fields wrote for its document. */
  private static void toLegacy(MVStore file, String coverMap, String collection) {
    MVMap<Object, de.bwaldvogel.mongo.bson.Document> data = file.openMap("databases." + collection,
        new MVMap.Builder<Object, de.bwaldvogel.mongo.bson.Document>().keyType(new StoreKeyType()));
    MVMap<String, Object> index = file.openMap(collection + "._" + RunFieldIndex.NAME);
    MVMap<String, byte[]> cover = file.openMap(coverMap);
    assertThat(cover.sizeAsLong()).isPositive();
    for (String key : List.copyOf(cover.keySet())) {
      cover.put(key, legacy(data.get(index.get(key))));
    }
    file.commit();
  }

  /** The legacy record format: named fields of {@link CoverRecord#LEGACY_FIELDS}, scalars and a metrics map of them. */
  private static byte[] legacy(de.bwaldvogel.mongo.bson.Document document) {
    ByteBuffer out = ByteBuffer.allocate(4096);
    for (Map.Entry<String, Object> e : document.entrySet()) {
      if (!CoverRecord.LEGACY_FIELDS.contains(e.getKey())) {
        continue;
      }
      name(out, e.getKey());
      if (e.getValue() instanceof de.bwaldvogel.mongo.bson.Document metrics) {
        out.put((byte) 'M').putInt(metrics.size());
        metrics.forEach((k, v) -> scalar(name(out, k), v));
      } else {
        scalar(out, e.getValue());
      }
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  private static ByteBuffer name(ByteBuffer out, String name) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    return out.putInt(b.length).put(b);
  }

  private static void scalar(ByteBuffer out, Object v) {
    if (v instanceof Double d) {
      out.put((byte) 'D').putDouble(d);
    } else if (v instanceof Integer i) {
      out.put((byte) 'I').putInt(i);
    } else if (v instanceof Long l) {
      out.put((byte) 'L').putLong(l);
    } else if (v instanceof Instant t) {
      out.put((byte) 'T').putLong(t.toEpochMilli());
    } else {
      name(out.put((byte) 'S'), (String) v);
    }
  }

  private static long current(MVStore file, String coverMap) {
    MVMap<String, byte[]> cover = file.openMap(coverMap);
    return cover.values().stream().filter(r -> r.length > 0 && CoverRecord.isCurrent(r)).count();
  }
}
