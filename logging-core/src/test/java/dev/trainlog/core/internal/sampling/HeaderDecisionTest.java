package dev.trainlog.core.internal.sampling;

import static dev.trainlog.core.internal.sampling.Fixtures.RUN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricValues;
import dev.trainlog.core.internal.journal.HeaderCheck;
import dev.trainlog.core.internal.pipeline.Gate;
import dev.trainlog.core.spec.NonFinite;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sampler asked about a record's header first decides exactly what it decides when offered the record. */
class HeaderDecisionTest {

  /** 1,000 steps, NaN every 13th, forced every 97th, a second key every 5th, 700 ms apart. */
  private static List<LogRecord> mixed() {
    List<LogRecord> out = new ArrayList<>();
    for (long s = 0; s < 1000; s++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("loss", s % 13 == 0 ? Double.NaN : 1.0 / (s + 1));
      if (s % 5 == 0) {
        m.put("eval/acc", s / 1000.0);
      }
      out.add(new LogRecord(RUN, s, s, TestRecords.START_MILLIS + s * 700, m, s % 97 == 0));
    }
    return out;
  }

  private static int flags(LogRecord r) {
    return MetricValues.hasNonFinite(r.metrics()) ? Gate.NON_FINITE : 0;
  }

  /** What a reader that asks the header first gets: offered only when the header check says LOOK. */
  private static List<Object> viaHeader(RecordSampler sampler, List<LogRecord> in, int[] decided) {
    List<Object> out = new ArrayList<>();
    for (LogRecord r : in) {
      int d = sampler.decide(r.step(), r.timestampMillis(), flags(r), r.forced());
      LogRecord kept = d == HeaderCheck.SKIP ? null : d == HeaderCheck.KEEP ? r : sampler.offer(r, flags(r));
      if (d != HeaderCheck.LOOK) {
        decided[0]++;
      }
      out.add(kept == null ? "skipped" : kept.step() + " " + kept.metrics());
    }
    return out;
  }

  private static List<Object> offered(RecordSampler sampler, List<LogRecord> in) {
    List<Object> out = new ArrayList<>();
    for (LogRecord r : in) {
      LogRecord kept = sampler.offer(r, flags(r));
      out.add(kept == null ? "skipped" : kept.step() + " " + kept.metrics());
    }
    return out;
  }

  @Test
  void plainRulesDecideEveryRecordFromItsHeaderAlikeOffer() {
    List<LogRecord> in = mixed();
    for (SampleSpec spec : List.of(SampleSpec.every(10), SampleSpec.every(7).first(3),
        SampleSpec.everyTime(Duration.ofSeconds(5)), SampleSpec.logSpaced(),
        SampleSpec.every(10).nonFinite(NonFinite.SAMPLE), SampleSpec.always())) {
      int[] decided = {0};
      assertThat(viaHeader(RecordSampler.of(spec), in, decided)).as(spec.toString())
          .isEqualTo(offered(RecordSampler.of(spec), in));
      assertThat(decided[0]).as("decided from headers, " + spec).isEqualTo(in.size());
    }
  }

  @Test
  void reducedRoutedAndFilteredRulesLookAtTheRecord() {
    List<LogRecord> in = mixed();
    for (SampleSpec spec : List.of(SampleSpec.every(10).reduce(Reduce.MEAN),
        SampleSpec.every(10).override("eval/*", SampleSpec.every(50)), SampleSpec.every(10).keys(List.of(), List.of("eval/*")))) {
      int[] decided = {0};
      assertThat(viaHeader(RecordSampler.of(spec), in, decided)).as(spec.toString())
          .isEqualTo(offered(RecordSampler.of(spec), in));
      assertThat(decided[0]).as("nothing decided from headers, " + spec).isZero();
    }
  }

  @Test
  void aRecordWithFilesIsLookedAt() {
    RecordSampler sampler = RecordSampler.of(SampleSpec.every(10));
    assertThat(sampler.decide(3, TestRecords.START_MILLIS, Gate.HAS_FILES, false)).isEqualTo(HeaderCheck.LOOK);
  }
}
