package dev.trainlog.core.internal.backends;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricValues;
import dev.trainlog.api.RunInfo;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Prints one compact progress line per kept record: run, step, scalars (vectors as their mean) and
 * the step rate. Meant for a human watching the run, at its own (usually low) sampling rate.
 */
public final class ConsoleBackend implements dev.trainlog.spi.LogBackend {

  private final Writer out;
  private final RunInfo run;
  private final Set<String> keys;
  private final StringBuilder line = new StringBuilder(160);
  private long lastStep = -1;
  private long lastMillis;

  /** Prints to {@code out}; {@code keys} limits the metrics shown (empty: all). */
  public ConsoleBackend(Writer out, RunInfo run, List<String> keys) {
    this.out = out;
    this.run = run;
    this.keys = Set.copyOf(keys);
  }

  @Override
  public void write(List<LogRecord> batch) throws IOException {
    for (LogRecord r : batch) {
      line.setLength(0);
      line.append('[').append(run.experiment()).append('/').append(run.runName());
      if (run.worldSize() > 1) {
        line.append(" rank ").append(run.rank());
      }
      line.append("] step ").append(r.step());
      int header = line.length();
      MetricValues.flatten(r.metrics(), "/", this::appendValue);
      if (line.length() == header && MetricValues.hasFiles(r.metrics())) {
        line.setLength(0); // only images or artifacts: their own lines say it all
        MetricValues.flatten(r.metrics(), "/", (key, value) -> fileLine(key, r.step(), value));
        out.write(line.toString());
        continue;
      }
      if (lastStep >= 0 && r.step() > lastStep && r.timestampMillis() > lastMillis) {
        double rate = (r.step() - lastStep) * 1000.0 / (r.timestampMillis() - lastMillis);
        line.append("  (").append(String.format(Locale.ROOT, "%.1f", rate)).append(" steps/s)");
      }
      lastStep = r.step();
      lastMillis = r.timestampMillis();
      line.append(System.lineSeparator());
      MetricValues.flatten(r.metrics(), "/", (key, value) -> fileLine(key, r.step(), value));
      out.write(line.toString());
    }
    out.flush();
  }

  /** One line per image ("samples/prompt_0 @ 500: 1024×1024 PNG, 1.4 MB") and per artifact. */
  private void fileLine(String key, long step, Object value) {
    if (value instanceof Images images) {
      for (Image image : images) {
        long length = image.length() >= 0 ? image.length() : image.bytes().length;
        line.append(key).append(" @ ").append(step).append(": ").append(image.width()).append('×')
            .append(image.height()).append(' ').append(image.format()).append(", ").append(Image.humanSize(length))
            .append(System.lineSeparator());
      }
    } else if (value instanceof Artifact a) {
      line.append("artifact ").append(a.name()).append(" @ ").append(step).append(": ")
          .append(Image.humanSize(a.length())).append(System.lineSeparator());
    }
  }

  private void appendValue(String key, Object value) {
    if (!keys.isEmpty() && !keys.contains(key)) {
      return;
    }
    double v;
    MetricValues.Kind kind = MetricValues.kindOf(value);
    if (kind == MetricValues.Kind.SCALAR) {
      v = (Double) value;
    } else if (kind == MetricValues.Kind.VECTOR && ((double[]) value).length > 0) {
      double sum = 0;
      for (double d : (double[]) value) {
        sum += d;
      }
      v = sum / ((double[]) value).length;
      key = key + ".mean";
    } else {
      return;
    }
    line.append("  ").append(key).append('=').append(format(v));
  }

  /** Six significant digits, plain for everyday magnitudes and scientific otherwise. */
  static String format(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e6)) {
      return String.format(Locale.ROOT, "%.5e", v);
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }
}
