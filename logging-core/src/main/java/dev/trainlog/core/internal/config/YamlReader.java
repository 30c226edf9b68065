package dev.trainlog.core.internal.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trainlog.api.Secrets;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads YAML with Jackson's streaming parser into plain maps, lists and scalars while recording the
 * line of every dotted key, so that later problems can say {@code file:line}. Duplicate keys are
 * reported, not silently overwritten.
 */
final class YamlReader {

  /** A position as the YAML parser's messages write it; the last one in a message is where the problem is. */
  private static final Pattern PROBLEM_MARK = Pattern.compile("line (\\d+), column (\\d+)");

  private static final YAMLFactory FACTORY = YAMLFactory.builder()
      .disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE).build();

  /** The parsed document: the root mapping, where each key was written, and duplicate-key problems. */
  static final class Document {
    final Map<String, Object> root;
    final ConfigSource source;
    final List<ConfigProblem> problems;

    Document(Map<String, Object> root, ConfigSource source, List<ConfigProblem> problems) {
      this.root = root;
      this.source = source;
      this.problems = problems;
    }
  }

  private final String sourceName;
  private final Map<String, Integer> lines = new LinkedHashMap<>();
  private final List<ConfigProblem> problems = new ArrayList<>();
  /** The key whose value was being read last: where a syntax error is said to be. */
  private String lastKey = "";

  private YamlReader(String sourceName) {
    this.sourceName = sourceName;
  }

  /** Parses one YAML document; a syntax error becomes a {@link ConfigException} naming line and column. */
  static Document read(Reader reader, String sourceName) throws IOException {
    YamlReader r = new YamlReader(sourceName);
    try (JsonParser p = FACTORY.createParser(reader)) {
      JsonToken first = p.nextToken();
      r.lines.put("", 1);
      if (first == null || first == JsonToken.VALUE_NULL) {
        return r.document(new LinkedHashMap<>());
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ConfigException(sourceName + ":" + line(p.currentTokenLocation())
            + ": a TrainLog configuration must be a mapping with the sections run, dispatcher, defaults and backends",
            null);
      }
      return r.document(r.readObject(p, ""));
    } catch (StreamReadException e) {
      throw syntaxError(sourceName, e, r.lastKey);
    }
  }

  private Document document(Map<String, Object> root) {
    return new Document(root, new ConfigSource(sourceName, lines), problems);
  }

  private Map<String, Object> readObject(JsonParser p, String key) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      String childKey = ConfigSource.child(key, name);
      lastKey = childKey;
      int line = line(p.currentTokenLocation());
      p.nextToken();
      Object value = readValue(p, childKey);
      if (out.containsKey(name)) {
        problems.add(new ConfigProblem(childKey, "is set twice; the first value is on line " + lines.get(childKey),
            sourceName + ":" + line));
      } else {
        lines.put(childKey, line);
      }
      out.put(name, value);
    }
    return out;
  }

  private List<Object> readArray(JsonParser p, String key) throws IOException {
    List<Object> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      String itemKey = key + "[" + out.size() + "]";
      lines.put(itemKey, line(p.currentTokenLocation()));
      out.add(readValue(p, itemKey));
    }
    return out;
  }

  private Object readValue(JsonParser p, String key) throws IOException {
    switch (p.currentToken()) {
      case START_OBJECT:
        return readObject(p, key);
      case START_ARRAY:
        return readArray(p, key);
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getNumberValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        return p.getText();
    }
  }

  private static int line(JsonLocation location) {
    return Math.max(1, location.getLineNr());
  }

  private static ConfigException syntaxError(String sourceName, StreamReadException e, String lastKey) {
    JsonLocation at = e.getLocation();
    String reason = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage().strip();
    // the parser quotes the offending source lines (which may hold a password) under a caret: keep positions only
    reason = reason.replaceAll("\\s*in '[^']*', (line \\d+, column \\d+):\\R[^\\n]*\\R\\s*\\^", " at $1")
        .replaceAll("\\s*\\R\\s*", "; ");
    // the message names where the problem is; the parser's own location can be the token before it (a tab)
    Matcher mark = PROBLEM_MARK.matcher(reason);
    String position = at == null ? null : at.getLineNr() + ":" + at.getColumnNr();
    while (mark.find()) {
      position = mark.group(1) + ":" + mark.group(2);
    }
    String where = position == null ? sourceName : sourceName + ":" + position;
    String near = lastKey.isEmpty() ? "" : " (in or after `" + lastKey + "`)";
    return new ConfigException(where + ": the YAML is malformed" + near + ": " + Secrets.redactText(reason), null);
  }
}
