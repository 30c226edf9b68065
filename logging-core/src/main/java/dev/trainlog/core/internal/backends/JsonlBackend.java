package dev.trainlog.core.internal.backends;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricValues;
import dev.trainlog.spi.LogBackend;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends one JSON object per record to a file: identity, step, time and metrics as logged (nested
 * maps kept, vectors as arrays). NaN and infinities are written as the strings {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"}, since JSON has no literal for them. Each batch opens,
 * appends and closes the file, so a crash never leaves a buffered tail behind. At open it reads the
 * last sequence number written per run and rank, so records a restart delivers again are not
 * written twice.
 */
public final class JsonlBackend implements LogBackend {

  private static final JsonFactory JSON = new JsonFactory();
  /** How much of the file's end {@link #open} reads to find what was written last: {@value} bytes. */
  static final int TAIL_BYTES = 1 << 20;

  private final Path path;
  private final Map<String, Long> lastWritten = new HashMap<>();
  private final JsonlFiles files;

  public JsonlBackend(Path path) {
    this.path = path;
    this.files = new JsonlFiles(path);
  }

  public Path path() {
    return path;
  }

  @Override
  public void open() throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    lastWritten.clear();
    if (Files.exists(path)) {
      lastWritten.putAll(JsonlTail.lastSequences(path, TAIL_BYTES));
    }
  }

  @Override
  public void write(List<LogRecord> batch) throws IOException {
    try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.setRootValueSeparator(null);
      for (LogRecord r : batch) {
        String stream = JsonlTail.streamOf(r.run().runId(), r.run().rank());
        Long last = lastWritten.get(stream);
        if (last != null && r.sequence() <= last) {
          continue; // written before a restart delivered it again
        }
        if (MetricValues.hasFiles(r.metrics())) {
          copyFiles(r); // before the line starts: a failure here leaves no half line behind
        }
        g.writeStartObject();
        g.writeStringField("_id", r.id());
        g.writeStringField("exp_name", r.run().experiment());
        g.writeStringField("run", r.run().runId());
        g.writeStringField("run_name", r.run().runName());
        g.writeNumberField("rank", r.run().rank());
        g.writeStringField("node", r.run().node());
        g.writeNumberField("step", r.step());
        g.writeNumberField("seq", r.sequence());
        g.writeStringField("timestamp", Instant.ofEpochMilli(r.timestampMillis()).toString());
        if (r.forced()) {
          g.writeBooleanField("forced", true);
        }
        g.writeFieldName("metrics");
        writeMap(g, r.metrics(), r.step());
        g.writeEndObject();
        g.writeRaw('\n');
        lastWritten.put(stream, r.sequence());
      }
    }
  }

  @SuppressWarnings("unchecked")
  /** The relative paths of the record being written, by {@code key#index} (images) or key (artifacts). */
  private final Map<String, String> copied = new HashMap<>();

  private void copyFiles(LogRecord r) throws IOException {
    copied.clear();
    for (Map.Entry<String, Object> e : r.metrics().entrySet()) {
      if (e.getValue() instanceof Images images) {
        for (int i = 0; i < images.size(); i++) {
          copied.put(e.getKey() + "#" + i, files.image(e.getKey(), r.step(), i, images.get(i)));
        }
      } else if (e.getValue() instanceof Artifact a) {
        copied.put(e.getKey(), files.artifact(a));
      }
    }
  }

  private void writeMap(JsonGenerator g, Map<String, Object> map, long step) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, Object> e : map.entrySet()) {
      g.writeFieldName(e.getKey());
      Object v = e.getValue();
      switch (MetricValues.kindOf(v)) {
        case SCALAR -> writeDouble(g, (Double) v);
        case VECTOR -> {
          g.writeStartArray();
          for (double d : (double[]) v) {
            writeDouble(g, d);
          }
          g.writeEndArray();
        }
        case NESTED -> writeMap(g, (Map<String, Object>) v, step);
        case TEXT -> g.writeString((String) v);
        case IMAGE -> {
          Images images = (Images) v;
          g.writeStartArray();
          for (int i = 0; i < images.size(); i++) {
            Image image = images.get(i);
            String rel = copied.get(e.getKey() + "#" + i);
            g.writeStartObject();
            g.writeStringField("path", rel);
            g.writeStringField("format", image.format().name().toLowerCase(java.util.Locale.ROOT));
            g.writeNumberField("width", image.width());
            g.writeNumberField("height", image.height());
            g.writeStringField("content_id", image.contentId());
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        case ARTIFACT -> {
          Artifact a = (Artifact) v;
          g.writeStartObject();
          g.writeStringField("path", copied.get(e.getKey()));
          g.writeNumberField("bytes", a.length());
          g.writeStringField("content_id", a.contentId());
          g.writeEndObject();
        }
      }
    }
    g.writeEndObject();
  }

  private static void writeDouble(JsonGenerator g, double d) throws IOException {
    if (Double.isFinite(d)) {
      g.writeNumber(d);
    } else {
      g.writeString(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
    }
  }
}
