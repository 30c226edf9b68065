package dev.trainlog.mlflow.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Flattens a (redacted) config snapshot into MLflow params: {@code optimizer.lr -> "1.0E-4"}. */
final class ConfigFlattener {

  private ConfigFlattener() {}

  /** Nested maps join with '.', lists become JSON text, scalars their string form, null "None". */
  static Map<String, String> flatten(Map<String, Object> config, ObjectMapper json) {
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", config, json, out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> config, ObjectMapper json, Map<String, String> out) {
    for (Map.Entry<String, Object> e : config.entrySet()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map) {
        flatten(key, (Map<String, Object>) v, json, out);
      } else if (v instanceof List || v instanceof Object[]) {
        try {
          out.put(key, json.writeValueAsString(v));
        } catch (JsonProcessingException ex) {
          out.put(key, String.valueOf(v));
        }
      } else {
        // "None" is how MLflow's own clients show a missing value
        out.put(key, v == null ? "None" : String.valueOf(v));
      }
    }
  }
}
