package dev.trainlog.mlflow.internal;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * An HTTP server on 127.0.0.1 that answers the MLflow 2.17 REST endpoints TrainLog uses the way the
 * real one does: JSON API errors with the real codes and messages, HTML for 401 and unknown paths,
 * {@code Connection: close} on every answer, and the rules of {@link RulesStore}. Tests switch it to
 * fail requests and read its counters.
 */
final class MlflowRulesServer implements AutoCloseable {

  private static final String API = "/api/2.0/mlflow/";

  /** Lenient, like Python's json module: bare NaN/Infinity literals parse, and then corrupt the run. */
  private final ObjectMapper lenient = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();
  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  /** Every request as received: its URI (with the query), a space and its body. */
  final List<String> received = new CopyOnWriteArrayList<>();
  final RulesStore store = new RulesStore(json);
  private volatile int largestBody;
  private volatile String requiredAuthorization;
  private final Deque<Failure> failures = new ArrayDeque<>();
  private int storeThenFailLeft;
  private CountDownLatch holdNext;

  private final String scheme;

  private MlflowRulesServer(SSLContext tls) throws IOException {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
    if (tls == null) {
      server = HttpServer.create(address, 0);
      scheme = "http";
    } else {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
      scheme = "https";
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  static MlflowRulesServer start() throws IOException {
    return new MlflowRulesServer(null);
  }

  /** A server speaking HTTPS with the key in {@code keyStore}. */
  static MlflowRulesServer startTls(SSLContext tls) throws IOException {
    return new MlflowRulesServer(tls);
  }

  /** The tracking URI to configure. */
  String uri() {
    return scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every request must carry {@code Authorization: Bearer <token>}. */
  void requireToken(String token) {
    requiredAuthorization = "Bearer " + token;
  }

  /** Every request must carry basic credentials, like {@code --app-name basic-auth}. */
  void requireBasic(String user, String password) {
    requiredAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static final class Failure {
    final int status;
    final String retryAfter;
    int left;

    Failure(int status, int left, String retryAfter) {
      this.status = status;
      this.left = left;
      this.retryAfter = retryAfter;
    }
  }

  /**
   * After the failures already queued, the next {@code times} requests get {@code status}, with
   * {@code Retry-After} when not null.
   */
  synchronized void failNext(int status, int times, String retryAfterHeader) {
    failures.add(new Failure(status, times, retryAfterHeader));
  }

  /** Answers normally again. */
  synchronized void clearFailures() {
    failures.clear();
  }

  /** The next {@code times} log-batch requests are stored, then answered 503: a lost answer. */
  synchronized void storeThenFailNext(int times) {
    storeThenFailLeft = times;
  }

  /** The next request is answered only once {@code release} opens (at most 30 s): a server slower than the client waits. */
  synchronized void holdNext(CountDownLatch release) {
    holdNext = release;
  }

  private synchronized CountDownLatch takeHold() {
    CountDownLatch h = holdNext;
    holdNext = null;
    return h;
  }

  /** Requests received for {@code endpoint} (e.g. {@code runs/log-batch}), failed ones included. */
  int requests(String endpoint) {
    AtomicInteger n = requests.get(endpoint);
    return n == null ? 0 : n.get();
  }

  /** The largest request body seen, in bytes. */
  int largestBody() {
    return largestBody;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Connection", "close");
      byte[] body = exchange.getRequestBody().readAllBytes();
      largestBody = Math.max(largestBody, body.length);
      received.add(exchange.getRequestURI() + " " + new String(body, StandardCharsets.UTF_8));
      String path = exchange.getRequestURI().getPath();
      String endpoint = path.startsWith(API) ? path.substring(API.length()) : path;
      requests.computeIfAbsent(endpoint, k -> new AtomicInteger()).incrementAndGet();
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(String.valueOf(auth));
      CountDownLatch hold = takeHold();
      if (hold != null) {
        try {
          hold.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (injectFailure(exchange)) {
        return;
      }
      if (requiredAuthorization != null && !requiredAuthorization.equals(auth)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"mlflow\"");
        html(exchange, 401, "<html><body><h1>Unauthorized</h1>You are not authenticated. Please see"
            + " https://www.mlflow.org/docs/latest/auth/index.html on how to authenticate.</body></html>");
        return;
      }
      try {
        JsonNode answer = route(exchange, endpoint, body);
        if (answer == null) {
          html(exchange, 404, "<!doctype html><html><title>404 Not Found</title><h1>Not Found</h1></html>");
          return;
        }
        if (endpoint.equals("runs/log-batch") && takeStoreThenFail()) {
          html(exchange, 503, "<html><body>Service Unavailable</body></html>");
          return;
        }
        send(exchange, 200, "application/json", json.writeValueAsBytes(answer));
      } catch (RulesStore.ApiError e) {
        send(exchange, e.status, "application/json", json.writeValueAsBytes(
            json.createObjectNode().put("error_code", e.code).put("message", e.getMessage())));
      }
    }
  }

  private synchronized boolean takeStoreThenFail() {
    if (storeThenFailLeft > 0) {
      storeThenFailLeft--;
      return true;
    }
    return false;
  }

  private boolean injectFailure(HttpExchange exchange) throws IOException {
    int status;
    String after;
    synchronized (this) {
      Failure f = failures.peek();
      if (f == null) {
        return false;
      }
      if (--f.left <= 0) {
        failures.remove();
      }
      status = f.status;
      after = f.retryAfter;
    }
    if (after != null) {
      exchange.getResponseHeaders().set("Retry-After", after);
    }
    html(exchange, status, "<html><body>Service Unavailable</body></html>");
    return true;
  }

  private JsonNode route(HttpExchange exchange, String endpoint, byte[] body) throws RulesStore.ApiError, IOException {
    String method = exchange.getRequestMethod();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    if (method.equals("GET")) {
      switch (endpoint) {
        case "experiments/get-by-name":
          return store.getExperimentByName(query.getOrDefault("experiment_name", ""));
        case "runs/get":
          return store.getRun(query.getOrDefault("run_id", ""));
        case "metrics/get-history":
          return store.history(query.getOrDefault("run_id", ""), query.getOrDefault("metric_key", ""));
        default:
          return null;
      }
    }
    if (!method.equals("POST") || !List.of("experiments/create", "runs/create", "runs/update", "runs/log-batch", "runs/search")
        .contains(endpoint)) {
      return null;
    }
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null) {
      throw new RulesStore.ApiError(400, "INVALID_PARAMETER_VALUE", "Bad Request. Content-Type header is missing.");
    }
    if (!contentType.split(";")[0].trim().equals("application/json")) {
      throw new RulesStore.ApiError(400, "INVALID_PARAMETER_VALUE",
          "Bad Request. Content-Type must be one of ['application/json'].");
    }
    JsonNode request = lenient.readTree(body);
    switch (endpoint) {
      case "experiments/create":
        return store.createExperiment(request);
      case "runs/create":
        return store.createRun(request);
      case "runs/update":
        return store.updateRun(request);
      case "runs/search":
        return store.searchRuns(request);
      default:
        return store.logBatch(request);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new ConcurrentHashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void html(HttpExchange exchange, int status, String page) throws IOException {
    send(exchange, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
