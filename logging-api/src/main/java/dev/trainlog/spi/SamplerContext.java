package dev.trainlog.spi;

import java.util.Map;

/** What a {@link SamplerProvider} gets: the {@code sample:} settings it was configured with. */
public interface SamplerContext {

  /** The dotted key of the {@code sample:} block, for messages, e.g. {@code backends.tb.sample}. */
  String key();

  /** The settings of the block except {@code type}, {@code reduce} and {@code overrides}. */
  Map<String, Object> settings();

  /** The settings bound to {@code type}, kebab-case keys to camelCase fields or record components, unknown keys refused. */
  <T> T config(Class<T> type);
}
