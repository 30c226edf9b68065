package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.internal.config.SettingsView;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.Spi;
import dev.trainlog.testkit.TestRecords;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Settings: pinned defaults, environment fallbacks, and every problem reported at once. */
class MlflowSettingsTest {

  private final RunInfo run = TestRecords.run("exp", "run-a");

  private static MlflowConfig uri(String uri) {
    MlflowConfig c = new MlflowConfig();
    c.trackingUri = uri;
    return c;
  }

  /** Reads {@code config}'s YAML with {@code env} as the variables; throws every problem found. */
  private MlflowSettings resolve(MlflowConfig config, Map<String, String> env) {
    return resolve(config.yaml(), env);
  }

  private MlflowSettings resolve(Map<String, Object> yaml, Map<String, String> env) {
    SettingsView view = SettingsView.of("backends.mlflow", yaml, env);
    MlflowSettings settings = MlflowSettings.read(view, env::get, run);
    view.throwIfAny();
    return settings;
  }

  @Test
  void defaultsArePinned() {
    MlflowSettings s = resolve(uri("http://mlflow:5000/"), Map.of());

    assertThat(MlflowSettings.DEFAULT_REQUEST_TIMEOUT_SECONDS).isEqualTo(30);
    assertThat(MlflowSettings.DEFAULT_CONNECT_TIMEOUT_SECONDS).isEqualTo(10);
    assertThat(MlflowHttp.MAX_WAIT_SECONDS).isEqualTo(60);
    assertThat(BatchSplitter.MAX_METRICS).isEqualTo(1000);
    assertThat(BatchSplitter.MAX_PARAMS).isEqualTo(100);
    assertThat(BatchSplitter.MAX_TAGS).isEqualTo(100);
    assertThat(BatchSplitter.MAX_ITEMS).isEqualTo(1000);
    assertThat(BatchSplitter.MAX_BODY_BYTES).isEqualTo(1_000_000);
    assertThat(ItemFactory.MAX_PARAM_VALUE).isEqualTo(6000);
    assertThat(ItemFactory.MAX_TAG_VALUE).isEqualTo(5000);
    assertThat(s.trackingUri).hasToString("http://mlflow:5000");
    assertThat(s.experiment).isEqualTo("exp");
    assertThat(s.runName).isEqualTo("run-a");
    assertThat(s.runId).isNull();
    assertThat(s.allRanks).isFalse();
    assertThat(s.vectors).isEqualTo(MlflowSettings.VectorMode.ELEMENTS);
    assertThat(s.text).isEqualTo(MlflowSettings.TextMode.SKIP);
    assertThat(s.requestTimeout).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.user).isEqualTo(System.getProperty("user.name"));
    assertThat(s.authDescription()).isEqualTo("no credentials");
  }

  @Test
  void theEnvironmentFillsWhatYamlLeavesOpen() {
    MlflowSettings s = resolve(new MlflowConfig(), Map.of(
        "MLFLOW_TRACKING_URI", "https://mlflow.example.com",
        "MLFLOW_EXPERIMENT_NAME", "from-env",
        "MLFLOW_RUN_ID", "abc",
        "MLFLOW_TRACKING_TOKEN", "t0k"));

    assertThat(s.trackingUri).hasToString("https://mlflow.example.com");
    assertThat(s.experiment).isEqualTo("from-env");
    assertThat(s.runId).isEqualTo("abc");
    assertThat(s.token).isEqualTo("t0k");
    assertThat(s.authDescription()).isEqualTo("a bearer token");
    assertThat(s.toString()).doesNotContain("t0k");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    MlflowConfig c = new MlflowConfig();
    c.ranks = "some";
    c.vectors = "histogram";
    c.text = "tag";
    c.username = "alice";
    c.requestTimeout = Duration.ZERO;
    c.trustStore = "/no/such/store.p12";

    Map<String, Object> yaml = c.yaml();
    yaml.put("tracking_uri", "http://h");
    yaml.put("max-retries-per-request", -1); // retired: accepted, never checked

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> resolve(yaml, Map.of()));

    assertThat(e.problems()).extracting(ConfigProblem::message).containsExactly(
        "`backends.mlflow.tracking-uri` is missing: set it to the MLflow server's URL (e.g. http://localhost:5000) or"
            + " set MLFLOW_TRACKING_URI",
        "`backends.mlflow.ranks` was 'some' but it must be one of 0, all",
        "`backends.mlflow.vectors` was 'histogram' but it must be one of elements, summary, skip",
        "`backends.mlflow.text` was 'tag' but it must be one of skip, tag-at-end",
        "`backends.mlflow.password` is missing but basic auth needs both username and password (or set"
            + " MLFLOW_TRACKING_PASSWORD)",
        "`backends.mlflow.trust-store` was '/no/such/store.p12' but it must be a readable JKS or PKCS12 file",
        "`backends.mlflow.request-timeout` was '0' but it must be a positive duration such as 500ms, 2s or 5m",
        "`backends.mlflow.tracking_uri` is not a setting of this backend; did you mean `tracking-uri`?");
  }

  @Test
  void theRetiredRetryKeysAreAcceptedWithOneWarningEachAndNeverUsed() {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8)); // where slf4j-simple writes
    try {
      resolve(Map.of("tracking-uri", "http://mlflow:5000", "max-retries-per-request", "many",
          "initial-backoff", -1), Map.of());
    } finally {
      System.setErr(originalErr);
    }

    assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(" WARN "))
        .map(l -> l.substring(l.indexOf('`')))).containsExactly(
        "`backends.mlflow.max-retries-per-request` is deprecated and ignored: " + MlflowSettings.RETRIES_INSTEAD,
        "`backends.mlflow.initial-backoff` is deprecated and ignored: " + MlflowSettings.RETRIES_INSTEAD);
    assertThat(MlflowSettings.RETRIES_INSTEAD).isEqualTo("the core retries a failed batch itself: set the"
        + " backend's retry-initial-backoff and retry-max-backoff");
  }

  @Test
  void aNonHttpTrackingUriIsRefusedWithItsSecretRedacted() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> resolve(uri("databricks://user:pw@profile"), Map.of()));

    assertThat(e.getMessage()).isEqualTo(
        "`backends.mlflow.tracking-uri` was 'databricks://user:****@profile' but it must be a URI starting with"
            + " http:// or https://");
  }

  @Test
  void yamlKeysAreReadWithNumbersAsTextAndSecretsHidden() {
    MlflowSettings s = resolve(Map.of("tracking-uri", "http://mlflow:5000", "run-id", "abc", "ranks", 0,
        "max-retries-per-request", 5, "trust-store-password", "changeit", "token", "yaml-token"),
        Map.of("MLFLOW_TRACKING_TOKEN", "env-token"));

    assertThat(s.runId).isEqualTo("abc");
    assertThat(s.allRanks).isFalse();
    assertThat(s.trustStorePassword).isEqualTo("changeit");
    assertThat(s.token).as("YAML wins over the variable").isEqualTo("yaml-token");
    assertThat(s.toString()).doesNotContain("changeit").doesNotContain("yaml-token");
  }

  @Test
  void ranksAcceptsAllInAnyCase() {
    MlflowConfig c = uri("http://h");
    c.ranks = "ALL";

    assertThat(resolve(c, Map.of()).allRanks).isTrue();
  }

  @Test
  void theProviderIsFoundByServiceLoader() {
    BackendProvider provider = ServiceLoader.load(BackendProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.type().equals("mlflow"))
        .findFirst().orElseThrow();

    assertThat(provider).isInstanceOf(MlflowBackendProvider.class);
    assertThat(provider.spiVersion()).isEqualTo(Spi.VERSION);
  }
}
