package dev.trainlog.spi;

/**
 * Creates backends of one type. Implementations are found with {@link java.util.ServiceLoader}
 * (register with {@code @AutoService(BackendProvider.class)}) and are only asked to create the
 * backends that the configuration names.
 */
public interface BackendProvider {

  /** The name users write as {@code type:} in YAML, e.g. {@code mongodb}; lower case, no spaces. */
  String type();

  /** Return {@link Spi#VERSION}: the constant is compiled in and tells the core your SPI version. */
  int spiVersion();

  /**
   * Creates (but does not open) a backend, reading its settings through {@link BackendContext#settings()}.
   * Bad settings are recorded there, not thrown: the core reports every problem of every backend together
   * after this returns (and ignores what this returns or throws when the settings had problems).
   */
  LogBackend create(BackendContext context) throws Exception;
}
