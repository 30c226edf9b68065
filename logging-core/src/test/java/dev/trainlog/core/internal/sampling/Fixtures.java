package dev.trainlog.core.internal.sampling;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.Sampler;
import dev.trainlog.testkit.TestRecords;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records and helpers shared by the sampling tests. */
final class Fixtures {

  static final RunInfo RUN = TestRecords.run("sd-lora", "rank64");

  private Fixtures() {}

  /** Ordered, unmodifiable metrics from alternating keys and values. */
  static Map<String, Object> metrics(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  /** A record at {@code step}, sequence = step, one second of wall time per step. */
  static LogRecord rec(long step, Object... keysAndValues) {
    return TestRecords.record(RUN, step, metrics(keysAndValues));
  }

  static LogRecord recAt(long step, long timestampMillis, Object... keysAndValues) {
    return new LogRecord(RUN, step, step, timestampMillis, metrics(keysAndValues), false);
  }

  static LogRecord forced(long step, Object... keysAndValues) {
    return new LogRecord(RUN, step, step, TestRecords.START_MILLIS + step * 1000, metrics(keysAndValues), true);
  }

  /** The steps in {@code [from, to]} that {@code sampler} keeps, asked in order. */
  static List<Long> keptSteps(Sampler sampler, long from, long to) {
    List<Long> kept = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      if (sampler.shouldLog(s, TestRecords.START_MILLIS + s * 1000)) {
        kept.add(s);
      }
    }
    return kept;
  }

  /** Offers every record and returns what the backend would queue, in order. */
  static List<LogRecord> offerAll(RecordSampler sampler, List<LogRecord> records) {
    List<LogRecord> out = new ArrayList<>();
    for (LogRecord r : records) {
      LogRecord kept = sampler.offer(r);
      if (kept != null) {
        out.add(kept);
      }
    }
    return out;
  }

  static List<Long> steps(List<LogRecord> records) {
    List<Long> steps = new ArrayList<>();
    records.forEach(r -> steps.add(r.step()));
    return steps;
  }

  /** Records {@code from..to} inclusive with {@code loss = step} and the given extra pairs. */
  static List<LogRecord> lossSteps(long from, long to) {
    List<LogRecord> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      out.add(rec(s, "loss", (double) s));
    }
    return out;
  }
}
