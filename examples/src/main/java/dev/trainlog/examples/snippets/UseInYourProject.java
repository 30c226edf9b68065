package dev.trainlog.examples.snippets;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;
import java.nio.file.Path;
import java.util.Map;

/**
 * The code the README's "Use it in your project" section shows, compiled here so that it stays
 * true: {@code ReadmeSnippetsTest} checks that the README holds the lines between the markers.
 * The training loop it calls into is a stand-in.
 */
final class UseInYourProject {

  private final long totalSteps = 10;
  private final Scheduler scheduler = () -> 1e-4;
  private final LogBackend myBackend = batch -> { };

  interface Scheduler {
    double lr();
  }

  private double trainOneStep() {
    return 0.5;
  }

  private double[] gpuUtil() {
    return new double[] {78, 82};
  }

  private double evaluate() {
    return 0.9;
  }

  void fromYaml() {
    // README: from-yaml
    try (LogDispatcher log = LogDispatcher.fromYaml(Path.of("trainlog.yaml"))) {
      for (long step = 1; step <= totalSteps; step++) {
        double loss = trainOneStep();
        log.step(step).scalar("loss", loss).scalar("lr", scheduler.lr()).vector("gpu_util", gpuUtil()).log();
        if (step % 500 == 0) {
          log.step(step).scalar("eval/accuracy", evaluate()).force().log();   // past every sampler
        }
      }
    }   // close(): drains, flushes, marks the run FINISHED; use close(RunStatus.FAILED) in a catch
    // README: end
  }

  LogDispatcher withBuilder() {
    // README: builder
    LogDispatcher log = LogDispatcher.builder(RunInfo.builder().experiment("exp").runName("r1").build())
        .backend("tb", "tensorboard", Map.of("log-dir", "runs"), SampleSpec.every(1), ChannelSettings.defaults())
        .backend("mongo", "mongodb", Map.of("uri", "mongodb://localhost:27017"),
            SampleSpec.every(10).reduce(Reduce.MEAN), ChannelSettings.defaults())
        .backend("mine", myBackend, SampleSpec.every(100), ChannelSettings.defaults())   // your own LogBackend
        .build();
    // README: end
    return log;
  }
}
