package dev.trainlog.core.internal.sampling;

import static dev.trainlog.core.internal.sampling.Fixtures.forced;
import static dev.trainlog.core.internal.sampling.Fixtures.metrics;
import static dev.trainlog.core.internal.sampling.Fixtures.offerAll;
import static dev.trainlog.core.internal.sampling.Fixtures.rec;
import static dev.trainlog.core.internal.sampling.Fixtures.steps;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.core.spec.NonFinite;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSamplerTest {

  /** Steps 1..20 with a loss; 7 forced, 13 NaN, 15 +Inf, 17 a vector with -Inf, 19 a nested NaN. */
  private static List<LogRecord> stepsWithSurprises() {
    List<LogRecord> in = new ArrayList<>();
    for (long s = 1; s <= 20; s++) {
      if (s == 7) {
        in.add(forced(s, "loss", 0.5));
      } else if (s == 13) {
        in.add(rec(s, "loss", Double.NaN));
      } else if (s == 15) {
        in.add(rec(s, "loss", Double.POSITIVE_INFINITY));
      } else if (s == 17) {
        in.add(rec(s, "loss", 0.5, "grads", new double[] {1, Double.NEGATIVE_INFINITY}));
      } else if (s == 19) {
        in.add(rec(s, "loss", 0.5, "eval", metrics("acc", Double.NaN)));
      } else {
        in.add(rec(s, "loss", 0.5));
      }
    }
    return in;
  }

  @Test
  void forcedAndNonFiniteRecordsPassEverySamplerWhole() {
    List<LogRecord> in = stepsWithSurprises();
    List<LogRecord> out = offerAll(RecordSampler.of(SampleSpec.every(1000)), in);
    assertThat(steps(out)).containsExactly(7L, 13L, 15L, 17L, 19L);
    assertThat(out).containsExactly(in.get(6), in.get(12), in.get(14), in.get(16), in.get(18));
  }

  @Test
  void nonFiniteSampleLetsTheRuleDecideNonFiniteRecordsButForcedOnesStillPass() {
    RecordSampler s = RecordSampler.of(SampleSpec.every(1000).nonFinite(NonFinite.SAMPLE));
    assertThat(steps(offerAll(s, stepsWithSurprises()))).containsExactly(7L);
  }

  @Test
  void passThroughRecordsDoNotAdvanceTheSampler() {
    // every-time keeps step 1; the forced and NaN records in between must not restart its interval.
    RecordSampler s = RecordSampler.of(SampleSpec.everyTime(java.time.Duration.ofSeconds(3)));
    List<LogRecord> in = List.of(rec(1, "loss", 1.0), forced(2, "loss", 2.0), rec(3, "loss", Double.NaN),
        rec(4, "loss", 4.0));
    assertThat(steps(offerAll(s, in))).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void overridesKeepEvalKeysEveryStepWhileLossFollowsEveryHundred() {
    RecordSampler s = RecordSampler.of(SampleSpec.every(100).override("eval/*", SampleSpec.always()));
    List<LogRecord> in = new ArrayList<>();
    for (long step = 1; step <= 200; step++) {
      in.add(rec(step, "loss", (double) step, "eval/acc", step / 1000.0));
    }
    List<LogRecord> out = offerAll(s, in);
    assertThat(out).hasSize(200);
    for (LogRecord r : out) {
      if (r.step() % 100 == 0) {
        assertThat(r).isSameAs(in.get((int) r.step() - 1));
      } else {
        assertThat(r.metrics()).isEqualTo(metrics("eval/acc", r.step() / 1000.0));
        assertThat(r.step()).isEqualTo(r.sequence());
      }
    }
  }

  @Test
  void mergedRecordsKeepTheLoggedKeyOrder() {
    RecordSampler s = RecordSampler.of(SampleSpec.every(2).override("eval/*", SampleSpec.always()));
    LogRecord out = s.offer(rec(1, "eval/b", 1.0, "loss", 2.0, "eval/a", 3.0, "lr", 4.0));
    assertThat(new ArrayList<>(out.metrics().keySet())).containsExactly("eval/b", "eval/a");
  }

  @Test
  void anOverrideHasItsOwnStateAndTheFirstMatchingOverrideWins() {
    RecordSampler s = RecordSampler.of(SampleSpec.every(10)
        .override("grad/norm", SampleSpec.every(3))
        .override("grad/*", SampleSpec.every(1000)));
    List<String> kept = new ArrayList<>();
    for (long step = 1; step <= 1000; step++) {
      LogRecord r = s.offer(rec(step, "loss", 1.0, "grad/norm", 2.0, "grad/max", 3.0));
      if (r != null && r.metrics().containsKey("grad/max")) {
        kept.add(step + ":" + r.metrics().keySet());
      }
    }
    assertThat(kept).containsExactly("1000:[loss, grad/max]");
    assertThat(s.offer(rec(3, "grad/norm", 2.0)).metrics()).containsOnlyKeys("grad/norm");
  }

  @Test
  void anOverrideInheritsTheParentsReduceUnlessItSetsItsOwn() {
    RecordSampler s = RecordSampler.of(SampleSpec.every(4).reduce(Reduce.MEAN)
        .override("grad/*", SampleSpec.every(2))
        .override("lr", SampleSpec.every(2).reduce(Reduce.NONE)));
    List<LogRecord> out = new ArrayList<>();
    for (long step = 1; step <= 4; step++) {
      LogRecord r = s.offer(rec(step, "loss", (double) step, "grad/norm", 10.0 * step, "lr", 0.5 * step));
      if (r != null) {
        out.add(r);
      }
    }
    assertThat(steps(out)).containsExactly(2L, 4L);
    assertThat(out.get(0).metrics()).isEqualTo(metrics("grad/norm", 15.0, "lr", 1.0));
    assertThat(out.get(1).metrics()).isEqualTo(metrics("loss", 2.5, "grad/norm", 35.0, "lr", 2.0));
  }

  @Test
  void anOverrideIsAskedOnlyAboutRecordsHoldingItsKeys() {
    List<Long> asked = new ArrayList<>();
    RecordSampler s = RecordSampler.of(SampleSpec.always()
        .override("eval/*", SampleSpec.custom((step, t) -> asked.add(step))));
    s.offer(rec(1, "loss", 1.0));
    s.offer(rec(2, "loss", 1.0, "eval/acc", 0.5));
    s.offer(rec(3, "loss", 1.0));
    assertThat(asked).containsExactly(2L);
  }

  @Test
  void includeAndExcludeDropKeysBeforeSampling() {
    RecordSampler s = RecordSampler.of(SampleSpec.always().keys(List.of("loss", "eval/*"), List.of("eval/debug*")));
    LogRecord out = s.offer(rec(1, "lr", 0.1, "loss", 1.0, "eval/debug/x", 2.0, "eval/acc", 3.0));
    assertThat(out.metrics()).isEqualTo(metrics("loss", 1.0, "eval/acc", 3.0));
    assertThat(new ArrayList<>(out.metrics().keySet())).containsExactly("loss", "eval/acc");
  }

  @Test
  void aRecordWithNoKeyLeftIsSkippedWithoutAskingTheSampler() {
    List<Long> asked = new ArrayList<>();
    RecordSampler s = RecordSampler.of(SampleSpec.custom((step, t) -> asked.add(step)).keys(List.of(),
        List.of("debug/*")));
    assertThat(s.offer(rec(1, "debug/x", 1.0))).isNull();
    assertThat(s.offer(forced(2, "debug/x", Double.NaN))).isNull();
    assertThat(s.offer(rec(3, "loss", 1.0))).isNotNull();
    assertThat(asked).containsExactly(3L);
  }

  @Test
  void forcedRecordsAreStillFilteredByKey() {
    RecordSampler s = RecordSampler.of(SampleSpec.every(1000).keys(List.of("loss"), List.of()));
    LogRecord out = s.offer(forced(7, "loss", 1.0, "lr", 0.1));
    assertThat(out.metrics()).isEqualTo(metrics("loss", 1.0));
    assertThat(out.forced()).isTrue();
    assertThat(out.step()).isEqualTo(7);
  }

  @Test
  void aNonFiniteValueInAnExcludedKeyDoesNotForceTheRecord() {
    RecordSampler s = RecordSampler.of(SampleSpec.every(1000).keys(List.of(), List.of("debug")));
    assertThat(s.offer(rec(7, "loss", 1.0, "debug", Double.NaN))).isNull();
    assertThat(s.offer(rec(8, "loss", Double.NaN, "debug", 1.0)).metrics()).isEqualTo(metrics("loss", Double.NaN));
  }

  @Test
  void aRecordWithoutMetricsIsSkipped() {
    assertThat(RecordSampler.of(SampleSpec.always()).offer(rec(1))).isNull();
  }

  @Test
  void keysBeyondTheRoutingCacheAreStillRoutedByTheirGlobs() {
    RecordSampler s = RecordSampler.of(SampleSpec.every(1000).override("eval/*", SampleSpec.always()));
    for (int i = 0; i < KeyRoutes.MAX_CACHED_KEYS + 10; i++) {
      s.offer(rec(1, "k" + i, 1.0));
    }
    assertThat(s.offer(rec(1, "eval/late", 1.0, "loss", 2.0)).metrics()).isEqualTo(metrics("eval/late", 1.0));
  }

  @Test
  void theRoutingCacheSizeIsPinned() {
    assertThat(KeyRoutes.MAX_CACHED_KEYS).isEqualTo(4096);
  }

  @Test
  void eachNewSamplerHasItsOwnState() {
    SampleSpec spec = SampleSpec.everyTime(java.time.Duration.ofSeconds(10));
    RecordSampler a = RecordSampler.of(spec);
    RecordSampler b = RecordSampler.of(spec);
    assertThat(a.offer(rec(1, "loss", 1.0))).isNotNull();
    assertThat(a.offer(rec(2, "loss", 1.0))).isNull();
    assertThat(b.offer(rec(2, "loss", 1.0))).isNotNull();
  }
}
