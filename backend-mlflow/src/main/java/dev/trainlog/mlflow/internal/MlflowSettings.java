package dev.trainlog.mlflow.internal;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.Secrets;
import dev.trainlog.spi.BackendSettings;
import dev.trainlog.spi.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The MLflow settings, immutable: YAML values first, then the {@code MLFLOW_*} variables ({@code vars}, then the
 * environment), then the defaults. {@link #read} records every problem in the settings view.
 */
public final class MlflowSettings {

  /** Default {@code request-timeout}: {@value #DEFAULT_REQUEST_TIMEOUT_SECONDS} seconds. */
  public static final long DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;

  /** Default {@code connect-timeout}: {@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} seconds. */
  public static final long DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

  /** Where the retired {@code max-retries-per-request} and {@code initial-backoff} point users instead. */
  static final String RETRIES_INSTEAD = "the core retries a failed batch itself: set the backend's"
      + " retry-initial-backoff and retry-max-backoff";

  /** Where vectors go: one metric per element, three summary metrics, or nowhere. */
  public enum VectorMode { ELEMENTS, SUMMARY, SKIP }

  /** Where texts go: nowhere (counted and warned once), or a run tag holding the last value. */
  public enum TextMode { SKIP, TAG_AT_END }

  final URI trackingUri;
  /** The experiment set in YAML or {@code MLFLOW_EXPERIMENT_NAME}, null when each run's own is used. */
  private final String experimentSetting;
  /** The run name set in YAML, null when each run's own is used. */
  private final String runNameSetting;
  final String experiment;
  final String runId;
  final String runName;
  final boolean allRanks;
  final VectorMode vectors;
  final TextMode text;
  final String token;
  final String username;
  final String password;
  final Path trustStore;
  final String trustStorePassword;
  final Duration requestTimeout;
  final Duration connectTimeout;
  final String user;

  private MlflowSettings(BackendSettings s, UnaryOperator<String> env, RunInfo run) {
    this.trackingUri = trackingUri(s, env);
    this.experimentSetting = firstText(s.text("experiment", null), env.apply("MLFLOW_EXPERIMENT_NAME"));
    this.runNameSetting = firstText(s.text("run-name", null));
    this.experiment = firstText(experimentSetting, run.experiment());
    this.runId = firstText(s.text("run-id", null), env.apply("MLFLOW_RUN_ID"));
    this.runName = firstText(runNameSetting, run.runName());
    this.allRanks = s.oneOf("ranks", "0", "0", "all").equals("all");
    this.vectors = s.oneOf("vectors", VectorMode.ELEMENTS);
    this.text = s.oneOf("text", TextMode.SKIP);
    this.token = reveal(s.secret("token", "MLFLOW_TRACKING_TOKEN"));
    this.username = firstText(s.text("username", null), env.apply("MLFLOW_TRACKING_USERNAME"));
    this.password = reveal(s.secret("password", "MLFLOW_TRACKING_PASSWORD"));
    if ((username == null) != (password == null)) {
      String missing = username == null ? "username" : "password";
      s.problem(missing, "is missing but basic auth needs both username and password"
          + " (or set MLFLOW_TRACKING_" + missing.toUpperCase(Locale.ROOT) + ")");
    }
    String store = s.text("trust-store", null);
    this.trustStore = store == null ? null : Path.of(store);
    if (trustStore != null && !Files.isReadable(trustStore)) {
      s.invalid("trust-store", store, "a readable JKS or PKCS12 file");
    }
    this.trustStorePassword = reveal(s.secret("trust-store-password", null));
    this.requestTimeout = s.duration("request-timeout", Duration.ofSeconds(DEFAULT_REQUEST_TIMEOUT_SECONDS));
    this.connectTimeout = s.duration("connect-timeout", Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS));
    s.deprecated("max-retries-per-request", RETRIES_INSTEAD);
    s.deprecated("initial-backoff", RETRIES_INSTEAD);
    this.user = firstText(s.text("user", null), System.getProperty("user.name"), "unknown");
  }

  /** The same settings for {@code other}: its experiment and run name where none is set, and no run id to resume. */
  private MlflowSettings(MlflowSettings s, RunInfo other) {
    this.trackingUri = s.trackingUri;
    this.experimentSetting = s.experimentSetting;
    this.runNameSetting = s.runNameSetting;
    this.experiment = firstText(experimentSetting, other.experiment());
    this.runId = null;
    this.runName = firstText(runNameSetting, other.runName());
    this.allRanks = s.allRanks;
    this.vectors = s.vectors;
    this.text = s.text;
    this.token = s.token;
    this.username = s.username;
    this.password = s.password;
    this.trustStore = s.trustStore;
    this.trustStorePassword = s.trustStorePassword;
    this.requestTimeout = s.requestTimeout;
    this.connectTimeout = s.connectTimeout;
    this.user = s.user;
  }

  /**
   * The settings the backend of {@code other} had, as far as they can be known here: a run whose records this
   * backend is handed (a journal a process that is gone left behind, a resend) goes to the MLflow run its own
   * backend made.
   */
  MlflowSettings forRun(RunInfo other) {
    return new MlflowSettings(this, other);
  }

  /**
   * Reads the settings of {@code run}'s MLflow backend, falling back to the {@code MLFLOW_*} variables of {@code
   * env}; every problem is recorded in {@code settings}.
   */
  public static MlflowSettings read(BackendSettings settings, UnaryOperator<String> env, RunInfo run) {
    return new MlflowSettings(settings, env, run);
  }

  /** {@code tracking-uri}, else {@code MLFLOW_TRACKING_URI}, checked alike; without a trailing slash. */
  private static URI trackingUri(BackendSettings s, UnaryOperator<String> env) {
    URI uri = s.uri("tracking-uri", null, "http", "https");
    if (uri == null && !s.has("tracking-uri")) {
      String fromEnv = env.apply("MLFLOW_TRACKING_URI");
      if (fromEnv == null || fromEnv.isBlank()) {
        s.problem("tracking-uri",
            "is missing: set it to the MLflow server's URL (e.g. http://localhost:5000) or set MLFLOW_TRACKING_URI");
        return null;
      }
      uri = httpUri(fromEnv.trim());
      if (uri == null) {
        s.invalid("tracking-uri", fromEnv + " (from MLFLOW_TRACKING_URI)", "a URI starting with http:// or https://");
      }
    }
    String text = uri == null ? null : uri.toString();
    return text != null && text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
  }

  private static URI httpUri(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String reveal(Secret secret) {
    return secret == null ? null : secret.reveal();
  }

  private static String firstText(String... candidates) {
    for (String c : candidates) {
      if (c != null && !c.isBlank()) {
        return c.trim();
      }
    }
    return null;
  }

  /** Which authentication is configured, for messages: never the secret itself. */
  String authDescription() {
    if (username != null) {
      return "basic auth as '" + username + "'";
    }
    return token != null ? "a bearer token" : "no credentials";
  }

  @Override
  public String toString() {
    return "MlflowSettings{trackingUri=" + Secrets.redactText(String.valueOf(trackingUri)) + ", experiment="
        + experiment + ", runId=" + runId + ", ranks=" + (allRanks ? "all" : "0") + ", auth=" + authDescription() + "}";
  }
}
