package dev.trainlog.core.internal.sampling;

import static dev.trainlog.core.internal.sampling.Fixtures.RUN;
import static dev.trainlog.core.internal.sampling.Fixtures.offerAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.core.internal.config.SampleSpecParser;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The design's example: TensorBoard every step, MongoDB every 10 with the mean, MLflow every 100. */
class ThreeBackendsTest {

  @Test
  void stepsOneToThousandGiveEachBackendExactlyItsRecords() {
    List<LogRecord> in = TestRecords.scalarSteps(RUN, 1, 1001);
    RecordSampler tensorboard = RecordSampler.of(SampleSpecParser.parse("backends.tensorboard.sample",
        Map.of("every", 1), Map.of(), type -> null));
    Map<String, Object> mongoNode = new LinkedHashMap<>();
    mongoNode.put("every", 10);
    mongoNode.put("reduce", "mean");
    RecordSampler mongo = RecordSampler.of(SampleSpecParser.parse("backends.mongo.sample", mongoNode, Map.of(),
        type -> null));
    RecordSampler mlflow = RecordSampler.of(SampleSpecParser.parse("backends.mlflow.sample", 
        Map.of("every", 100), Map.of(), type -> null));

    List<LogRecord> tb = offerAll(tensorboard, in);
    List<LogRecord> mg = offerAll(mongo, in);
    List<LogRecord> ml = offerAll(mlflow, in);

    assertThat(tb).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(tb.get(i)).isSameAs(in.get(i));
    }

    assertThat(ml).hasSize(10);
    for (int k = 1; k <= 10; k++) {
      assertThat(ml.get(k - 1)).isSameAs(in.get(k * 100 - 1));
    }

    assertThat(mg).hasSize(100);
    for (int k = 1; k <= 100; k++) {
      long kept = k * 10L;
      double lossSum = 0;
      for (long s = kept - 9; s <= kept; s++) {
        lossSum += TestRecords.loss(s);
      }
      LogRecord r = mg.get(k - 1);
      LogRecord original = in.get((int) kept - 1);
      assertThat(r.step()).isEqualTo(kept);
      assertThat(r.sequence()).isEqualTo(original.sequence());
      assertThat(r.timestampMillis()).isEqualTo(original.timestampMillis());
      assertThat(new ArrayList<>(r.metrics().keySet())).containsExactly("loss", "lr");
      assertThat(r.metrics().get("loss")).isEqualTo(lossSum / 10);
      // lr = step / 4, so the mean of steps kept-9..kept is exact: (kept - 4.5) / 4.
      assertThat(r.metrics().get("lr")).isEqualTo((kept - 4.5) / 4);
    }

    assertThat(tensorboard.drainPending(99)).isNull();
    assertThat(mongo.drainPending(99)).isNull();
    assertThat(mlflow.drainPending(99)).isNull();
  }
}
