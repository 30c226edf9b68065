package dev.trainlog.cli;

import dev.trainlog.cli.common.CliException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the first {@code type: mongodb} backend of a TrainLog YAML for its uri, database and
 * collections, expanding {@code ${VAR}} and {@code ${VAR:-default}} from the environment.
 */
final class YamlStoreConfig {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private YamlStoreConfig() {}

  static StoreSpec read(Path file) {
    return read(file, System::getenv);
  }

  static StoreSpec read(Path file, UnaryOperator<String> env) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + e.getMessage());
    }
    JsonNode backends = root == null ? null : root.get("backends");
    if (backends != null) {
      for (Map.Entry<String, JsonNode> entry : backends.properties()) {
        JsonNode backend = entry.getValue();
        if ("mongodb".equals(text(backend, "type", null, env))) {
          StoreSpec d = StoreSpec.defaults();
          return new StoreSpec(text(backend, "uri", d.uri(), env), text(backend, "database", d.database(), env),
              text(backend, "collection", d.collection(), env),
              text(backend, "runs-collection", d.runsCollection(), env), d.timeout());
        }
      }
    }
    throw CliException.usage(file + " has no backend of type mongodb under `backends:`");
  }

  private static String text(JsonNode node, String key, String fallback, UnaryOperator<String> env) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    String expanded = expand(v.asText(), env);
    return expanded.isEmpty() ? fallback : expanded;
  }

  /** {@code ${VAR}} and {@code ${VAR:-default}}, the subset the core understands that a store location uses. */
  static String expand(String value, UnaryOperator<String> env) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.apply(m.group(1));
      if (v == null || v.isEmpty()) {
        v = m.group(2) == null ? "" : m.group(2);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

}
