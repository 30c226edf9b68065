package dev.trainlog.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.DispatcherDefaults;
import dev.trainlog.core.spec.Durability;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.core.spec.StepRegressionPolicy;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import java.io.ByteArrayInputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-14T09:26:53Z"), ZoneOffset.UTC);

  static ConfigLoader loader(Map<String, String> env) {
    return ConfigLoader.builder().env(env).clock(CLOCK).hostName("test-host").build();
  }

  static Path resource(String name) throws URISyntaxException {
    return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
  }

  static List<String> messages(ConfigException e) {
    return e.problems().stream().map(ConfigProblem::message).toList();
  }

  static ConfigException failure(String yaml, Map<String, String> env) {
    try {
      loader(env).load(yaml, "trainlog.yaml");
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void loadsEveryValueOfAFullConfiguration() throws Exception {
    TrainLogConfig config = loader(Map.of()).load(resource("full.yaml"));

    RunSection run = config.run();
    assertThat(run.experiment()).isEqualTo("sd-lora-anime-v4");
    assertThat(run.name()).isEqualTo("rank64-lr1e-4");
    assertThat(run.id()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(run.rank()).isEqualTo(1);
    assertThat(run.worldSize()).isEqualTo(4);
    assertThat(run.node()).isEqualTo("gpu-node-1");
    assertThat(run.tags()).containsExactly(Map.entry("team", "vision"), Map.entry("version", "4"));
    assertThat(run.config()).containsEntry("model", "SDXL").containsEntry("lora_rank", 64)
        .containsEntry("hf_token", "hf_abcdef");
    assertThat(run.config().get("optimizer")).isEqualTo(Map.of("name", "adamw", "lr", 1.0e-4));

    DispatcherSection d = config.dispatcher();
    assertThat(d.journalDir()).as("the deprecated spool-dir, read as journal-dir").isEqualTo(Path.of("/tmp/trainlog/spool"));
    assertThat(d.durability()).isEqualTo(Durability.PROCESS);
    assertThat(d.deadLetterDir()).isEqualTo(Path.of("/tmp/trainlog/dead"));
    assertThat(d.shutdownHook()).isFalse();
    assertThat(d.onStepRegression()).isEqualTo(StepRegressionPolicy.REJECT);
    assertThat(d.closeTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.source().name()).endsWith("full.yaml");
  }

  @Test
  void backendsInheritDefaultsAndOverrideThemInYamlOrderWithoutDisabledOnes() throws Exception {
    TrainLogConfig config = loader(Map.of()).load(resource("full.yaml"));

    assertThat(config.backends()).extracting(BackendSection::name).containsExactly("tb", "mongo", "jsonl");
    BackendSection tb = config.backends().get(0);
    assertThat(tb.type()).isEqualTo("tensorboard");
    assertThat(tb.key()).isEqualTo("backends.tb");
    ChannelSettings c = tb.channel();
    assertThat(c.batchSize()).isEqualTo(64);
    assertThat(c.flushInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.onFull()).as("the deprecated on-overflow: drop-oldest").isEqualTo(OnFull.DROP_OLDEST);
    assertThat(c.retryInitialBackoff()).isEqualTo(Duration.ofMillis(50));
    assertThat(c.retryMaxBackoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(tb.sample()).isEqualTo(Map.of("every", 5));
    assertThat(tb.include()).isEmpty();
    assertThat(tb.exclude()).containsExactly("debug/*");
    assertThat(tb.settings()).containsExactly(Map.entry("log-dir", "runs"));

    BackendSection mongo = config.backends().get(1);
    assertThat(mongo.channel().batchSize()).isEqualTo(256);
    assertThat(mongo.channel().onFull()).as("the deprecated on-overflow: block").isEqualTo(OnFull.BLOCK);
    assertThat(mongo.sample()).isEqualTo(Map.of("every", 10, "reduce", "mean"));
    assertThat(mongo.include()).containsExactly("loss", "eval/*");
    assertThat(mongo.settings()).containsExactly(Map.entry("uri", "mongodb://localhost:27017"),
        Map.entry("database", "ai_training_logs"));

    BackendSection jsonl = config.backends().get(2);
    assertThat(jsonl.sample()).isEqualTo("every-100");
    assertThat(jsonl.exclude()).isEmpty();
  }

  @Test
  void aBackendSampleOfAnotherTypeReplacesTheDefaultRuleAndInheritsItsReduce() {
    String yaml = "run: {experiment: e}\ndefaults: {sample: {every: 100, reduce: mean}}\n"
        + "backends:\n  a: {type: x, sample: {type: time, interval: 5s}}\n  b: {type: x}\n";
    TrainLogConfig config = loader(Map.of()).load(yaml, "t.yaml");
    assertThat(config.backends().get(0).sample()).isEqualTo(Map.of("type", "time", "interval", "5s", "reduce", "mean"));
    assertThat(config.backends().get(1).sample()).isEqualTo(Map.of("every", 100, "reduce", "mean"));
  }

  @Test
  void everyDefaultIsUsedWhenNothingIsConfigured() {
    TrainLogConfig config = loader(Map.of()).load("run: {experiment: sd-lora}\nbackends:\n  tb: {type: tensorboard}\n",
        "trainlog.yaml");
    assertThat(config.dispatcher()).usingRecursiveComparison().isEqualTo(DispatcherSection.defaults());
    assertThat(config.backends().get(0).channel()).usingRecursiveComparison().isEqualTo(ChannelSettings.defaults());
    assertThat(config.backends().get(0).sample()).isNull();
    assertThat(config.run().name()).isEqualTo("sd-lora-20260314-092653");
    assertThat(config.run().id()).matches("[0-9a-f]{32}");
    assertThat(config.run().rank()).isZero();
    assertThat(config.run().worldSize()).isEqualTo(1);
    assertThat(config.run().node()).isEqualTo("test-host");
    assertThat(config.run().tags()).isEmpty();
    assertThat(config.run().config()).isEmpty();
  }

  @Test
  void dispatcherDefaultsArePinned() {
    assertThat(DispatcherDefaults.JOURNAL_DIR).isEqualTo(Path.of(".trainlog/journal"));
    assertThat(DispatcherDefaults.DURABILITY).isEqualTo(Durability.PROCESS);
    assertThat(DispatcherDefaults.FSYNC_INTERVAL).isEqualTo(Duration.ofSeconds(1));
    assertThat(DispatcherDefaults.JOURNAL_MAX_SIZE).isEqualTo(2L * 1024 * 1024 * 1024);
    assertThat(DispatcherDefaults.ON_FULL).isEqualTo(OnFull.DROP_OLDEST);
    assertThat(DispatcherDefaults.DEAD_LETTER_DIR).isEqualTo(Path.of(".trainlog/dead-letter"));
    assertThat(DispatcherDefaults.SHUTDOWN_HOOK).isTrue();
    assertThat(DispatcherDefaults.ON_STEP_REGRESSION).isEqualTo(StepRegressionPolicy.WARN);
    assertThat(DispatcherDefaults.CLOSE_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void runIdentityComesFromTheEnvironmentWhenNotConfigured() {
    Map<String, String> env = Map.of("TRAINLOG_RUN_ID", "run-42", "RANK", "3", "WORLD_SIZE", "8",
        "TRAINLOG_NODE", "node-7");
    RunSection run = loader(env).load("run: {experiment: e}\n", "trainlog.yaml").run();
    assertThat(run.id()).isEqualTo("run-42");
    assertThat(run.rank()).isEqualTo(3);
    assertThat(run.worldSize()).isEqualTo(8);
    assertThat(run.node()).isEqualTo("node-7");
  }

  @Test
  void aRankOutsideTheWorldIsAProblem() {
    ConfigException e = failure("run:\n  experiment: e\n  rank: 2\n  world-size: 2\n", Map.of());
    assertThat(e).hasMessage("`run.rank` was '2' but it must be less than run.world-size (2) (trainlog.yaml:3)");
    ConfigException fromEnv = failure("run: {experiment: e}\n", Map.of("RANK", "x"));
    assertThat(fromEnv).hasMessage("`run.rank` is not set and environment variable RANK was 'x' but it must be a "
        + "non-negative integer (trainlog.yaml:1)");
  }

  @Test
  void toRunInfoRedactsSecretsOfTheConfigSnapshot() throws Exception {
    RunSection run = loader(Map.of()).load(resource("full.yaml")).run();
    var info = run.toRunInfo(1234L);
    assertThat(info.config()).containsEntry("hf_token", "****").containsEntry("model", "SDXL");
    assertThat(info.startTimeMillis()).isEqualTo(1234L);
    assertThat(info.runId()).isEqualTo(run.id());
    assertThat(info.rank()).isEqualTo(1);
    assertThat(run.config()).containsEntry("hf_token", "hf_abcdef");
  }

  @Test
  void reportsEveryProblemAtOnceEachWithItsLine() throws Exception {
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> loader(Map.of()).load(resource("four-mistakes.yaml")));
    String file = resource("four-mistakes.yaml").toString();
    assertThat(messages(e)).containsExactly(
        "`run.experiment` is required (" + file + ":1)",
        "`defaults.batch-sise` is not a TrainLog setting; did you mean `batch-size`? (" + file + ":4)",
        "`backends.mongo.on-overflow` was 'drop' but it must be one of spill, block, drop-newest, drop-oldest ("
            + file + ":8)",
        "`backends.mongo.batch-size` was '-3' but it must be a positive integer (" + file + ":9)");
    assertThat(e.getMessage()).startsWith("4 problems in the TrainLog configuration:\n  - `run.experiment`");
  }

  @Test
  void problemsNameTheFileAsGiven() {
    String yaml = "run:\n  experiment: e\nbackends:\n  mongo:\n    type: mongodb\n    batch-size: -3\n";
    assertThat(failure(yaml, Map.of()))
        .hasMessage("`backends.mongo.batch-size` was '-3' but it must be a positive integer (trainlog.yaml:6)");
  }

  @Test
  void unknownTopLevelKeysAreSuggestedOnlyWhenClose() {
    ConfigException e = failure("run: {experiment: e}\nbackend: {}\nfrobnicate: 1\ndispatcher: {jounal-dir: x}\n",
        Map.of());
    assertThat(messages(e)).containsExactly(
        "`backend` is not a TrainLog setting; did you mean `backends`? (trainlog.yaml:2)",
        "`frobnicate` is not a TrainLog setting (trainlog.yaml:3)",
        "`dispatcher.jounal-dir` is not a TrainLog setting; did you mean `journal-dir`? (trainlog.yaml:4)");
  }

  @Test
  void badDispatcherAndChannelValuesAreReported() {
    String yaml = "run: {experiment: e}\n"
        + "dispatcher:\n  on-step-regression: ignore\n  close-timeout: soon\n  shutdown-hook: maybe\n"
        + "defaults:\n  flush-interval: 0s\n  retry-initial-backoff: 5s\n  retry-max-backoff: 1s\n"
        + "  queue-capacity: 1.5\n";
    assertThat(messages(failure(yaml, Map.of()))).containsExactly(
        "`dispatcher.on-step-regression` was 'ignore' but it must be one of accept, warn, reject (trainlog.yaml:3)",
        "`dispatcher.close-timeout` was 'soon' but it must be a positive duration such as 500ms, 2s or 5m "
            + "(trainlog.yaml:4)",
        "`dispatcher.shutdown-hook` was 'maybe' but it must be true or false (trainlog.yaml:5)",
        "`defaults.flush-interval` was '0s' but it must be a positive duration such as 500ms, 2s or 5m "
            + "(trainlog.yaml:7)",
        "`defaults.retry-max-backoff` was '1s' but it must be at least retry-initial-backoff (5s) (trainlog.yaml:9)",
        "`defaults.queue-capacity` was '1.5' but it must be a positive integer (trainlog.yaml:10)");
  }

  @Test
  void durationsAcceptEveryDocumentedSpelling() {
    String yaml = "run: {experiment: e}\nbackends:\n"
        + "  a: {type: x, flush-interval: 250ms}\n  b: {type: x, flush-interval: PT3S}\n"
        + "  c: {type: x, flush-interval: 1500}\n  d: {type: x, flush-interval: 2h}\n";
    List<BackendSection> b = loader(Map.of()).load(yaml, "t.yaml").backends();
    assertThat(b).extracting(s -> s.channel().flushInterval()).containsExactly(Duration.ofMillis(250),
        Duration.ofSeconds(3), Duration.ofMillis(1500), Duration.ofHours(2));
  }

  @Test
  void aDurationFromAVariableMayBeANumberOfMilliseconds() {
    String yaml = "run: {experiment: e}\ndispatcher: {close-timeout: \"${CT}\"}\n"
        + "backends:\n  a: {type: x, flush-interval: \"${FI}\", server-selection-timeout: \"${SST}\"}\n";
    TrainLogConfig config = loader(Map.of("CT", "2000", "FI", "1500", "SST", "250")).load(yaml, "t.yaml");
    assertThat(config.dispatcher().closeTimeout()).isEqualTo(Duration.ofSeconds(2));
    BackendSection a = config.backends().get(0);
    assertThat(a.channel().flushInterval()).isEqualTo(Duration.ofMillis(1500));
    assertThat(settings(a).duration("server-selection-timeout", null)).isEqualTo(Duration.ofMillis(250));
  }

  private static SettingsView settings(BackendSection b) {
    return SettingsView.of(b.key(), b.settings());
  }

  @Test
  void aDurationMustBeAWholeNumberOfMillisecondsOrADurationString() {
    String yaml = "run: {experiment: e}\ndispatcher: {close-timeout: 1.5}\n"
        + "backends:\n  a: {type: x, flush-interval: \"-5\"}\n";
    assertThat(messages(failure(yaml, Map.of()))).containsExactly(
        "`dispatcher.close-timeout` was '1.5' but it must be a positive duration such as 500ms, 2s or 5m "
            + "(trainlog.yaml:2)",
        "`backends.a.flush-interval` was '-5' but it must be a positive duration such as 500ms, 2s or 5m "
            + "(trainlog.yaml:4)");

    BackendSection a = loader(Map.of()).load("run: {experiment: e}\nbackends:\n"
        + "  a: {type: x, server-selection-timeout: 99999999999999999999}\n", "t.yaml").backends().get(0);
    SettingsView view = settings(a);
    view.duration("server-selection-timeout", Duration.ofSeconds(5));
    assertThat(a.source().locateAll(view.problems())).extracting(ConfigProblem::message).containsExactly(
        "`backends.a.server-selection-timeout` was '99999999999999999999' but it must be a positive duration such "
            + "as 500ms, 2s or 5m (t.yaml:3)");
  }

  @Test
  void aBackendWithoutTypeOrAsAScalarIsReported() {
    String yaml = "run: {experiment: e}\nbackends:\n  a: {log-dir: runs}\n  b: nothing\n  c d: {type: x}\n";
    assertThat(messages(failure(yaml, Map.of()))).containsExactly(
        "`backends.a.type` is required (trainlog.yaml:3)",
        "`backends.b` was 'nothing' but it must be a mapping with at least a type (trainlog.yaml:4)",
        "`backends.c d` is not a valid backend name; use letters, digits, '-' and '_' (trainlog.yaml:5)");
  }

  @Test
  void aKeySetTwiceIsReported() {
    ConfigException e = failure("run:\n  experiment: a\n  experiment: b\n", Map.of());
    assertThat(e).hasMessage("`run.experiment` is set twice; the first value is on line 2 (trainlog.yaml:3)");
  }

  @Test
  void aTabIndentIsReportedAtTheLineTheMessageNames() {
    String yaml = "run:\n  experiment: e\nbackends:\n  a:\n    type: jsonl\n    path: x\n  b:\n    type: jsonl\n"
        + "\tpath: y\n";

    assertThatThrownBy(() -> loader(Map.of()).load(yaml, "trainlog.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("trainlog.yaml:9:1: the YAML is malformed (in or after `backends.b.type`): while scanning for the next token; found character "
            + "'\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation) at line 9, column 1");
  }

  @Test
  void malformedYamlNamesFileLineColumnAndReason() throws Exception {
    Path file = resource("malformed.yaml");
    assertThatThrownBy(() -> loader(Map.of()).load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ":5:8: the YAML is malformed (in or after `backends.tb.type`): while parsing a flow mapping at line 4, column 7; "
            + "expected ',' or '}', but got : at line 5, column 8");
  }

  @Test
  void aTopLevelThatIsNotAMappingIsRefused() {
    assertThatThrownBy(() -> loader(Map.of()).load("- a\n- b\n", "list.yaml"))
        .hasMessage("list.yaml:1: a TrainLog configuration must be a mapping with the sections run, dispatcher, "
            + "defaults and backends");
  }

  @Test
  void anUnreadableFileIsNamedWithTheReason(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> loader(Map.of()).load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cannot read the TrainLog configuration " + missing + ": the file does not exist");
    assertThatThrownBy(() -> loader(Map.of()).load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cannot read the TrainLog configuration " + dir + ": ");
  }

  @Test
  void loadsFromAStreamUnderTheGivenSourceName() {
    var in = new ByteArrayInputStream("run: {experiment: e}\nbackends: {a: {type: x, batch-size: 0}}\n"
        .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> loader(Map.of()).load(in, "classpath:trainlog.yaml"))
        .hasMessage("`backends.a.batch-size` was '0' but it must be a positive integer (classpath:trainlog.yaml:2)");
  }

  @Test
  void anEmptyDocumentOnlyLacksTheExperiment() {
    assertThat(failure("", Map.of())).hasMessage("`run.experiment` is required (trainlog.yaml:1)");
  }
}

class JournalSettingsTest {

  private static TrainLogConfig load(String yaml) {
    return ConfigLoader.builder().env(Map.of()).build().load(yaml, "t.yaml");
  }

  @Test
  void theJournalSettingsAreReadWithSizesAndDurations() {
    DispatcherSection d = load("run: {experiment: e}\ndispatcher:\n  journal-dir: /tmp/j\n  durability: fsync\n"
        + "  fsync-interval: 250ms\n  journal: {max-size: 64MiB, on-full: block, segment-size: 1MiB}\n"
        + "backends: {a: {type: jsonl, write-timeout: 5s, on-full: drop-oldest}}\n").dispatcher();
    assertThat(d.journalDir()).isEqualTo(Path.of("/tmp/j"));
    assertThat(d.durability()).isEqualTo(Durability.FSYNC);
    assertThat(d.fsyncInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(d.journalMaxSize()).isEqualTo(64L << 20);
    assertThat(d.onFull()).isEqualTo(OnFull.BLOCK);
    assertThat(d.segmentSize()).isEqualTo(1 << 20);
  }

  @Test
  void aBadSizeOrDurabilityIsReportedWithItsKeyAndLine() {
    assertThatThrownBy(() -> load("run: {experiment: e}\ndispatcher:\n  durability: disk\n"
        + "  journal: {max-size: lots}\nbackends: {a: {type: jsonl}}\n"))
        .hasMessageContaining("`dispatcher.durability` was 'disk' but it must be one of process, fsync (t.yaml:3)")
        .hasMessageContaining("`dispatcher.journal.max-size` was 'lots' but it must be a positive size such as"
            + " 512KB, 64MiB or 2GiB (t.yaml:4)");
  }
}
