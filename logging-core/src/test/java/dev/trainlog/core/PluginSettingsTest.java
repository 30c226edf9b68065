package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.BackendContext;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.BackendSettings;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.spi.Secret;
import dev.trainlog.spi.Spi;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin's settings from YAML to its provider: variables, every problem of every backend at once, SPI refusals. */
class PluginSettingsTest {

  @TempDir Path dir;

  /** What the last probe backend was given. */
  static final AtomicReference<String> SEEN = new AtomicReference<>();

  /** {@code type: probe}: reads a token (YAML, else PROBE_TOKEN), a timeout and a size; remembers the variables. */
  public static final class ProbeProvider implements BackendProvider {
    @Override
    public String type() {
      return "probe";
    }

    @Override
    public int spiVersion() {
      return Spi.VERSION;
    }

    @Override
    public LogBackend create(BackendContext context) {
      BackendSettings s = context.settings();
      Secret token = s.secret("token", "PROBE_TOKEN");
      Duration timeout = s.duration("timeout", Duration.ofSeconds(1));
      long max = s.size("max-size", 1);
      SEEN.set("token=" + (token == null ? null : token.reveal()) + " timeout=" + timeout + " max=" + max
          + " PATH=" + context.env("PATH") + " HOME=" + context.env("HOME"));
      return batch -> { };
    }
  }

  private String yaml(String... backends) {
    return YamlHeader.of("e", dir) + "backends:\n" + String.join("\n", backends) + "\n";
  }

  private static <T> T withPlugins(String resourceDir, Supplier<T> action) throws Exception {
    URL url = PluginSettingsTest.class.getResource(resourceDir);
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (URLClassLoader plugins = new URLClassLoader(new URL[] {url}, PluginSettingsTest.class.getClassLoader())) {
      thread.setContextClassLoader(plugins);
      return action.get();
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  @Test
  void envGivesTheVarsOfFromYamlBeforeTheProcessEnvironment() throws Exception {
    Path file = dir.resolve("trainlog.yaml");
    java.nio.file.Files.writeString(file, yaml("  p: {type: probe, timeout: 3s, max-size: 64MiB}"));

    withPlugins("/settings-plugins/", () -> {
      LogDispatcher.fromYaml(file, Map.of("PROBE_TOKEN", "from-vars", "PATH", "/vars/bin")).close();
      return null;
    });

    assertThat(SEEN.get()).isEqualTo("token=from-vars timeout=PT3S max=67108864 PATH=/vars/bin HOME="
        + System.getenv("HOME"));
  }

  @Test
  void aBackendMadeByTypeInTheBuilderReadsTheBuildersVarsBeforeTheProcessEnvironment() throws Exception {
    SEEN.set(null);
    withPlugins("/settings-plugins/", () -> {
      LogDispatcher.builder(dev.trainlog.testkit.TestRecords.run("e", "built"))
          .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false)
          .vars(Map.of("PROBE_TOKEN", "from-vars", "PATH", "/vars/bin"))
          .backend("p", "probe", Map.of("timeout", "3s", "max-size", "64MiB"), SampleSpec.always(),
              ChannelSettings.defaults())
          .build().close();
      return null;
    });

    assertThat(SEEN.get()).isEqualTo("token=from-vars timeout=PT3S max=67108864 PATH=/vars/bin HOME="
        + System.getenv("HOME"));
  }

  @Test
  void everyProblemOfEveryBackendIsReportedAtOnceInLineOrder() throws Exception {
    String yaml = yaml(
        "  p:",
        "    type: probe",
        "    timeout: 0s",
        "    max-size: huge",
        "  j: {type: jsonl, pth: x.jsonl}",
        "  c: {type: console, target: printer, sample: {every: -1}}");

    assertThatThrownBy(() -> withPlugins("/settings-plugins/", () -> LogDispatcher.fromYaml(yaml, "trainlog.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("5 problems in the TrainLog configuration:\n"
            + "  - `backends.p.timeout` was '0s' but it must be a positive duration such as 500ms, 2s or 5m "
            + "(trainlog.yaml:9)\n"
            + "  - `backends.p.max-size` was 'huge' but it must be a positive size such as 512KB, 64MiB or 2GiB "
            + "(trainlog.yaml:10)\n"
            + "  - `backends.j.pth` is not a setting of backend type 'jsonl'; did you mean `path`? (trainlog.yaml:11)\n"
            + "  - `backends.c.sample.every` was '-1' but it must be a positive integer (trainlog.yaml:12)\n"
            + "  - `backends.c.target` was 'printer' but it must be one of stdout, stderr (trainlog.yaml:12)");
  }

  @Test
  void pluginsBuiltForSpiOneAreRefusedByNameWithBothVersions() throws Exception {
    String yaml = yaml(
        "  a: {type: old}",
        "  b: {type: jsonl, path: " + dir.resolve("b.jsonl") + ", sample: {type: old-sampler}}");

    assertThatThrownBy(() -> withPlugins("/config/plugins/", () -> LogDispatcher.fromYaml(yaml, "trainlog.yaml")))
        .hasMessage("2 problems in the TrainLog configuration:\n"
            + "  - `backends.a.type` cannot be used: backend provider "
            + "dev.trainlog.core.internal.discovery.TestProviders$SpiOneProvider (type 'old') was built for TrainLog SPI 1, "
            + "but this trainlog-core implements SPI 2; use a version of that plugin built for SPI 2 (trainlog.yaml:7)\n"
            + "  - `backends.b.sample.type` cannot be used: sampler provider "
            + "dev.trainlog.core.internal.discovery.TestProviders$SpiOneSamplerProvider (type 'old-sampler') was built for "
            + "TrainLog SPI 1, but this trainlog-core implements SPI 2; use a version of that plugin built for SPI 2 "
            + "(trainlog.yaml:8)");
  }
}
