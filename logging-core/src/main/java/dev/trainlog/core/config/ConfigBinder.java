package dev.trainlog.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.trainlog.api.Secrets;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Binds a plugin's own settings (plain maps from YAML) to its config class with Jackson: kebab-case
 * keys to camelCase fields, setters or record components, durations as TrainLog writes them, unknown
 * keys refused. Every unknown key and every badly typed value is reported, each with its full key.
 */
public final class ConfigBinder {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .addModule(new BindingModule())
      .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
      .build();

  private ConfigBinder() {}

  /**
   * Binds {@code values} to {@code type}; {@code Void.class} binds to {@code null} and refuses every
   * key. Problems carry {@code key.<setting>} and no location (see {@link ConfigSource#locate}).
   *
   * @param key the dotted key of the subtree, e.g. {@code backends.mongo}
   * @param owner what the settings belong to, for messages, e.g. {@code backend type 'mongodb'}
   * @throws ConfigException with every problem found
   */
  public static <T> T bind(Map<String, ?> values, Class<T> type, String key, String owner) {
    return bind(values, type, key, owner, List.of());
  }

  /**
   * As {@link #bind(Map, Class, String, String)}; an unknown key close to one of {@code otherNames}
   * (settings TrainLog itself reads at that level, such as channel keys) gets a "did you mean" hint.
   */
  public static <T> T bind(Map<String, ?> values, Class<T> type, String key, String owner,
      Collection<String> otherNames) {
    Map<String, ConfigProblem> problems = new LinkedHashMap<>();
    Map<String, Object> remaining = new LinkedHashMap<>(values);
    // `key:` with nothing after it means "not set": the class's default applies
    remaining.values().removeIf(java.util.Objects::isNull);
    T result = null;
    if (type == Void.class || type == void.class) {
      for (String name : values.keySet()) {
        String k = ConfigSource.child(key, name);
        problems.put(k, unknown(k, name, owner, List.of(), otherNames));
      }
    } else {
      result = bindLoop(remaining, type, key, owner, otherNames, problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(new ArrayList<>(problems.values()));
    }
    return result;
  }

  /**
   * The settings of {@code type} named like one of {@code reserved}: keys TrainLog reads itself at that
   * level (channel and sampling settings) and removes before binding, so YAML can never set them.
   */
  static List<String> shadowedSettings(Class<?> type, Collection<String> reserved) {
    List<String> out = new ArrayList<>();
    if (type == Void.class || type == void.class) {
      return out;
    }
    BeanDescription description = MAPPER.getDeserializationConfig().introspect(MAPPER.constructType(type));
    for (BeanPropertyDefinition property : description.findProperties()) {
      if (reserved.contains(property.getName())) {
        out.add(property.getName());
      }
    }
    return out;
  }

  private static <T> T bindLoop(Map<String, Object> remaining, Class<T> type, String key, String owner,
      Collection<String> otherNames, Map<String, ConfigProblem> problems) {
    // Jackson stops at the first bad value: drop that key and bind again to find the next one.
    while (true) {
      UnknownKeys handler = new UnknownKeys(key, owner, otherNames, problems);
      try {
        JsonNode tree = MAPPER.valueToTree(remaining);
        return MAPPER.readerFor(type).withHandler(handler).readValue(tree);
      } catch (ValueInstantiationException e) {
        rejectedByConstructor(e, key, problems);
        return null;
      } catch (InvalidDefinitionException e) {
        throw new IllegalStateException(type.getName() + " cannot be bound from YAML settings: "
            + e.getOriginalMessage(), e);
      } catch (MismatchedInputException e) {
        List<String> path = path(e);
        String k = dotted(key, path);
        Object value = valueAt(remaining, path);
        if (value == null && !hasPath(remaining, path)) {
          problems.putIfAbsent(k, new ConfigProblem(k, "is required"));
        } else {
          problems.putIfAbsent(k, ConfigProblem.invalid(k, ProblemList.show(k, value), describe(e.getTargetType())));
        }
        if (path.isEmpty() || remaining.remove(path.get(0)) == null && !remaining.containsKey(path.get(0))) {
          return null;
        }
      } catch (JsonMappingException e) {
        String k = dotted(key, path(e));
        problems.putIfAbsent(k, new ConfigProblem(k, "could not be read: " + Secrets.redactText(e.getOriginalMessage())));
        return null;
      } catch (IOException e) {
        throw new IllegalStateException("binding in-memory settings failed", e);
      }
    }
  }

  private static void rejectedByConstructor(ValueInstantiationException e, String key,
      Map<String, ConfigProblem> problems) {
    Throwable cause = e.getCause() == null ? e : e.getCause();
    if (cause instanceof ConfigException && !((ConfigException) cause).problems().isEmpty()) {
      for (ConfigProblem p : ((ConfigException) cause).problems()) {
        ConfigProblem full = p.key().startsWith(key) ? p : p.prefixed(key + ".");
        problems.putIfAbsent(full.key(), full);
      }
    } else {
      String k = dotted(key, path(e));
      problems.putIfAbsent(k, new ConfigProblem(k, "is not valid: " + Secrets.redactText(cause.getMessage())));
    }
  }

  /** What a value of {@code type} must look like, for "was 'x' but it must be ...". */
  static String describe(Class<?> type) {
    if (type == null) {
      return "a value of another kind";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class
        || type == short.class || type == Short.class || type == byte.class || type == Byte.class
        || type == java.math.BigInteger.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class || type == Float.class
        || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == java.time.Duration.class) {
      return "a duration such as 500ms, 2s, 5m or 1h";
    }
    if (type == String.class || type == char.class || type == Character.class) {
      return "a text value";
    }
    if (type.isEnum()) {
      return BindingModule.oneOf(type);
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type == java.nio.file.Path.class) {
      return "a path";
    }
    return "a mapping of settings";
  }

  private static ConfigProblem unknown(String k, String name, String owner, Collection<String> known,
      Collection<String> otherNames) {
    String description = "is not a setting of " + owner
        + (known.isEmpty() ? ", which takes no settings of its own" : "; known settings: " + String.join(", ", known));
    if (Suggestions.closest(name, known).isEmpty()) {
      Optional<String> hint = Suggestions.closest(name, otherNames);
      if (hint.isPresent()) {
        description += "; did you mean `" + hint.get() + "`?";
      }
    }
    return new ConfigProblem(k, description);
  }

  private static List<String> path(JsonMappingException e) {
    List<String> out = new ArrayList<>();
    for (JsonMappingException.Reference r : e.getPath()) {
      out.add(r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]");
    }
    return out;
  }

  private static String dotted(String key, List<String> path) {
    StringBuilder sb = new StringBuilder(key);
    for (String segment : path) {
      if (segment.startsWith("[") || sb.length() == 0) {
        sb.append(segment);
      } else {
        sb.append('.').append(segment);
      }
    }
    return sb.toString();
  }

  private static Object valueAt(Object node, List<String> path) {
    Object current = node;
    for (String segment : path) {
      if (current instanceof Map) {
        current = ((Map<?, ?>) current).get(segment);
      } else if (current instanceof List && segment.startsWith("[")) {
        int i = Integer.parseInt(segment.substring(1, segment.length() - 1));
        List<?> list = (List<?>) current;
        current = i < list.size() ? list.get(i) : null;
      } else {
        return null;
      }
    }
    return current;
  }

  private static boolean hasPath(Map<String, Object> root, List<String> path) {
    if (path.isEmpty()) {
      return true;
    }
    Object parent = valueAt(root, path.subList(0, path.size() - 1));
    return parent instanceof Map ? ((Map<?, ?>) parent).containsKey(path.get(path.size() - 1))
        : parent instanceof List;
  }

  /** Records each unknown key with the known ones (kebab-case, sorted) and skips its value. */
  private static final class UnknownKeys extends DeserializationProblemHandler {
    private final String key;
    private final String owner;
    private final Collection<String> otherNames;
    private final Map<String, ConfigProblem> problems;

    UnknownKeys(String key, String owner, Collection<String> otherNames, Map<String, ConfigProblem> problems) {
      this.key = key;
      this.owner = owner;
      this.otherNames = otherNames;
      this.problems = problems;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
        Object beanOrClass, String propertyName) throws IOException {
      List<String> path = new ArrayList<>();
      for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
        if (c.inArray()) {
          path.add(0, "[" + c.getCurrentIndex() + "]");
        } else if (c.getCurrentName() != null) {
          path.add(0, c.getCurrentName());
        }
      }
      if (path.isEmpty() || !path.get(path.size() - 1).equals(propertyName)) {
        path.add(propertyName);
      }
      String k = dotted(key, path);
      TreeSet<String> known = new TreeSet<>();
      Collection<Object> names = deserializer == null ? null : deserializer.getKnownPropertyNames();
      if (names != null) {
        names.forEach(n -> known.add(n.toString()));
      }
      problems.putIfAbsent(k, unknown(k, propertyName, owner, known, path.size() == 1 ? otherNames : List.of()));
      p.skipChildren();
      return true;
    }
  }
}
