package dev.trainlog.cli.importing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.trainlog.core.LogDispatcher;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns lines of JSON such as {@code {"step": 10, "loss": 0.31, "lr": 1e-4}} into logged steps, for
 * scripts that print their metrics: {@code step} is required (a whole number); {@code wall_time}
 * (seconds since the epoch), if present, is the step's time; every other field is a metric (numbers,
 * arrays of numbers, strings, nested objects; {@code NaN}, {@code Infinity} and {@code -Infinity}, as
 * Python writes them, and their quoted forms are read as those numbers). A line that is not such an object is skipped, counted and warned about once.
 * A line without a {@code wall_time} gets the time its reader gives, asked only for such a line, right before it is
 * sent.
 */
final class JsonLinesFollower {

  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesFollower.class);
  /** Python's {@code json.dumps} writes {@code NaN}, {@code Infinity} and {@code -Infinity} unquoted. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS).build();

  /** Where a line's step goes: {@link LogDispatcher#logImported}, or a test's stand-in. */
  interface Sink {
    void logImported(long step, long wallTimeMillis, long sequence, Map<String, ?> metrics);
  }

  private final Sink dispatcher;
  private long steps;
  private long badLines;
  private long lastWallMillis = -1;

  JsonLinesFollower(LogDispatcher dispatcher) {
    this(dispatcher::logImported);
  }

  JsonLinesFollower(Sink dispatcher) {
    this.dispatcher = dispatcher;
  }

  /**
   * Logs {@code line}, read at {@code sequence} (a byte offset or line number); {@code readMillis} gives its wall
   * time if it has none of its own, and is asked only then, just before the line is sent.
   */
  void line(String line, long sequence, LongSupplier readMillis) {
    if (line.isBlank()) {
      return;
    }
    String problem;
    try {
      JsonNode node = JSON.readTree(line);
      problem = node != null && node.isObject() ? log(node, sequence, readMillis) : "it is not a JSON object";
    } catch (JsonProcessingException e) {
      problem = "it is not JSON (" + e.getOriginalMessage() + ")";
    }
    if (problem != null) {
      badLines++;
      if (badLines == 1) {
        LOG.warn("Skipping a line of JSON metrics: {}; such lines are counted", problem);
      }
    }
  }

  private String log(JsonNode node, long sequence, LongSupplier readMillis) {
    JsonNode step = node.get("step");
    if (step == null || !step.canConvertToLong() || !step.isIntegralNumber()) {
      return "it has no whole-number \"step\"";
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getKey().equals("step") && !e.getKey().equals("wall_time")) {
        Object v = value(e.getValue());
        if (v != null) {
          metrics.put(e.getKey(), v);
        }
      }
    }
    if (metrics.isEmpty()) {
      return "it has no metric besides \"step\"";
    }
    JsonNode wall = node.get("wall_time");
    long wallMillis = wall != null && wall.isNumber() ? Math.round(wall.asDouble() * 1000) : readMillis.getAsLong();
    dispatcher.logImported(step.asLong(), wallMillis, sequence, metrics);
    lastWallMillis = Math.max(lastWallMillis, wallMillis);
    steps++;
    return null;
  }

  private static Object value(JsonNode v) {
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isTextual()) {
      Double special = nonFinite(v.asText());
      return special != null ? special : v.asText();
    }
    if (v.isArray()) {
      double[] out = new double[v.size()];
      for (int i = 0; i < out.length; i++) {
        JsonNode e = v.get(i);
        Double special = e.isTextual() ? nonFinite(e.asText()) : null;
        if (!e.isNumber() && special == null) {
          return v.toString();
        }
        out[i] = special != null ? special : e.asDouble();
      }
      return out;
    }
    if (v.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      v.properties().forEach(e -> {
        Object x = value(e.getValue());
        if (x != null) {
          m.put(e.getKey(), x);
        }
      });
      return m;
    }
    if (v.isBoolean()) {
      return v.asBoolean() ? 1.0 : 0.0;
    }
    return null;
  }

  /** The non-finite number a quoted {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"} stands for, else null. */
  private static Double nonFinite(String text) {
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "Infinity":
      case "+Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        return null;
    }
  }

  /** The wall time of the latest step logged, or -1 before the first. */
  long lastWallMillis() {
    return lastWallMillis;
  }

  long steps() {
    return steps;
  }

  long badLines() {
    return badLines;
  }
}
