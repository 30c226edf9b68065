package dev.trainlog.mlflow.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Passes every request unchanged to a real MLflow server and its answer unchanged back, noting each
 * endpoint and the status the server gave: how the tests count the backend's requests.
 */
final class CountingProxy implements AutoCloseable {

  private static final String API = "/api/2.0/mlflow/";

  /** One request as the server answered it. */
  record Exchange(String endpoint, int status) {}

  private final String target;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final HttpServer server;
  final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  CountingProxy(String target) throws IOException {
    this.target = target;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::forward);
    server.setExecutor(executor);
    server.start();
  }

  /** The tracking URI to give the backend. */
  String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** How many requests went to {@code endpoint} (e.g. {@code runs/log-batch}). */
  long requests(String endpoint) {
    return exchanges.stream().filter(e -> e.endpoint().equals(endpoint)).count();
  }

  /** The statuses the server gave {@code endpoint}, in order. */
  List<Integer> statuses(String endpoint) {
    return exchanges.stream().filter(e -> e.endpoint().equals(endpoint)).map(Exchange::status).toList();
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
          .method(exchange.getRequestMethod(), body.length == 0
              ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      for (String header : List.of("Content-Type", "Accept", "Authorization")) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
          request.header(header, value);
        }
      }
      HttpResponse<byte[]> answer;
      try {
        answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while forwarding", e);
      }
      String path = exchange.getRequestURI().getPath();
      exchanges.add(new Exchange(path.startsWith(API) ? path.substring(API.length()) : path, answer.statusCode()));
      answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
      exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer.body());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
