package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.spi.BackendException;
import dev.trainlog.testkit.TestImages;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images and artifacts through the real MLflow 2.17 server's artifact proxy: listed under the names the
 * backend chose, their bytes equal to what was logged.
 */
class RealServerArtifactsTest extends RealServerTestBase {

  @TempDir Path dir;

  static byte[] png(int w, int h, int fill) {
    return TestImages.png(w, h, fill, 64);
  }

  private static LogRecord record(dev.trainlog.api.RunInfo run, long step, Map<String, Object> m) {
    return TestRecords.record(run, step, m);
  }

  private List<String> listed(String runId, String path) throws Exception {
    List<String> out = new ArrayList<>();
    JsonNode files = reader.get("artifacts/list", Map.of("run_id", runId, "path", path)).path("files");
    for (JsonNode f : files) {
      if (f.path("is_dir").asBoolean()) {
        out.addAll(listed(runId, f.path("path").asText()));
      } else {
        out.add(f.path("path").asText());
      }
    }
    return out;
  }

  private byte[] download(String runId, String path) throws IOException, InterruptedException {
    String uri = runsGet(runId).path("info").path("artifact_uri").asText();
    String root = uri.substring("mlflow-artifacts:/".length()).replaceAll("^/+", "");
    StringBuilder encoded = new StringBuilder();
    for (String part : path.split("/")) {
      encoded.append(encoded.length() == 0 ? "" : "/").append(java.net.URLEncoder.encode(part,
          java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(trackingUri
        + "/api/2.0/mlflow-artifacts/artifacts/" + root + "/" + encoded)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }

  @Test
  void imagesAndArtifactsAreStoredUnderNamesTheProxyKeepsIntactWithTheirBytes() throws Exception {
    MlflowBackend backend = open(config(), run("images"));
    byte[] a = png(4, 3, 1);
    byte[] b = png(4, 3, 2);
    byte[] c = png(8, 8, 3);
    Path ckpt = Files.write(dir.resolve("lora.safetensors"), new byte[] {7, 7, 7});
    Map<String, Object> m500 = new LinkedHashMap<>();
    m500.put("loss", 0.25);
    m500.put("samples/prompt_0", Images.of(List.of(Image.of(a), Image.of(b))));
    m500.put("grid", Images.of(Image.of(c)));
    Map<String, Object> m1000 = new LinkedHashMap<>();
    m1000.put("checkpoints/lora step-1000.safetensors", new Artifact("checkpoints/lora step-1000.safetensors", 3,
        "x", ckpt));
    LogRecord first = record(run("images"), 500, m500);
    backend.write(List.of(first, record(run("images"), 1000, m1000)));

    String ts = Long.toString(first.timestampMillis());
    assertThat(listed(backend.runId(), "images")).containsExactlyInAnyOrder(
        "images/samples~prompt_0+step+500+timestamp+" + ts + "+0.png",
        "images/samples~prompt_0+step+500+timestamp+" + ts + "+1.png",
        "images/grid+step+500+timestamp+" + ts + "+0.png");
    assertThat(download(backend.runId(), "images/samples~prompt_0+step+500+timestamp+" + ts + "+1.png")).isEqualTo(b);
    assertThat(download(backend.runId(), "images/grid+step+500+timestamp+" + ts + "+0.png")).isEqualTo(c);
    assertThat(listed(backend.runId(), "checkpoints")).containsExactly("checkpoints/lora step-1000.safetensors");
    assertThat(download(backend.runId(), "checkpoints/lora step-1000.safetensors")).containsExactly(7, 7, 7);
    assertThat(history(backend.runId(), "loss")).extracting(Point::step).containsExactly(500L);
  }

  @Test
  void anArtifactNameTheProxyWouldRewriteIsADeadLetterWithTheReasonAndTheScalarsBesideItAreKept() throws Exception {
    MlflowBackend backend = open(config(), run("bad-name"));
    Path f = Files.write(dir.resolve("f.bin"), new byte[] {1});
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("loss", 0.5);
    m.put("ckpt/100%.bin", new Artifact("ckpt/100%.bin", 1, "y", f));
    LogRecord r = record(run("bad-name"), 3, m);
    assertThatThrownBy(() -> backend.write(List.of(r)))
        .isInstanceOf(BackendException.class)
        .hasMessage("MLflow permanently refused 1 of 1 records: artifact name 'ckpt/100%.bin' holds %, #, '..' or a"
            + " leading '/', which MLflow's artifact proxy refuses or rewrites")
        .satisfies(e -> assertThat(((BackendException) e).failedRecords()).containsExactly(r));
    assertThat(history(backend.runId(), "loss")).extracting(Point::step).containsExactly(3L);
  }
}
