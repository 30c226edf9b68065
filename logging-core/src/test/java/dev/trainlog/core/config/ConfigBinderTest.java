package dev.trainlog.core.config;

import static dev.trainlog.core.config.ConfigLoaderTest.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.core.pipeline.OnFull;
import dev.trainlog.spi.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {

  /** A record config, as most backends write theirs. */
  record TensorBoardSettings(Path logDir, int flushEvery, Duration maxWait, boolean writeHparams, OnFull mode) {}

  /** A plain class with a public field and a setter, as older plugins write theirs. */
  public static class MongoSettings {
    public String uri;
    public String database;
    private String collection = "experiments";
    private Duration serverSelectionTimeout = Duration.ofSeconds(30);

    public void setCollection(String collection) {
      this.collection = collection;
    }

    public void setServerSelectionTimeout(Duration serverSelectionTimeout) {
      this.serverSelectionTimeout = serverSelectionTimeout;
    }
  }

  record Validated(int port) {
    Validated {
      if (port > 65535) {
        throw new IllegalArgumentException("port must be at most 65535 but was " + port);
      }
    }
  }

  /** A backend config that declares a key the core keeps for every backend's channel and sampling. */
  record Shadowing(String uri, Integer batchSize, String sample) {}

  /** The same in a plain class, through a setter. */
  public static class ShadowingBean {
    private int queueCapacity;

    public void setQueueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
    }
  }

  private static BackendSection backend(String yaml, Map<String, String> env) {
    return loader(env).load("run: {experiment: e}\nbackends:\n" + yaml, "trainlog.yaml").backends().get(0);
  }

  @Test
  void aRecordBindsFromKebabCaseKeysWithDurationsAndEnums() {
    BackendSection tb = backend("  tb:\n    type: tensorboard\n    log-dir: runs/a\n    flush-every: 10\n"
        + "    max-wait: 2s\n    write-hparams: true\n    mode: block\n    sample: {every: 1}\n", Map.of());
    TensorBoardSettings s = tb.bind(TensorBoardSettings.class);
    assertThat(s).isEqualTo(new TensorBoardSettings(Path.of("runs/a"), 10, Duration.ofSeconds(2), true,
        OnFull.BLOCK));
  }

  @Test
  void aConfigClassDeclaringAKeyTheCoreTakesIsRefusedByName() {
    // the YAML sets batch-size, but for the channel: the backend's own batchSize could never be set
    BackendSection section = backend("  db:\n    type: mongodb\n    uri: mongodb://h\n    batch-size: 1000\n", Map.of());
    assertThat(section.channel().batchSize()).isEqualTo(1000);

    assertThatThrownBy(() -> section.bind(Shadowing.class)).isInstanceOf(IllegalStateException.class)
        .hasMessage(Shadowing.class.getName() + " declares batch-size, sample: TrainLog reads keys of that name for"
            + " every backend (channel and sampling settings), so YAML can never set them there; rename them");
    assertThatThrownBy(() -> section.bind(ShadowingBean.class)).hasMessageStartingWith(
        ShadowingBean.class.getName() + " declares queue-capacity: ");
  }

  @Test
  void aPlainClassBindsThroughPublicFieldsAndSetters() {
    BackendSection mongo = backend("  mongo:\n    type: mongodb\n    uri: mongodb://localhost\n    database: logs\n"
        + "    server-selection-timeout: 1500\n", Map.of());
    MongoSettings s = mongo.bind(MongoSettings.class);
    assertThat(s.uri).isEqualTo("mongodb://localhost");
    assertThat(s.database).isEqualTo("logs");
    assertThat(s.collection).isEqualTo("experiments");
    assertThat(s.serverSelectionTimeout).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void anUnknownKeyListsTheKnownSettingsSorted() {
    BackendSection mongo = backend("  mongo:\n    type: mongodb\n    uri: mongodb://localhost\n    colection: x\n",
        Map.of());
    assertThatThrownBy(() -> mongo.bind(Mongo.class))
        .isInstanceOf(ConfigException.class)
        .hasMessage("`backends.mongo.colection` is not a setting of backend type 'mongodb'; known settings: "
            + "collection, database, uri (trainlog.yaml:6)");
  }

  record Mongo(String uri, String database, String collection) {}

  @Test
  void aWrongTypeNamesTheValueAndWhatIsExpected() {
    BackendSection tb = backend("  tb: {type: tensorboard, flush-every: abc}\n", Map.of());
    assertThatThrownBy(() -> tb.bind(TensorBoardSettings.class))
        .hasMessage("`backends.tb.flush-every` was 'abc' but it must be an integer (trainlog.yaml:3)");
  }

  @Test
  void everyBindingProblemIsReportedAtOnce() {
    BackendSection tb = backend("  tb:\n    type: tensorboard\n    flush-every: 1.5\n    max-wait: soon\n"
        + "    write-hparams: 1\n    mode: sideways\n    log-dri: x\n", Map.of());
    assertThatThrownBy(() -> tb.bind(TensorBoardSettings.class))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(Object::toString)
            .containsExactlyInAnyOrder(
                "`backends.tb.log-dri` is not a setting of backend type 'tensorboard'; known settings: flush-every, "
                    + "log-dir, max-wait, mode, write-hparams (trainlog.yaml:9)",
                "`backends.tb.flush-every` was '1.5' but it must be an integer (trainlog.yaml:5)",
                "`backends.tb.max-wait` was 'soon' but it must be a duration such as 500ms, 2s, 5m or 1h "
                    + "(trainlog.yaml:6)",
                "`backends.tb.write-hparams` was '1' but it must be true or false (trainlog.yaml:7)",
                "`backends.tb.mode` was 'sideways' but it must be one of drop-oldest, block "
                    + "(trainlog.yaml:8)"));
  }

  @Test
  void expandedNumberStringsBindAsNumbers() {
    BackendSection tb = backend("  tb: {type: tensorboard, flush-every: \"${EVERY:-25}\", write-hparams: \"${H}\"}\n",
        Map.of("H", "true"));
    TensorBoardSettings s = tb.bind(TensorBoardSettings.class);
    assertThat(s.flushEvery()).isEqualTo(25);
    assertThat(s.writeHparams()).isTrue();
  }

  @Test
  void voidBindsToNullAndRefusesEveryKey() {
    assertThat(backend("  c: {type: console}\n", Map.of()).bind(Void.class)).isNull();
    BackendSection c = backend("  c: {type: console, colour: true, batch-sise: 3}\n", Map.of());
    assertThatThrownBy(() -> c.bind(Void.class))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(Object::toString)
            .containsExactly(
                "`backends.c.colour` is not a setting of backend type 'console', which takes no settings of its own "
                    + "(trainlog.yaml:3)",
                "`backends.c.batch-sise` is not a setting of backend type 'console', which takes no settings of its "
                    + "own; did you mean `batch-size`? (trainlog.yaml:3)"));
  }

  @Test
  void aConstructorRefusalBecomesAProblemOfTheBackend() {
    BackendSection b = backend("  x: {type: x, port: 70000}\n", Map.of());
    assertThatThrownBy(() -> b.bind(Validated.class))
        .hasMessage("`backends.x` is not valid: port must be at most 65535 but was 70000 (trainlog.yaml:3)");
  }

  @Test
  void bindingWorksWithoutYamlForOtherPackages() {
    Map<String, Object> values = Map.of("every", "10");
    record Every(int every) {}
    assertThat(ConfigBinder.bind(values, Every.class, "backends.tb.sample", "sampler type 'every'"))
        .isEqualTo(new Every(10));
    assertThatThrownBy(() -> ConfigBinder.bind(Map.of("evry", 1), Every.class, "backends.tb.sample",
        "sampler type 'every'"))
        .hasMessage("`backends.tb.sample.evry` is not a setting of sampler type 'every'; known settings: every");
  }

  @Test
  void nestedSettingsBindAndReportTheirFullKey() {
    record Vectors(String mode, List<String> keys) {}
    record Nested(Vectors vectors) {}
    BackendSection b = backend("  x:\n    type: x\n    vectors:\n      mode: summary\n      keys: [a, b]\n", Map.of());
    assertThat(b.bind(Nested.class)).isEqualTo(new Nested(new Vectors("summary", List.of("a", "b"))));
    BackendSection bad = backend("  x:\n    type: x\n    vectors:\n      mdoe: summary\n", Map.of());
    assertThatThrownBy(() -> bad.bind(Nested.class))
        .hasMessage("`backends.x.vectors.mdoe` is not a setting of backend type 'x'; known settings: keys, mode "
            + "(trainlog.yaml:6)");
  }
}
