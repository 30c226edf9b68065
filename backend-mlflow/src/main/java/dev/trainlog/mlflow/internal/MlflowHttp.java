package dev.trainlog.mlflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.api.Secrets;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The MLflow REST calls over {@link HttpClient}: JSON bodies with the content type the server
 * demands and the configured credentials. Each call is one attempt; a failure says whether it is
 * retryable and passes on the server's {@code Retry-After}, so the core alone decides when to try
 * again. Credentials never appear in a message or a log line.
 */
final class MlflowHttp {

  /** Longest retry-after hint passed on, whatever {@code Retry-After} asks: {@value #MAX_WAIT_SECONDS} s. */
  static final long MAX_WAIT_SECONDS = 60;

  /** How much of a server's error message is kept in an exception: {@value} characters. */
  static final int MAX_MESSAGE_CHARS = 2000;

  private static final String API = "/api/2.0/mlflow/";

  /** The option a 503 body names when the server refuses artifact requests: {@value}. */
  static final String NO_SERVE_ARTIFACTS = "--no-serve-artifacts";

  private final MlflowSettings settings;
  private final ObjectMapper json;
  private final Clock clock;
  private final HttpClient client;
  private final String authorization;
  private final String base;

  MlflowHttp(MlflowSettings settings, ObjectMapper json, Clock clock) throws GeneralSecurityException, IOException {
    this.settings = settings;
    this.json = json;
    this.clock = clock;
    HttpClient.Builder builder = HttpClient.newBuilder()
        // MLflow's server speaks HTTP/1.1 only; asking for an h2c upgrade just costs a round trip
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.connectTimeout);
    if (settings.trustStore != null) {
      builder.sslContext(sslContext(settings));
    }
    this.client = builder.build();
    this.authorization = authorization(settings);
    this.base = settings.trackingUri.toString() + API;
  }

  private static String authorization(MlflowSettings s) {
    if (s.username != null && s.password != null) {
      String pair = s.username + ":" + s.password;
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    return s.token == null ? null : "Bearer " + s.token;
  }

  private static SSLContext sslContext(MlflowSettings s) throws GeneralSecurityException, IOException {
    char[] password = s.trustStorePassword == null ? null : s.trustStorePassword.toCharArray();
    KeyStore store = KeyStore.getInstance(s.trustStore.toFile(), password);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** A GET of {@code endpoint} (e.g. {@code runs/get}) with URL-encoded query parameters. */
  JsonNode get(String endpoint, Map<String, String> query) throws MlflowApiException, InterruptedException {
    StringJoiner q = new StringJoiner("&", "?", "");
    query.forEach((k, v) -> q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return send(endpoint, request(endpoint + q).GET().build());
  }

  /** A POST of {@code body} as JSON to {@code endpoint}. */
  JsonNode post(String endpoint, JsonNode body) throws MlflowApiException, InterruptedException {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new MlflowApiException("could not encode the " + endpoint + " request: " + e.getMessage(), e, 0, null, false);
    }
    return send(endpoint, request(endpoint)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
        .build());
  }

  /**
   * A PUT of {@code body} to the artifact proxy at {@code path} ({@code <exp>/<run>/artifacts/<file>}), each
   * segment of which is already safe in a URL.
   */
  JsonNode putArtifact(String path, HttpRequest.BodyPublisher body) throws MlflowApiException, InterruptedException {
    String endpoint = "mlflow-artifacts/artifacts";
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(settings.trackingUri.toString()
            + "/api/2.0/mlflow-artifacts/artifacts/" + path))
        .timeout(settings.requestTimeout)
        .header("Content-Type", "application/octet-stream")
        .PUT(body);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return send(endpoint, b.build());
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(settings.requestTimeout)
        .header("Accept", "application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private JsonNode send(String endpoint, HttpRequest request) throws MlflowApiException, InterruptedException {
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw connectionFailure(endpoint, e);
    }
    int status = response.statusCode();
    if (status != 200) {
      throw failure(endpoint, status, response.body(), response.headers());
    }
    try {
      return response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
    } catch (IOException e) {
      throw new MlflowApiException("MLflow " + endpoint + " at " + redactedBase() + " answered HTTP 200 with a body"
          + " that is not JSON (not an MLflow API answer: is tracking-uri the base URL of an MLflow tracking"
          + " server?)", e, status, null, false);
    }
  }

  /** No answer (refused, reset, timed out) is worth retrying, except a TLS certificate that is not trusted. */
  private MlflowApiException connectionFailure(String endpoint, IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof GeneralSecurityException) {
        // an untrusted certificate will not become trusted by retrying
        return new MlflowApiException("MLflow " + endpoint + " at " + redactedBase() + " failed: the server's TLS"
            + " certificate is not trusted (" + t.getMessage() + "); set trust-store to a PKCS12 or JKS file holding"
            + " its CA", e, 0, null, false);
      }
    }
    return new MlflowApiException("MLflow " + endpoint + " at " + redactedBase() + " failed: " + e, e, 0, null, true);
  }

  /**
   * {@code Retry-After} as seconds or an HTTP date (relative to {@code clock}), capped at {@link
   * #MAX_WAIT_SECONDS}; null when unreadable.
   */
  static Duration parseRetryAfter(String value, Clock clock) {
    Duration wait;
    try {
      wait = Duration.ofSeconds(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        wait = Duration.between(clock.instant(), at.toInstant());
      } catch (RuntimeException notADate) {
        return null;
      }
    }
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    return wait.getSeconds() > MAX_WAIT_SECONDS ? Duration.ofSeconds(MAX_WAIT_SECONDS) : wait;
  }

  private MlflowApiException failure(String endpoint, int status, byte[] body, HttpHeaders headers) {
    boolean retryable = status == 429 || status >= 500;
    // only these two statuses define Retry-After as "come back later"
    Duration retryAfter = status == 429 || status == 503
        ? headers.firstValue("Retry-After").map(v -> parseRetryAfter(v, clock)).orElse(null)
        : null;
    String errorCode = null;
    String message = null;
    try {
      JsonNode node = json.readTree(body);
      if (node != null && node.hasNonNull("error_code")) {
        errorCode = node.get("error_code").asText();
        message = node.path("message").asText("");
      }
    } catch (IOException e) {
      // 401, 403, 404, 405 and 500 come back as HTML: described by status below
    }
    String where = "MLflow " + endpoint + " at " + redactedBase();
    if (status == 401 || status == 403) {
      return new MlflowApiException(where + " was refused with HTTP " + status + " using " + settings.authDescription()
          + ": set token (MLFLOW_TRACKING_TOKEN) or username and password (MLFLOW_TRACKING_USERNAME,"
          + " MLFLOW_TRACKING_PASSWORD) to credentials the server accepts", null, status, errorCode, false);
    }
    if (status == 503 && new String(body, StandardCharsets.UTF_8).contains(NO_SERVE_ARTIFACTS)) {
      // the server says so in its body; a retry would block this backend's records behind it forever
      return new MlflowApiException(where + " failed with HTTP 503: the server runs with " + NO_SERVE_ARTIFACTS
          + " and stores no images or artifacts; start it with --serve-artifacts, or leave images and artifacts out"
          + " of this backend (sample: {images: ..., artifacts: ...}, exclude)", null, status, null, false);
    }
    if (errorCode == null) {
      String hint = status == 404 || status == 405
          ? " (not an MLflow API answer: is tracking-uri the base URL of an MLflow tracking server?)" : "";
      return new MlflowApiException(where + " failed with HTTP " + status + hint, null, status, null, retryable,
          retryAfter);
    }
    return new MlflowApiException(where + " failed with HTTP " + status + " " + errorCode + ": " + shorten(message),
        null, status, errorCode, retryable, retryAfter);
  }

  private String redactedBase() {
    return Secrets.redactText(settings.trackingUri.toString());
  }

  private static String shorten(String message) {
    return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "…";
  }
}
