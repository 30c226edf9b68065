package dev.trainlog.core.internal.discovery;

import dev.trainlog.spi.BackendContext;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.spi.Sampler;
import dev.trainlog.spi.SamplerContext;
import dev.trainlog.spi.SamplerProvider;
import dev.trainlog.spi.Spi;

/** Providers registered in {@code config/plugins/META-INF/services} for the discovery tests. */
final class TestProviders {

  private TestProviders() {}

  /** A provider of any type built for the current SPI. */
  static class Backend implements BackendProvider {
    private final String type;

    Backend(String type) {
      this.type = type;
    }

    @Override
    public String type() {
      return type;
    }

    @Override
    public int spiVersion() {
      return Spi.VERSION;
    }

    @Override
    public LogBackend create(BackendContext context) {
      return batch -> { };
    }
  }

  public static final class GoodProvider extends Backend {
    public GoodProvider() {
      super("good");
    }
  }

  /** A backend plugin built for SPI 1, before settings views. */
  public static final class SpiOneProvider extends Backend {
    public SpiOneProvider() {
      super("old");
    }

    @Override
    public int spiVersion() {
      return 1;
    }
  }

  public static final class FirstDupProvider extends Backend {
    public FirstDupProvider() {
      super("dup");
    }
  }

  public static final class SecondDupProvider extends Backend {
    public SecondDupProvider() {
      super("dup");
    }
  }

  public static final class EveryOtherSamplerProvider implements SamplerProvider {
    @Override
    public String type() {
      return "every-other";
    }

    @Override
    public int spiVersion() {
      return Spi.VERSION;
    }

    @Override
    public Sampler create(SamplerContext context) {
      return (step, timestampMillis) -> step % 2 == 0;
    }
  }

  /** A sampler plugin built for SPI 1. */
  public static final class SpiOneSamplerProvider implements SamplerProvider {
    @Override
    public String type() {
      return "old-sampler";
    }

    @Override
    public int spiVersion() {
      return 1;
    }

    @Override
    public Sampler create(SamplerContext context) {
      return (step, timestampMillis) -> true;
    }
  }
}
