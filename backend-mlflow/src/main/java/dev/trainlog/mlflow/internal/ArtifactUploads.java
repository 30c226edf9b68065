package dev.trainlog.mlflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.util.Map;

/**
 * Uploads a record's images and artifacts through the tracking server's artifact proxy ({@code
 * mlflow-artifacts}). Images go to {@code images/<key>+step+<step>+timestamp+<ms>+<i>.<ext>}, the key's
 * '/' written as '~': MLflow 2.17's own {@code %}/{@code #} names do not survive its proxy (it refuses
 * {@code #} and decodes {@code %} again and again), while these are stored as sent. Artifacts go under
 * their own name.
 */
final class ArtifactUploads {

  /** The prefix of a run's artifact URI when the server proxies artifacts. */
  static final String PROXIED = "mlflow-artifacts:/";

  private final MlflowHttp http;
  private String root;

  ArtifactUploads(MlflowHttp http) {
    this.http = http;
  }

  /** The step image file name for image {@code index} of {@code key}. */
  static String imageName(String key, long step, long timestampMillis, int index, Image.Format format) {
    return "images/" + safe(key.replace('/', '~')) + "+step+" + step + "+timestamp+" + timestampMillis + "+" + index
        + "." + format.extension();
  }

  /** Why MLflow 2.17's proxy would not store {@code name} intact, or null when it would. */
  static String refusal(String name) {
    if (name.contains("%") || name.contains("#") || name.contains("..") || name.startsWith("/")) {
      return "artifact name '" + name + "' holds %, #, '..' or a leading '/', which MLflow's artifact proxy refuses"
          + " or rewrites";
    }
    return null;
  }

  /** Uploads what {@code record} holds; throws on the first failure. */
  void upload(LogRecord record, String runId) throws Exception {
    for (Map.Entry<String, Object> e : record.metrics().entrySet()) {
      if (e.getValue() instanceof Images images) {
        for (int i = 0; i < images.size(); i++) {
          Image image = images.get(i);
          String name = imageName(e.getKey(), record.step(), record.timestampMillis(), i, image.format());
          http.putArtifact(root(runId) + "/" + name, HttpRequest.BodyPublishers.ofByteArray(image.bytes()));
        }
      } else if (e.getValue() instanceof Artifact a) {
        String why = refusal(a.name());
        if (why != null) {
          throw new MlflowApiException(why, null, 400, "INVALID_PARAMETER_VALUE", false);
        }
        HttpRequest.BodyPublisher body;
        try {
          body = HttpRequest.BodyPublishers.ofFile(a.file());
        } catch (FileNotFoundException gone) {
          throw new MlflowApiException("artifact '" + a.name() + "' is no longer in the journal: " + a.file(), gone,
              0, null, false);
        }
        http.putArtifact(root(runId) + "/" + encodeSegments(a.name()), body);
      }
    }
  }

  /** {@code <exp>/<run>/artifacts} of the run's {@code mlflow-artifacts:/} URI, looked up once. */
  private String root(String runId) throws Exception {
    if (root == null) {
      JsonNode info = http.get("runs/get", Map.of("run_id", runId)).path("run").path("info");
      String uri = info.path("artifact_uri").asText("");
      if (!uri.startsWith(PROXIED)) {
        throw new MlflowApiException("the MLflow server does not serve artifacts: run " + runId + " has artifact_uri '"
            + uri + "', not mlflow-artifacts:/...; start the server with --serve-artifacts (the default since 2.0)"
            + " and a default artifact root it proxies, or leave images and artifacts out of this backend"
            + " (sample: {images: ..., artifacts: ...}, exclude)", null, 0, null, false);
      }
      root = uri.substring(PROXIED.length()).replaceAll("^/+", "");
    }
    return root;
  }

  /** Letters, digits and {@code _ . - + ~ =} kept; anything else becomes '_'. */
  private static String safe(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_.-+~=".indexOf(c) >= 0;
      sb.append(ok ? c : '_');
    }
    String out = sb.toString();
    return out.contains("..") ? out.replace("..", "__") : out;
  }

  /** Each '/'-separated segment URL-encoded once (a space as %20, which one decoding turns back). */
  private static String encodeSegments(String name) {
    StringBuilder sb = new StringBuilder();
    for (String part : name.split("/")) {
      sb.append(sb.length() == 0 ? "" : "/")
          .append(java.net.URLEncoder.encode(part, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }
}
