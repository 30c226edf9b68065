package dev.trainlog.core.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the YAML spelling of a setting enum ({@code durability}, {@code reduce}, ...) through the enum's public
 * {@code yamlName()}, so the API enums carry no parsing of their own for the config readers.
 */
public final class YamlNames {

  private YamlNames() {}

  /** The constant of {@code type} spelled {@code text}, or {@code null}. */
  public static <E extends Enum<E>> E parse(Class<E> type, Function<E, String> yamlName, String text) {
    for (E e : type.getEnumConstants()) {
      if (yamlName.apply(e).equals(text)) {
        return e;
      }
    }
    return null;
  }

  /** Every spelling of {@code type}, in declaration order, for "must be one of" messages. */
  public static <E extends Enum<E>> List<String> spellings(Class<E> type, Function<E, String> yamlName) {
    List<String> out = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      out.add(yamlName.apply(e));
    }
    return List.copyOf(out);
  }
}
