package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trainlog import tensorboard} carries PyTorch's and tensorboardX's {@code add_image} PNGs through. */
class ImportImagesTest {

  @TempDir Path tmp;

  @Test
  void importedImagesReachTheBackendsAsImagesWithTheirStep() throws Exception {
    Path logs = Fixtures.copyLogs(tmp.resolve("logs"));
    Path yaml = Fixtures.yaml(tmp, "  lines: {type: jsonl, path: '" + tmp.resolve("jsonl")
        + "/${TRAINLOG_EXPERIMENT}/${TRAINLOG_RUN_NAME}.jsonl'}\n");
    Fixtures.Result r = Fixtures.run("import", "tensorboard", logs.resolve("torch").toString(), "--config",
        yaml.toString());
    assertThat(r.code()).as(r.err()).isZero();

    Path file = tmp.resolve("jsonl/torch/run.jsonl");
    List<JsonNode> withImage = Fixtures.jsonLines(file).stream()
        .filter(l -> l.get("metrics").has("img")).toList();
    assertThat(withImage).extracting(l -> l.get("step").asLong()).containsExactly(9L);
    JsonNode img = withImage.get(0).get("metrics").get("img").get(0);
    assertThat(img.get("format").asText()).isEqualTo("png");
    BufferedImage read = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(file.getParent()
        .resolve(img.get("path").asText()))));
    // make_fixtures.py's CHW image: red channel [[255, 0], [0, 255]], blue [[0, 255], [255, 0]]
    assertThat(read.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
    assertThat(read.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x0000FF);
  }
}
