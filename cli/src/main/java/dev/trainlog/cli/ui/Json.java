package dev.trainlog.cli.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;

/** The API's JSON: Jackson, dates as ISO text, non-finite numbers as the strings "NaN", "Infinity", "-Infinity". */
final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A number as JSON can carry it: finite as is, NaN and the infinities as their names. */
  static Object number(Double v) {
    if (v == null) {
      return null;
    }
    return Double.isFinite(v) ? (Object) v : Double.toString(v);
  }

  static List<Object> numbers(double[] values) {
    List<Object> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(number(v));
    }
    return out;
  }
}
