package dev.trainlog.core.internal.config;

import static dev.trainlog.core.internal.config.ConfigLoaderTest.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.spi.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpansionTest {

  private static Object setting(String value, Map<String, String> env) {
    String yaml = "run: {experiment: e}\nbackends:\n  a:\n    type: x\n    value: \"" + value + "\"\n";
    return loader(env).load(yaml, "trainlog.yaml").backends().get(0).settings().get("value");
  }

  @Test
  void everyReferenceFormExpands() {
    Map<String, String> env = Map.of("HOST", "db1", "EMPTY", "");
    assertThat(setting("mongodb://${HOST}:27017", env)).isEqualTo("mongodb://db1:27017");
    assertThat(setting("${MISSING:-fallback}", env)).isEqualTo("fallback");
    assertThat(setting("${EMPTY:-fallback}", env)).isEqualTo("fallback");
    assertThat(setting("${HOST:-fallback}", env)).isEqualTo("db1");
    assertThat(setting("x${HOST:+-alt}", env)).isEqualTo("x-alt");
    assertThat(setting("x${EMPTY:+-alt}", env)).isEqualTo("x");
    assertThat(setting("x${MISSING:+-alt}", env)).isEqualTo("x");
    assertThat(setting("cost $$5 and $${HOST}", env)).isEqualTo("cost $5 and ${HOST}");
    assertThat(setting("${MISSING:-${HOST}}", env)).isEqualTo("db1");
    assertThat(setting("${EMPTY}", env)).isEqualTo("");
    assertThat(setting("a lone $ stays", env)).isEqualTo("a lone $ stays");
  }

  @Test
  void anUnsetVariableWithoutDefaultIsAProblemAtItsLine() {
    String yaml = "run: {experiment: e}\nbackends:\n  mlflow:\n    type: mlflow\n    tracking-uri: ${MLFLOW_TRACKING_URI}\n";
    assertThatThrownBy(() -> loader(Map.of()).load(yaml, "trainlog.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("`backends.mlflow.tracking-uri` uses ${MLFLOW_TRACKING_URI} but that environment variable is "
            + "not set (trainlog.yaml:5)");
  }

  @Test
  void malformedReferencesAreProblems() {
    String yaml = "run: {experiment: e}\nbackends:\n  a: {type: x, u: \"${OPEN\", v: \"${A:?b}\", w: \"${}\"}\n";
    assertThatThrownBy(() -> loader(Map.of()).load(yaml, "t.yaml"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(Object::toString)
            .containsExactly("`backends.a.u` has a ${ without its closing } (t.yaml:3)",
                "`backends.a.v` has ${A:?b} but it must be ${VAR}, ${VAR:-default} or ${VAR:+alt} (t.yaml:3)",
                "`backends.a.w` has ${} but it must be ${VAR}, ${VAR:-default} or ${VAR:+alt} (t.yaml:3)"));
  }

  @Test
  void aDisabledBackendIsNotValidatedAtAll() {
    String yaml = "run: {experiment: e}\nbackends:\n"
        + "  mlflow: {type: mlflow, enabled: false, tracking-uri: \"${MLFLOW_TRACKING_URI}\", batch-size: -1}\n"
        + "  opt: {type: mlflow, enabled: \"${USE_OPT:+true}\", tracking-uri: \"${OPT_URI}\"}\n"
        + "  blank: {type: x, enabled: '', bogus: \"${NOPE}\"}\n"
        + "  on: {type: jsonl, enabled: \"${USE_JSONL:-true}\"}\n";
    TrainLogConfig config = loader(Map.of()).load(yaml, "t.yaml");
    assertThat(config.backends()).extracting(BackendSection::name).containsExactly("on");

    TrainLogConfig enabled = loader(Map.of("USE_OPT", "1", "OPT_URI", "http://mlflow:5000")).load(yaml, "t.yaml");
    assertThat(enabled.backends()).extracting(BackendSection::name).containsExactly("opt", "on");
    assertThat(enabled.backends().get(0).settings()).containsEntry("tracking-uri", "http://mlflow:5000");
  }

  @Test
  void anEnabledFlagThatIsNotABooleanIsAProblem() {
    String yaml = "run: {experiment: e}\nbackends:\n  a: {type: x, enabled: sometimes}\n";
    assertThatThrownBy(() -> loader(Map.of()).load(yaml, "t.yaml"))
        .hasMessage("`backends.a.enabled` was 'sometimes' but it must be true or false (t.yaml:3)");
  }

  @Test
  void expandedNumbersAndBooleansBindWhereNumbersAndBooleansAreExpected() {
    String yaml = "run:\n  experiment: e\n  rank: ${R:-1}\n  world-size: ${W}\n"
        + "dispatcher: {shutdown-hook: \"${HOOK}\", close-timeout: \"${CT:-5s}\"}\n"
        + "backends:\n  a: {type: x, batch-size: \"${BATCH:-64}\"}\n";
    TrainLogConfig config = loader(Map.of("W", "2", "HOOK", "false")).load(yaml, "t.yaml");
    assertThat(config.run().rank()).isEqualTo(1);
    assertThat(config.run().worldSize()).isEqualTo(2);
    assertThat(config.dispatcher().shutdownHook()).isFalse();
    assertThat(config.dispatcher().closeTimeout()).hasSeconds(5);
    assertThat(config.backends().get(0).channel().batchSize()).isEqualTo(64);
  }

  @Test
  void aHyperparameterThatIsOneVariableTakesItsYamlTypeWhereAQuotedOneStaysText() {
    String yaml = "run:\n  experiment: e\n  id: ${ID}\n  config:\n"
        + "    commit: \"0123456\"\n    version: \"1.10\"\n    amp: 'true'\n    epochs: 10\n    dropout: 0.1\n"
        + "    lr: ${LR}\n    steps: \"${STEPS:-5000}\"\n    fused: ${FUSED}\n    seed: ${SEED:-}\n"
        + "    optimizer: {name: adamw, beta1: \"${BETA1}\", eps: \"1e-8\"}\n    sizes: [\"${SEED:-7}\", \"007\"]\n";
    Map<String, String> env = Map.of("ID", "0042", "LR", "1e-4", "FUSED", "false", "BETA1", "0.9");
    RunSection run = loader(env).load(yaml, "t.yaml").run();
    assertThat(run.config()).containsExactly(Map.entry("commit", "0123456"), Map.entry("version", "1.10"),
        Map.entry("amp", "true"), Map.entry("epochs", 10), Map.entry("dropout", 0.1), Map.entry("lr", 1.0e-4),
        Map.entry("steps", 5000), Map.entry("fused", false), Map.entry("seed", ""),
        Map.entry("optimizer", Map.of("name", "adamw", "beta1", 0.9, "eps", "1e-8")),
        Map.entry("sizes", List.of(7, "007")));
    assertThat(run.id()).isEqualTo("0042");
  }

  @Test
  void aVariableInsideTextLeavesTheHyperparameterText() {
    String yaml = "run:\n  experiment: e\n  config:\n"
        + "    tag: \"v${VER}\"\n    build: \"1${VER}\"\n    version: \"${MAJOR}.${MINOR}\"\n    cost: \"$${VER}\"\n";
    RunSection run = loader(Map.of("VER", "2", "MAJOR", "1", "MINOR", "10")).load(yaml, "t.yaml").run();
    assertThat(run.config()).containsExactly(Map.entry("tag", "v2"), Map.entry("build", "12"),
        Map.entry("version", "1.10"), Map.entry("cost", "${VER}"));
  }

  @Test
  void aValueWithAMissingVariableIsReportedOnlyOnce() {
    String yaml = "run: {experiment: e}\nbackends:\n  a: {type: x, batch-size: \"${BATCH}\"}\n";
    assertThatThrownBy(() -> loader(Map.of()).load(yaml, "t.yaml"))
        .hasMessage("`backends.a.batch-size` uses ${BATCH} but that environment variable is not set (t.yaml:3)");
  }
}
