package dev.trainlog.tensorboard.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** A run's provenance as markdown for the text plugin: a key/value table, then the YAML as a code block. */
final class ProvenanceText {

  /** The text summary's tag, written once at step 0. */
  static final String TAG = "provenance";
  private static final String YAML_KEY = "config_yaml";

  private ProvenanceText() {}

  static String markdown(Map<String, String> provenance) {
    Map<String, Object> fields = new LinkedHashMap<>(provenance);
    Object yaml = fields.remove(YAML_KEY);
    String table = ConfigTable.markdown(fields);
    return yaml == null ? table : table + "\n```yaml\n" + yaml + (yaml.toString().endsWith("\n") ? "" : "\n") + "```\n";
  }
}
