package dev.trainlog.spi;

import java.util.Map;

/** What a {@link SamplerProvider} gets: the {@code sample:} settings it was configured with. */
public interface SamplerContext {

  /** The dotted key of the {@code sample:} block, for messages, e.g. {@code backends.tb.sample}. */
  String key();

  /** The settings of the block except {@code type}, {@code reduce} and {@code overrides}. */
  Map<String, Object> settings();

  /**
   * The settings as the same typed view backends read theirs through: every bad value and every key the
   * provider never reads is reported at once, with file and line, after {@link SamplerProvider#create}
   * returns; a provider does not throw for bad settings itself. The core's implementation overrides this.
   */
  default BackendSettings settingsView() {
    throw new UnsupportedOperationException("this SamplerContext has no settings view; read settings()");
  }

  /**
   * The settings bound to {@code type}, kebab-case keys to camelCase fields or record components, unknown keys
   * refused.
   *
   * @deprecated stops at the first problem and gives no file and line; read through {@link #settingsView()},
   *     which reports every problem at once. Kept so that providers built for SPI 2 still work.
   */
  @Deprecated
  <T> T config(Class<T> type);
}
