package dev.trainlog.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Jackson types TrainLog settings use: durations as written in YAML ({@code 2s}, or a number of
 * milliseconds), paths, and enums in their YAML spelling ({@code drop-newest} for {@code DROP_NEWEST}).
 */
final class BindingModule extends SimpleModule {

  private static final long serialVersionUID = 1L;

  BindingModule() {
    super("trainlog-config");
    addDeserializer(Duration.class, new DurationDeserializer());
    addDeserializer(Path.class, new PathDeserializer());
    setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
          BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
        return new YamlEnumDeserializer(type.getRawClass());
      }
    });
  }

  /** The YAML spelling of an enum constant: lower case with dashes. */
  static String yamlName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** {@code one of a, b, c} for an enum type, in YAML spelling. */
  static String oneOf(Class<?> enumType) {
    List<String> names = new ArrayList<>();
    for (Object c : enumType.getEnumConstants()) {
      names.add(yamlName((Enum<?>) c));
    }
    return "one of " + String.join(", ", names);
  }

  private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    DurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      boolean number = p.currentToken() == JsonToken.VALUE_NUMBER_INT;
      if (!number && p.currentToken() != JsonToken.VALUE_STRING) {
        return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
      }
      Object value = number ? p.getNumberValue() : p.getText();
      try {
        return Durations.fromYaml(value);
      } catch (IllegalArgumentException e) {
        throw number ? ctxt.weirdNumberException((Number) value, Duration.class, e.getMessage())
            : ctxt.weirdStringException((String) value, Duration.class, e.getMessage());
      }
    }
  }

  private static final class PathDeserializer extends StdScalarDeserializer<Path> {
    private static final long serialVersionUID = 1L;

    PathDeserializer() {
      super(Path.class);
    }

    @Override
    public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (Path) ctxt.handleUnexpectedToken(Path.class, p);
      }
      return Path.of(p.getText());
    }
  }

  private static final class YamlEnumDeserializer extends StdScalarDeserializer<Object> {
    private static final long serialVersionUID = 1L;

    private final Class<?> enumType;

    YamlEnumDeserializer(Class<?> enumType) {
      super(enumType);
      this.enumType = enumType;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return ctxt.handleUnexpectedToken(enumType, p);
      }
      String text = p.getText().trim();
      for (Object c : enumType.getEnumConstants()) {
        Enum<?> e = (Enum<?>) c;
        if (yamlName(e).equalsIgnoreCase(text) || e.name().equalsIgnoreCase(text)) {
          return e;
        }
      }
      throw ctxt.weirdStringException(text, enumType, oneOf(enumType));
    }
  }
}
