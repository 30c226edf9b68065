package dev.trainlog.spi;

/**
 * Creates samplers of one type, for rules the built-in ones do not cover. Users select it with
 * {@code sample: {type: <type>, ...}}; register with {@code @AutoService(SamplerProvider.class)}.
 */
public interface SamplerProvider {

  /** The name used as {@code sample.type} in YAML. */
  String type();

  /** Return {@link Spi#VERSION}. */
  int spiVersion();

  /** A new sampler for one backend (or one key pattern); never shared between backends' workers. */
  Sampler create(SamplerContext context);
}
