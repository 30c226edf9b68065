package dev.trainlog.mlflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.testkit.StoredRecord;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a run back over the REST API with a plain {@link HttpClient}, independently of the backend:
 * the metric keys from {@code runs/get}, then each key's {@code metrics/get-history}.
 */
final class MlflowReader {

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = new ObjectMapper();
  private final String base;

  MlflowReader(String trackingUri) {
    this.base = trackingUri + "/api/2.0/mlflow/";
  }

  JsonNode get(String endpoint, Map<String, String> query) throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder();
    query.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + endpoint + q)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(endpoint + " answered " + r.statusCode() + ": " + r.body());
    }
    return json.readTree(r.body());
  }

  /** Parses an answer body, for callers that post with {@link RawPost}. */
  JsonNode json(String body) throws IOException {
    return json.readTree(body);
  }

  /** Every stored point of {@code runId} as (key, value, step) in stored order, keyed by metric. */
  Map<String, List<JsonNode>> history(String runId) throws IOException, InterruptedException {
    Map<String, List<JsonNode>> out = new LinkedHashMap<>();
    for (JsonNode m : get("runs/get", Map.of("run_id", runId)).path("run").path("data").path("metrics")) {
      String key = m.path("key").asText();
      List<JsonNode> points = new ArrayList<>();
      get("metrics/get-history", Map.of("run_id", runId, "metric_key", key)).path("metrics").forEach(points::add);
      out.put(key, points);
    }
    return out;
  }

  /** The run as the compatibility kit sees it: one record per step with its scalars. */
  List<StoredRecord> records(String runId) throws IOException, InterruptedException {
    Map<Long, Map<String, Double>> bySteps = new TreeMap<>();
    history(runId).forEach((key, points) -> points.forEach(p -> bySteps
        .computeIfAbsent(p.path("step").asLong(), s -> new LinkedHashMap<>())
        .put(key, value(p.path("value")))));
    List<StoredRecord> out = new ArrayList<>();
    bySteps.forEach((step, scalars) -> out.add(new StoredRecord(step, scalars)));
    return out;
  }

  static double value(JsonNode v) {
    return v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
  }
}
