package dev.trainlog.core.internal.config;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;
import java.time.Clock;
import java.util.List;

/**
 * What a YAML configuration asks for, checked and with its backends made but nothing opened: the public
 * builder turns it into a dispatcher, so configuration never calls the facade.
 */
public record DispatcherPlan(RunInfo run, DispatcherSection dispatcher, SystemSection system, Clock clock,
    List<Backend> backends) {

  public DispatcherPlan {
    backends = List.copyOf(backends);
  }

  /** One backend to start: {@code sampling} is {@code sample} in words, for the start log line. */
  public record Backend(String name, String type, LogBackend backend, SampleSpec sample, ChannelSettings channel,
      String sampling) {}
}
