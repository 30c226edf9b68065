package dev.trainlog.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.Spi;
import dev.trainlog.testkit.TestRecords;
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

  @Test
  void defaultsArePinned() {
    MlflowSettings s = MlflowSettings.resolve(uri("http://mlflow:5000/"), Map.of(), run);

    assertThat(MlflowSettings.DEFAULT_REQUEST_TIMEOUT_SECONDS).isEqualTo(30);
    assertThat(MlflowSettings.DEFAULT_CONNECT_TIMEOUT_SECONDS).isEqualTo(10);
    assertThat(MlflowSettings.DEFAULT_MAX_RETRIES_PER_REQUEST).isEqualTo(3);
    assertThat(MlflowSettings.DEFAULT_INITIAL_BACKOFF_MILLIS).isEqualTo(500);
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
    assertThat(s.maxRetriesPerRequest).isEqualTo(3);
    assertThat(s.user).isEqualTo(System.getProperty("user.name"));
    assertThat(s.authDescription()).isEqualTo("no credentials");
  }

  @Test
  void theEnvironmentFillsWhatYamlLeavesOpen() {
    MlflowSettings s = MlflowSettings.resolve(new MlflowConfig(), Map.of(
        "MLFLOW_TRACKING_URI", "https://mlflow.example.com",
        "MLFLOW_EXPERIMENT_NAME", "from-env",
        "MLFLOW_RUN_ID", "abc",
        "MLFLOW_TRACKING_TOKEN", "t0k"), run);

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
    c.maxRetriesPerRequest = -1;
    c.trustStore = "/no/such/store.p12";

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> MlflowSettings.resolve(c, Map.of(), run));

    assertThat(e.problems()).extracting(ConfigProblem::message).containsExactly(
        "`tracking-uri` is missing: set it to the MLflow server's URL (e.g. http://localhost:5000) or set"
            + " MLFLOW_TRACKING_URI",
        "`ranks` was 'some' but it must be 0 or all",
        "`vectors` was 'histogram' but it must be elements, summary or skip",
        "`text` was 'tag' but it must be skip or tag-at-end",
        "`password` is missing but basic auth needs both username and password (or set MLFLOW_TRACKING_PASSWORD)",
        "`trust-store` was '/no/such/store.p12' but it must be a readable JKS or PKCS12 file",
        "`request-timeout` was 'PT0S' but it must be a positive duration",
        "`max-retries-per-request` was '-1' but it must be zero or a positive integer");
  }

  @Test
  void aNonHttpTrackingUriIsRefusedWithItsSecretRedacted() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> MlflowSettings.resolve(uri("databricks://user:pw@profile"), Map.of(), run));

    assertThat(e.getMessage()).isEqualTo(
        "`tracking-uri` was 'databricks://user:****@profile' but it must be an http:// or https:// URL of an MLflow"
            + " tracking server");
  }

  @Test
  void ranksAcceptsAllInAnyCase() {
    MlflowConfig c = uri("http://h");
    c.ranks = "ALL";

    assertThat(MlflowSettings.resolve(c, Map.of(), run).allRanks).isTrue();
  }

  @Test
  void theProviderIsFoundByServiceLoader() {
    BackendProvider provider = ServiceLoader.load(BackendProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.type().equals("mlflow"))
        .findFirst().orElseThrow();

    assertThat(provider).isInstanceOf(MlflowBackendProvider.class);
    assertThat(provider.spiVersion()).isEqualTo(Spi.VERSION);
    assertThat(provider.configClass()).isEqualTo(MlflowConfig.class);
  }
}
