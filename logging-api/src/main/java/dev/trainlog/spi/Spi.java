package dev.trainlog.spi;

/**
 * The version of the plugin SPI. A provider returns {@code Spi.VERSION} from its {@code
 * spiVersion()}; the constant is compiled into the provider, so the core can tell which SPI the
 * provider was built against and refuse an incompatible one with a clear message.
 */
public final class Spi {

  /**
   * The SPI version this API implements: {@value}. Raised only for incompatible changes; 2 replaced {@code
   * BackendContext.config(Class)}, {@code rawConfig()} and {@code BackendProvider.configClass()} with {@link
   * BackendContext#settings()} and {@link BackendContext#env(String)}.
   */
  public static final int VERSION = 2;

  private Spi() {}
}
