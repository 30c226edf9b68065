package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.MetricValues;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One backend's reading of one journal: what travels with each record, and where its cursor may move. */
class JournalTailerTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "run");
  private Journal journal;

  @BeforeEach
  void open() throws IOException {
    journal = Journal.tryOpen(dir.resolve("j"), 1 << 16, Long.MAX_VALUE);
  }

  @AfterEach
  void close() throws IOException {
    journal.close();
  }

  private void append(long step, double loss) throws IOException {
    journal.append(run, step, -1, 1000 + step, false, MetricMap.builder(1).put("loss", loss).build());
  }

  @Test
  void theFlagsOfARecordsHeaderComeWithItAndItsMetricsDecodeWhenAsked() throws IOException {
    append(0, Double.NaN);
    append(1, 0.5);
    Cursor cursor = journal.cursor("tb", journal.start());
    journal.subscribe(cursor, false);
    JournalTailer tailer = JournalTailer.at(journal, cursor, true);

    LogRecord first = tailer.next();
    assertThat(tailer.flags()).isEqualTo(JournalTailer.NON_FINITE);
    LogRecord second = tailer.next();
    assertThat(tailer.flags()).isZero();
    assertThat(tailer.next()).isNull();

    assertThat(JournalTailer.decoded(second).metrics()).isInstanceOf(MetricMap.class).containsEntry("loss", 0.5);
    assertThat((Double) JournalTailer.decoded(first).metrics().get("loss")).isNaN();
    assertThat(tailer.behindAtStart()).isEqualTo(2);
    tailer.close();
  }

  @Test
  void theHeadersNonFiniteFlagFollowsTheRecordModelsRuleForEveryShape() throws IOException {
    double nan = Double.NaN;
    List<Object> values = List.of(1.0, nan, Double.POSITIVE_INFINITY, new double[] {1, 2}, new double[] {1, nan},
        Float.NaN, List.of(nan, 1.0), Map.of("inner", nan), Map.of("inner", Map.of("deeper", new double[] {nan})),
        Map.of("inner", 2.0), "NaN", 7L);
    for (int i = 0; i < values.size(); i++) {
      MetricMap m = MetricMap.builder(2).put("lr", 1e-4).put("v", values.get(i)).build();
      journal.append(run, i, -1, 1000 + i, false, m);
    }
    Cursor cursor = journal.cursor("tb", journal.start());
    journal.subscribe(cursor, false);
    JournalTailer tailer = JournalTailer.at(journal, cursor, true);
    for (Object v : values) {
      assertThat(tailer.next()).isNotNull();
      boolean expected = MetricValues.hasNonFinite(MetricMap.builder(2).put("lr", 1e-4).put("v", v).build());
      assertThat(tailer.flags() & JournalTailer.NON_FINITE).as("%s", v).isEqualTo(expected ? JournalTailer.NON_FINITE : 0);
    }
    tailer.close();
  }

  @Test
  void theCursorMovesOnlyToWhereEverythingReadIsMarkedSafe() throws IOException {
    append(0, 1.0);
    append(1, 0.5);
    Cursor cursor = journal.cursor("tb", journal.start());
    journal.subscribe(cursor, false);
    long start = cursor.position();
    JournalTailer tailer = JournalTailer.at(journal, cursor, true);

    tailer.next();
    tailer.persist();
    assertThat(cursor.position()).as("nothing marked safe yet").isEqualTo(start);

    tailer.markSafe();
    long safe = tailer.position();
    tailer.next();
    tailer.persist();
    assertThat(cursor.position()).isEqualTo(safe).isGreaterThan(start);
    assertThat(tailer.bytesBehind()).isZero();
    tailer.close();
  }
}
