package dev.trainlog.cli;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.trainlog.api.Secrets;
import dev.trainlog.core.ConfigCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.bson.Document;

/** Tries to reach what a configured backend writes to, without writing anything: null when it answers. */
final class BackendPing {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private BackendPing() {}

  static String ping(ConfigCheck.Backend b) {
    try {
      switch (b.type()) {
        case "mongodb":
          return mongo(String.valueOf(b.settings().getOrDefault("uri", "embedded:trainlog-data/mongo")));
        case "mlflow":
          return mlflow(String.valueOf(b.settings().get("tracking-uri")));
        case "tensorboard":
          return writable(Path.of(String.valueOf(b.settings().getOrDefault("log-dir", "runs"))));
        case "jsonl":
          Object path = b.settings().get("path");
          return writable(path == null ? Path.of("trainlog-data", "jsonl") : Path.of(path.toString()).toAbsolutePath()
              .getParent());
        default:
          return null; // console and plugins: nothing to reach
      }
    } catch (RuntimeException | IOException e) {
      return Secrets.redactText(e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String mongo(String uri) {
    if (uri.startsWith("embedded:")) {
      return writable(Path.of(uri.substring("embedded:".length())).toAbsolutePath().getParent());
    }
    String withTimeout = uri + (uri.contains("?") ? "&" : "/?") + "serverSelectionTimeoutMS=" + TIMEOUT.toMillis();
    try (MongoClient client = MongoClients.create(withTimeout)) {
      client.getDatabase("admin").runCommand(new Document("ping", 1));
      return null;
    }
  }

  private static String mlflow(String trackingUri) throws IOException, InterruptedException {
    if (trackingUri == null || trackingUri.equals("null") || trackingUri.isBlank()) {
      return "no tracking-uri";
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(trackingUri.replaceAll("/+$", "") + "/health"))
        .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? null : "GET /health answered " + r.statusCode();
  }

  private static String writable(Path dir) {
    Path d = dir;
    while (d != null && !Files.exists(d)) {
      d = d.getParent(); // created on demand: its first existing ancestor must be writable
    }
    return d == null || Files.isWritable(d) ? null : d + " is not writable";
  }
}
