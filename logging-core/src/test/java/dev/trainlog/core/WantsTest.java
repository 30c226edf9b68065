package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.MutableClock;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WantsTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "wants");

  @Test
  void wantsAgreesStepByStepWithWhatEachBackendReceivedOverAThousandStepsOfMixedRules() throws IOException {
    Map<String, List<LogRecord>> received = new LinkedHashMap<>();
    Map<String, SampleSpec> specs = new LinkedHashMap<>();
    specs.put("tb", SampleSpec.every(7).images(SampleSpec.every(50)));
    specs.put("mongo", SampleSpec.every(10).reduce(Reduce.MEAN).override("samples/*", SampleSpec.every(125))
        .override("eval/*", SampleSpec.logSpaced()));
    specs.put("mlflow", SampleSpec.every(100).first(3).images(SampleSpec.everyTime(Duration.ofSeconds(30))));
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    DispatcherBuilder b = LogDispatcher.builder(run).journalDir(dir.resolve("journal"))
        .deadLetterDir(dir.resolve("dead")).shutdownHook(false).clock(clock);
    specs.forEach((name, spec) -> {
      List<LogRecord> got = Collections.synchronizedList(new ArrayList<>());
      received.put(name, got);
      b.backend(name, got::addAll, spec, ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(5)));
    });
    byte[] png = ImagesAndArtifactsTest.png(2, 2, 0x445566);
    Set<Long> wanted = new TreeSet<>();
    try (LogDispatcher d = b.build()) {
      for (long step = 0; step < 1000; step++) {
        // the time rule is asked after its worker caught up, as a trainer asks between steps
        d.flush(Duration.ofSeconds(10));
        if (d.wantsImage("samples/grid", step)) {
          wanted.add(step);
        }
        // eval/* : tb every 7, mongo's log-spaced override, mlflow's first 3 then every 100
        assertThat(d.wants("eval/acc", step)).as("step %d", step)
            .isEqualTo(isLogSpaced(step) || step % 7 == 0 || step < 3 || step % 100 == 0);
        d.step(step).scalar("loss", 1.0 / (step + 1)).scalar("eval/acc", 0.5).image("samples/grid", png).log();
        clock.advance(Duration.ofSeconds(7));
      }
      assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
    }
    Set<Long> gotImages = new TreeSet<>();
    received.forEach((name, records) -> records.forEach(r -> {
      if (r.metrics().get("samples/grid") instanceof Images) {
        gotImages.add(r.step());
      }
    }));
    assertThat(gotImages).isEqualTo(wanted);
    // each backend on its own: tb every 50, mongo every 125 (override), mlflow every 30 s of 7 s steps
    assertThat(imageSteps(received.get("tb"))).allMatch(s -> s % 50 == 0).hasSize(20);
    assertThat(imageSteps(received.get("mongo"))).allMatch(s -> s % 125 == 0).hasSize(8);
    assertThat(imageSteps(received.get("mlflow"))).allMatch(s -> s % 5 == 0).hasSize(200);
  }

  private static boolean isLogSpaced(long step) {
    if (step == 0) {
      return true;
    }
    long m = step;
    while (m % 10 == 0) {
      m /= 10;
    }
    return m == 1 || m == 2 || m == 5;
  }

  private static List<Long> imageSteps(List<LogRecord> records) {
    List<Long> steps = new ArrayList<>();
    for (LogRecord r : records) {
      if (r.metrics().get("samples/grid") instanceof Images) {
        steps.add(r.step());
      }
    }
    return steps;
  }
}
