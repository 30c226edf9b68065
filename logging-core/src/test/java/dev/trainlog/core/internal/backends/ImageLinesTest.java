package dev.trainlog.core.internal.backends;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestRecords;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the console and JSON lines show images and artifacts. */
class ImageLinesTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "run");

  static Image image(int w, int h, int length) {
    return new Image(Image.Format.PNG, w, h, length, "id" + w, () -> new byte[length]);
  }

  @Test
  void theConsolePrintsOneLinePerImageAndPerArtifact() throws Exception {
    StringWriter out = new StringWriter();
    ConsoleBackend console = new ConsoleBackend(out, run, List.of());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("loss", 0.5);
    m.put("samples/prompt_0", Images.of(List.of(image(1024, 1024, 1_400_000), image(512, 512, 812))));
    console.write(List.of(TestRecords.record(run, 500, m),
        TestRecords.record(run, 600, Map.of("ckpt/a.bin", new Artifact("ckpt/a.bin", 3_200, "c", dir)))));
    assertThat(out.toString().lines().toList()).containsExactly(
        "[exp/run] step 500  loss=0.500000",
        "samples/prompt_0 @ 500: 1024×1024 PNG, 1.4 MB",
        "samples/prompt_0 @ 500: 512×512 PNG, 812 B",
        "artifact ckpt/a.bin @ 600: 3.2 kB");
  }

  @Test
  void jsonLinesCopiesImagesAndArtifactsBesideTheFileAndWritesTheirRelativePath() throws Exception {
    Path file = dir.resolve("out/steps.jsonl");
    JsonlBackend jsonl = new JsonlBackend(file);
    jsonl.open();
    byte[] png = new byte[] {(byte) 0x89, 'P', 'N', 'G'};
    Path ckpt = Files.write(dir.resolve("w.bin"), new byte[] {5, 6});
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples/grid", Images.of(new Image(Image.Format.PNG, 2, 1, 4, "abc", () -> png)));
    m.put("ckpt/w.bin", new Artifact("ckpt/w.bin", 2, "def", ckpt));
    LogRecord r = TestRecords.record(run, 500, m);
    jsonl.write(List.of(r));
    JsonNode line = new ObjectMapper().readTree(Files.readAllLines(file).get(0)).get("metrics");
    assertThat(line.get("samples/grid").get(0).get("path").asText())
        .isEqualTo("steps.jsonl.files/images/samples/grid/step-500-0.png");
    assertThat(line.get("samples/grid").get(0).get("width").asInt()).isEqualTo(2);
    assertThat(Files.readAllBytes(file.getParent().resolve("steps.jsonl.files/images/samples/grid/step-500-0.png")))
        .isEqualTo(png);
    assertThat(line.get("ckpt/w.bin").get("path").asText()).isEqualTo("steps.jsonl.files/artifacts/ckpt/w.bin");
    assertThat(Files.readAllBytes(file.getParent().resolve("steps.jsonl.files/artifacts/ckpt/w.bin")))
        .containsExactly(5, 6);
  }
}
