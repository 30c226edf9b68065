package dev.trainlog.mlflow.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainlog.api.LogRecord;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds log-batch items the way the server needs them: sanitised keys, non-finite values as the
 * strings MLflow parses ("NaN", "Infinity", "-Infinity" — bare literals are stored as 0 at step 0 and
 * drop the rest of the batch), and params and tags cut on the client where the server would cut them
 * silently.
 */
final class ItemFactory {

  private static final Logger LOG = LoggerFactory.getLogger(ItemFactory.class);

  /** Longest param value the server keeps: {@value}. */
  static final int MAX_PARAM_VALUE = 6000;

  /** Longest tag value the server is documented to keep: {@value}. */
  static final int MAX_TAG_VALUE = 5000;

  private final ObjectMapper json;
  private final KeySanitizer keys;

  ItemFactory(ObjectMapper json, KeySanitizer keys) {
    this.json = json;
    this.keys = keys;
  }

  BatchItem metric(String key, double value, LogRecord source) {
    ObjectNode node = json.createObjectNode();
    node.put("key", keys.sanitize(key, "metric"));
    if (Double.isNaN(value)) {
      node.put("value", "NaN");
    } else if (Double.isInfinite(value)) {
      node.put("value", value > 0 ? "Infinity" : "-Infinity");
    } else {
      node.put("value", value);
    }
    node.put("timestamp", source.timestampMillis());
    node.put("step", source.step());
    return new BatchItem(BatchItem.Kind.METRIC, node, size(node), source, Double.isNaN(value));
  }

  BatchItem param(String key, String value) {
    return pair(BatchItem.Kind.PARAM, key, value, MAX_PARAM_VALUE, "param");
  }

  BatchItem tag(String key, String value) {
    return pair(BatchItem.Kind.TAG, key, value, MAX_TAG_VALUE, "tag");
  }

  /** The MLflow key {@code key} is logged under. */
  String key(String key, String what) {
    return keys.sanitize(key, what);
  }

  private BatchItem pair(BatchItem.Kind kind, String key, String value, int limit, String what) {
    String k = keys.sanitize(key, what);
    String v = value;
    if (v.length() > limit) {
      LOG.warn("MLflow keeps at most {} characters of a {} value; '{}' ({} characters) is cut to {}",
          limit, what, k, v.length(), limit);
      v = v.substring(0, limit);
    }
    ObjectNode node = json.createObjectNode();
    node.put("key", k);
    node.put("value", v);
    return new BatchItem(kind, node, size(node), null, false);
  }

  private int size(ObjectNode node) {
    try {
      // one more byte for the comma between array entries
      return json.writeValueAsString(node).getBytes(StandardCharsets.UTF_8).length + 1;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a plain JSON object could not be encoded", e);
    }
  }
}
