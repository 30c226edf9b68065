package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunStatus;
import dev.trainlog.tensorboard.read.EventFileReader;
import dev.trainlog.tensorboard.read.TbRecord;
import dev.trainlog.tensorboard.read.TensorBoardLogDir;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images become {@code Summary.Image} values, read back by the tests' own protobuf decoder, by this module's
 * reader, and by the real TensorBoard's {@code EventAccumulator.Images} where a Python with TensorBoard is found.
 */
class ImageSummaryTest {

  @TempDir Path logDir;

  static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, format, out);
    return out.toByteArray();
  }

  static BufferedImage picture(int w, int h, int type) {
    BufferedImage img = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, 0x80000000 | (x * 40) << 16 | (y * 40) << 8);
      }
    }
    return img;
  }

  private final byte[] rgba = pngOf(BufferedImage.TYPE_INT_ARGB);
  private final byte[] rgb = pngOf(BufferedImage.TYPE_INT_RGB);

  private static byte[] pngOf(int type) {
    try {
      return encode(picture(5, 3, type), "png");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Path writeRun() throws Exception {
    byte[] jpeg = encode(picture(8, 6, BufferedImage.TYPE_INT_RGB), "jpg");
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    List<LogRecord> records = new ArrayList<>();
    for (long step = 0; step < 3; step++) {
      records.add(Fixtures.record(Fixtures.RUN, step * 500, "loss", 1.0 / (step + 1), "samples/prompt_0",
          Images.of(Image.of(step == 1 ? jpeg : rgba)),
          "samples/grid", Images.of(List.of(Image.of(rgb), Image.of(rgba)))));
    }
    records.add(Fixtures.record(Fixtures.RUN, 1500, "ckpt/lora.safetensors",
        new Artifact("ckpt/lora.safetensors", 3, "abc", logDir.resolve("nothing-read"))));
    backend.write(records);
    backend.close(RunStatus.FINISHED);
    return Fixtures.runDir(logDir, Fixtures.RUN);
  }

  @Test
  void imagesAreImageSummariesWithTheirBytesSizeAndColourspaceAndArtifactsAreSkipped() throws Exception {
    Path runDir = writeRun();
    List<TbEvent> events = Fixtures.recordEvents(runDir);
    assertThat(events).extracting(TbEvent::step).containsExactly(0L, 500L, 1000L);
    TbEvent first = events.get(0);
    TbEvent.Image prompt = first.value("samples/prompt_0").image();
    assertThat(prompt.width()).isEqualTo(5);
    assertThat(prompt.height()).isEqualTo(3);
    assertThat(prompt.colorspace()).isEqualTo(4);
    assertThat(prompt.encoded()).isEqualTo(rgba);
    assertThat(first.value("samples/grid/0").image().colorspace()).isEqualTo(3);
    assertThat(first.value("samples/grid/0").image().encoded()).isEqualTo(rgb);
    assertThat(first.value("samples/grid/1").image().encoded()).isEqualTo(rgba);
    TbEvent.Image jpeg = events.get(1).value("samples/prompt_0").image();
    assertThat(jpeg.width()).isEqualTo(8);
    assertThat(jpeg.height()).isEqualTo(6);
    assertThat(jpeg.colorspace()).isEqualTo(3);
    assertThat(EventFiles.allEvents(runDir)).flatExtracting(TbEvent::values).extracting(TbEvent.Value::tag)
        .doesNotContain("ckpt/lora.safetensors");
  }

  @Test
  void theModulesReaderReadsTheImagesBack() throws Exception {
    Path runDir = writeRun();
    List<TbRecord> read = new ArrayList<>();
    for (Path file : TensorBoardLogDir.scan(logDir).get(0).eventFiles()) {
      try (EventFileReader reader = EventFileReader.open(file)) {
        for (TbRecord r; (r = reader.next()) != null; ) {
          if (!r.images().isEmpty()) {
            read.add(r);
          }
        }
      }
    }
    assertThat(read).extracting(TbRecord::step).containsExactly(0L, 500L, 1000L);
    assertThat(read.get(0).images().keySet()).containsExactly("samples/prompt_0", "samples/grid/0", "samples/grid/1");
    assertThat(read.get(0).images().get("samples/grid/1").bytes()).isEqualTo(rgba);
    assertThat(read.get(1).images().get("samples/prompt_0").format()).isEqualTo(Image.Format.JPEG);
    assertThat(runDir).isDirectory();
  }

  @Test
  void theRealTensorBoardShowsTheImagesByStep() throws Exception {
    Path python = RealTensorBoard.python("ImageSummaryTest.theRealTensorBoardShowsTheImagesByStep");
    Path runDir = writeRun();
    String script = String.join("\n",
        "import sys, hashlib",
        "from tensorboard.backend.event_processing.event_accumulator import EventAccumulator",
        "acc = EventAccumulator(sys.argv[1], size_guidance={'images': 0})",
        "acc.Reload()",
        "for tag in sorted(acc.Tags()['images']):",
        "    for e in acc.Images(tag):",
        "        print(tag, e.step, e.width, e.height, hashlib.sha256(e.encoded_image_string).hexdigest())",
        "");
    String out = RealTensorBoard.run(python, script, runDir.toString());
    String sRgba = Image.sha256(rgba);
    String sRgb = Image.sha256(rgb);
    assertThat(out.lines().toList()).contains(
        "samples/grid/0 0 5 3 " + sRgb,
        "samples/grid/1 1000 5 3 " + sRgba,
        "samples/prompt_0 0 5 3 " + sRgba,
        "samples/prompt_0 1000 5 3 " + sRgba)
        .anyMatch(l -> l.startsWith("samples/prompt_0 500 8 6 "))
        .hasSize(9);
  }
}
