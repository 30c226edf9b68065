package dev.trainlog.core.internal.sampling;

import static dev.trainlog.core.internal.sampling.Fixtures.forced;
import static dev.trainlog.core.internal.sampling.Fixtures.lossSteps;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReduceTest {

  private static List<LogRecord> everyFour(Reduce reduce, List<LogRecord> in) {
    return offerAll(RecordSampler.of(SampleSpec.every(4).reduce(reduce)), in);
  }

  private static List<Object> values(List<LogRecord> records, String key) {
    List<Object> out = new ArrayList<>();
    records.forEach(r -> out.add(r.metrics().get(key)));
    return out;
  }

  @Test
  void meanFoldsEverySkippedStepIntoTheNextKeptOne() {
    List<LogRecord> out = everyFour(Reduce.MEAN, lossSteps(1, 8));
    assertThat(steps(out)).containsExactly(4L, 8L);
    assertThat(values(out, "loss")).containsExactly(2.5, 6.5);
  }

  @Test
  void minMaxAndLastReduceOverTheWindow() {
    assertThat(values(everyFour(Reduce.MIN, lossSteps(1, 8)), "loss")).containsExactly(1.0, 5.0);
    assertThat(values(everyFour(Reduce.MAX, lossSteps(1, 8)), "loss")).containsExactly(4.0, 8.0);
    assertThat(values(everyFour(Reduce.LAST, lossSteps(1, 8)), "loss")).containsExactly(4.0, 8.0);
  }

  @Test
  void minAndMaxSeeValuesThatAreNotAtTheWindowEdges() {
    List<LogRecord> in = List.of(rec(1, "loss", 3.0), rec(2, "loss", -7.0), rec(3, "loss", 9.0), rec(4, "loss", 1.0));
    assertThat(values(everyFour(Reduce.MIN, in), "loss")).containsExactly(-7.0);
    assertThat(values(everyFour(Reduce.MAX, in), "loss")).containsExactly(9.0);
    assertThat(values(everyFour(Reduce.LAST, in), "loss")).containsExactly(1.0);
  }

  @Test
  void theEmittedRecordKeepsTheKeptStepsIdentityAndTime() {
    LogRecord kept = lossSteps(1, 4).get(3);
    LogRecord out = everyFour(Reduce.MEAN, lossSteps(1, 4)).get(0);
    assertThat(out.step()).isEqualTo(4);
    assertThat(out.sequence()).isEqualTo(kept.sequence());
    assertThat(out.timestampMillis()).isEqualTo(kept.timestampMillis());
    assertThat(out.run()).isEqualTo(kept.run());
    assertThat(out.forced()).isFalse();
  }

  @Test
  void vectorsReduceElementWise() {
    List<LogRecord> in = new ArrayList<>();
    for (long s = 1; s <= 4; s++) {
      in.add(rec(s, "gpu_util", new double[] {s, 10.0 * s, -s}));
    }
    assertThat((double[]) everyFour(Reduce.MEAN, in).get(0).metrics().get("gpu_util"))
        .containsExactly(2.5, 25.0, -2.5);
    assertThat((double[]) everyFour(Reduce.MIN, in).get(0).metrics().get("gpu_util"))
        .containsExactly(1.0, 10.0, -4.0);
    assertThat((double[]) everyFour(Reduce.MAX, in).get(0).metrics().get("gpu_util"))
        .containsExactly(4.0, 40.0, -1.0);
  }

  @Test
  void vectorsOfDifferentLengthsReduceToTheLastVector() {
    List<LogRecord> in = List.of(
        rec(1, "v", new double[] {1, 1}), rec(2, "v", new double[] {2}), rec(3, "v", new double[] {3, 3}),
        rec(4, "v", new double[] {9, 8}));
    assertThat((double[]) everyFour(Reduce.MEAN, in).get(0).metrics().get("v")).containsExactly(9.0, 8.0);
  }

  @Test
  void reducingNeverModifiesTheLoggedArrays() {
    double[] first = {1, 2};
    everyFour(Reduce.MEAN, List.of(rec(1, "v", first), rec(2, "v", new double[] {3, 4}),
        rec(3, "v", new double[] {5, 6}), rec(4, "v", new double[] {7, 8})));
    assertThat(first).containsExactly(1.0, 2.0);
  }

  @Test
  void textsKeepTheLastValueAndNestedMapsReduceKeyByKey() {
    List<LogRecord> in = new ArrayList<>();
    for (long s = 1; s <= 4; s++) {
      in.add(rec(s, "caption", "c" + s, "eval", metrics("acc", s * 0.25, "note", "n" + s,
          "deep", metrics("x", (double) s))));
    }
    LogRecord out = everyFour(Reduce.MEAN, in).get(0);
    assertThat(out.metrics().get("caption")).isEqualTo("c4");
    assertThat(out.metrics()).isEqualTo(rec(4, "caption", "c4",
        "eval", metrics("acc", 0.625, "note", "n4", "deep", metrics("x", 2.5)))
        .metrics());
    assertThat(new ArrayList<Object>(((Map<?, ?>) out.metrics().get("eval")).keySet())).containsExactly((Object) "acc", "note", "deep");
  }

  @Test
  void aKeySeenOnlyInSkippedStepsIsEmittedWithItsReducedValueAfterTheKeptKeys() {
    List<LogRecord> in = List.of(
        rec(1, "loss", 1.0), rec(2, "grad_norm", 3.0, "loss", 2.0), rec(3, "grad_norm", 5.0, "loss", 3.0),
        rec(4, "loss", 4.0, "lr", 0.5));
    LogRecord out = everyFour(Reduce.MEAN, in).get(0);
    assertThat(out.metrics().keySet()).containsExactly("loss", "lr", "grad_norm");
    assertThat(out.metrics()).isEqualTo(metrics("loss", 2.5, "lr", 0.5, "grad_norm", 4.0));
  }

  @Test
  void aKeyThatChangesKindInTheWindowReducesToItsLastValue() {
    List<LogRecord> in = List.of(rec(1, "x", 1.0), rec(2, "x", "two"), rec(3, "x", 3.0), rec(4, "y", 0.0));
    assertThat(everyFour(Reduce.MEAN, in).get(0).metrics()).isEqualTo(metrics("y", 0.0, "x", 3.0));
  }

  @Test
  void aForcedRecordInsideTheWindowPassesWholeAndIsNotFolded() {
    List<LogRecord> in = List.of(rec(1, "loss", 1.0), forced(2, "loss", 100.0), rec(3, "loss", 3.0),
        rec(4, "loss", 4.0));
    List<LogRecord> out = everyFour(Reduce.MEAN, in);
    assertThat(out.get(0)).isSameAs(in.get(1));
    assertThat(steps(out)).containsExactly(2L, 4L);
    assertThat(out.get(1).metrics().get("loss")).isEqualTo(8.0 / 3);
  }

  @Test
  void aNonFiniteRecordInsideTheWindowPassesWholeAndIsNotFolded() {
    List<LogRecord> in = List.of(rec(1, "loss", 1.0), rec(2, "loss", 2.0), rec(3, "loss", Double.NaN),
        rec(4, "loss", 4.0));
    List<LogRecord> out = everyFour(Reduce.MEAN, in);
    assertThat(out.get(0)).isSameAs(in.get(2));
    assertThat(out.get(1).metrics().get("loss")).isEqualTo(7.0 / 3);
  }

  @Test
  void withNonFiniteSampleNaNIsFoldedLikeAnyValue() {
    RecordSampler s = RecordSampler.of(SampleSpec.every(4).reduce(Reduce.MEAN).nonFinite(NonFinite.SAMPLE));
    List<LogRecord> out = offerAll(s, List.of(rec(1, "loss", 1.0), rec(2, "loss", Double.NaN),
        rec(3, "loss", 3.0), rec(4, "loss", 4.0)));
    assertThat(steps(out)).containsExactly(4L);
    assertThat((Double) out.get(0).metrics().get("loss")).isNaN();
  }

  @Test
  void drainPendingReturnsTheFoldedTailOnceAsTheLastFoldedStep() {
    RecordSampler s = RecordSampler.of(SampleSpec.every(4).reduce(Reduce.MEAN));
    assertThat(steps(offerAll(s, lossSteps(1, 6)))).containsExactly(4L);
    LogRecord tail = s.drainPending(99);
    assertThat(tail.step()).isEqualTo(6);
    assertThat(tail.sequence()).as("the number the dispatcher reserved at close").isEqualTo(99);
    assertThat(tail.metrics()).isEqualTo(metrics("loss", 5.5));
    assertThat(s.drainPending(99)).isNull();
  }

  @Test
  void drainPendingIsNullRightAfterAnEmitAndWithoutReduce() {
    RecordSampler reduced = RecordSampler.of(SampleSpec.every(4).reduce(Reduce.MEAN));
    offerAll(reduced, lossSteps(1, 8));
    assertThat(reduced.drainPending(99)).isNull();
    RecordSampler plain = RecordSampler.of(SampleSpec.every(4));
    offerAll(plain, lossSteps(1, 6));
    assertThat(plain.drainPending(99)).isNull();
  }

  @Test
  void withoutReduceSkippedStepsAreDroppedAndKeptRecordsAreTheSameInstances() {
    List<LogRecord> in = lossSteps(1, 8);
    List<LogRecord> out = offerAll(RecordSampler.of(SampleSpec.every(4)), in);
    assertThat(out).containsExactly(in.get(3), in.get(7));
    assertThat(out.get(0)).isSameAs(in.get(3));
  }

  @Test
  void drainPendingCollectsEveryGroupsTailAfterTheKeptKeysOfTheLastFoldedStep() {
    RecordSampler s = RecordSampler.of(SampleSpec.every(4).reduce(Reduce.MEAN).override("eval/*",
        SampleSpec.every(100)));
    offerAll(s, List.of(rec(1, "eval/acc", 0.5, "loss", 1.0), rec(2, "loss", 2.0), rec(3, "eval/acc", 1.0)));
    LogRecord tail = s.drainPending(99);
    assertThat(tail.step()).isEqualTo(3);
    assertThat(new ArrayList<>(tail.metrics().keySet())).containsExactly("eval/acc", "loss");
    assertThat(tail.metrics()).isEqualTo(metrics("eval/acc", 0.75, "loss", 1.5));
    assertThat(s.drainPending(99)).isNull();
  }
}
