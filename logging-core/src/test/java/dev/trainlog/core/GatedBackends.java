package dev.trainlog.core;

import dev.trainlog.core.internal.pipeline.Gate;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;

/**
 * The route for tests in other packages to the builder's package-private overload that takes a hand-made
 * {@link Gate}; users give a {@link SampleSpec} instead.
 */
public final class GatedBackends {

  private GatedBackends() {}

  /** {@code builder} with a backend whose records pass {@code gate}. */
  public static DispatcherBuilder add(DispatcherBuilder builder, String name, LogBackend backend, Gate gate,
      ChannelSettings settings) {
    return builder.backend(name, backend, gate, settings);
  }
}
