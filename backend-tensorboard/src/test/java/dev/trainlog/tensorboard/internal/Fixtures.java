package dev.trainlog.tensorboard.internal;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Backends on a temporary log dir with a fixed clock, and small records, for the tests. */
final class Fixtures {

  /** What the fixed clock reads: one hour after the test records' step 0. */
  static final long NOW_MILLIS = TestRecords.START_MILLIS + 3_600_000L;

  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW_MILLIS), ZoneOffset.UTC);

  static final RunInfo RUN = TestRecords.run("exp", "run-a");

  private Fixtures() {}

  static TensorBoardBackend backend(Path logDir, RunInfo run) {
    return backend(logDir, run, TensorBoardConfig.defaults());
  }

  static TensorBoardBackend backend(Path logDir, RunInfo run, TensorBoardConfig config) {
    return new TensorBoardBackend(run, config.withLogDir(logDir.toString()), CLOCK, EventFile.CREATE_NEW);
  }

  static Path runDir(Path logDir, RunInfo run) {
    return logDir.resolve(run.experiment()).resolve(run.runName());
  }

  static LogRecord record(RunInfo run, long step, Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return TestRecords.record(run, step, Collections.unmodifiableMap(m));
  }

  /** The events of the run folder that carry a logged record (a scalar summary). */
  static List<TbEvent> recordEvents(Path runDir) throws Exception {
    return EventFiles.allEvents(runDir).stream().filter(TbEvent::isScalarRecord).toList();
  }
}
