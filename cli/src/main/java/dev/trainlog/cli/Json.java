package dev.trainlog.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.ObjectId;

/** JSON output for {@code --json} and the report: BSON values made plain, non-finite numbers as strings. */
final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {}

  static String write(Object value, boolean pretty) {
    try {
      return pretty ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(plain(value))
          : MAPPER.writeValueAsString(plain(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** Documents as maps, dates as ISO text, NaN and infinities as "NaN", "Infinity", "-Infinity". */
  static Object plain(Object v) {
    if (v instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) v).forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
      return out;
    }
    if (v instanceof List) {
      return ((List<?>) v).stream().map(Json::plain).toList();
    }
    if (v instanceof Double || v instanceof Float) {
      return Format.json(((Number) v).doubleValue());
    }
    if (v instanceof Date) {
      return ((Date) v).toInstant().toString();
    }
    if (v instanceof java.time.Instant || v instanceof ObjectId) {
      return v.toString();
    }
    if (v instanceof Document) {
      return plain((Map<?, ?>) v);
    }
    return v;
  }
}
