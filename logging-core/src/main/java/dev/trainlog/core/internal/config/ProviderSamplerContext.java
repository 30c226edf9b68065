package dev.trainlog.core.internal.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.trainlog.spi.BackendSettings;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.SamplerContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The {@link SamplerContext} a provider's {@code create} receives: the {@code sample:} block minus the
 * keys the core reads itself ({@code type}, {@code first}, {@code reduce}, {@code overrides}, {@code
 * non-finite}), read through a {@link SettingsView} as backends' settings are (or, deprecated, bound to a
 * class with Jackson, which stops at the first problem).
 */
final class ProviderSamplerContext implements SamplerContext {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final String key;
  private final String type;
  private final Map<String, Object> settings;
  private SettingsView view;

  ProviderSamplerContext(String key, String type, Map<String, Object> settings) {
    this.key = key;
    this.type = type;
    this.settings = Collections.unmodifiableMap(settings);
  }

  /** One view for every {@code create}, so the keys read are remembered across them. */
  @Override
  public synchronized BackendSettings settingsView() {
    if (view == null) {
      view = SettingsView.of(key, settings, "sampler type '" + type + "'", System::getenv,
          SampleSpecParser.CORE_KEYS);
    }
    return view;
  }

  /** What the provider's reads through {@link #settingsView()} found wrong, unknown keys included; none if unused. */
  synchronized List<ConfigProblem> viewProblems() {
    return view == null ? List.of() : view.problems();
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public Map<String, Object> settings() {
    return settings;
  }

  @Override
  @Deprecated
  public <T> T config(Class<T> type) {
    try {
      return MAPPER.treeToValue(MAPPER.valueToTree(settings), type);
    } catch (UnrecognizedPropertyException e) {
      List<String> known = new ArrayList<>();
      e.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
      Collections.sort(known);
      throw new ConfigException(SampleSpecParser.unknownKey(path(e), e.getPropertyName(), known));
    } catch (MismatchedInputException e) {
      String path = path(e);
      Object value = valueAt(e.getPath());
      throw new ConfigException(ConfigProblem.invalid(path, value, describe(e.getTargetType())));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new ConfigException(new ConfigProblem(key, "could not be read as " + type.getSimpleName() + ": "
          + (e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage())));
    }
  }

  private String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder(key);
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append('.').append(r.getFieldName());
      } else {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private Object valueAt(List<JsonMappingException.Reference> path) {
    Object current = settings;
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null && current instanceof Map) {
        current = ((Map<?, ?>) current).get(r.getFieldName());
      } else if (r.getFieldName() == null && current instanceof List && r.getIndex() < ((List<?>) current).size()) {
        current = ((List<?>) current).get(r.getIndex());
      } else {
        return null;
      }
    }
    return current;
  }

  private static String describe(Class<?> target) {
    if (target == null) {
      return "a value of another type";
    }
    if (target == int.class || target == Integer.class || target == long.class || target == Long.class
        || target == short.class || target == Short.class) {
      return "an integer";
    }
    if (target == double.class || target == Double.class || target == float.class || target == Float.class) {
      return "a number";
    }
    if (target == boolean.class || target == Boolean.class) {
      return "true or false";
    }
    if (target == String.class) {
      return "a text";
    }
    if (target.isEnum()) {
      List<String> names = new ArrayList<>();
      for (Object c : target.getEnumConstants()) {
        names.add(c.toString());
      }
      return "one of " + String.join(", ", names);
    }
    return "a " + target.getSimpleName();
  }
}
