package dev.trainlog.cli;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.testkit.MutableClock;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Two runs with sample images, logged through {@link LogDispatcher} into the MongoDB backend (GridFS):
 * {@code img-a} ("lora-a") and {@code img-b} ("lora-b") of experiment {@code images_exp}, a loss every 50
 * steps and a grid of {@link #CELLS} images under {@link #KEY} at each of {@link #SAMPLE_STEPS}; every image
 * is a distinct PNG whose width tells run and cell apart.
 */
final class ImageRuns {

  static final String KEY = "samples/prompt_0";
  static final long[] SAMPLE_STEPS = {500, 1000, 1500};
  static final int CELLS = 2;
  static final String[] RUNS = {"img-a", "img-b"};

  /** Every logged image: {@code "<run> <step> <cell>"} to its bytes, in logging order. */
  final Map<String, byte[]> logged = new LinkedHashMap<>();

  /** Logs both runs into {@code store} and returns what was logged. */
  static ImageRuns log(LoggedRuns store) {
    ImageRuns out = new ImageRuns();
    for (int r = 0; r < RUNS.length; r++) {
      String name = "lora-" + (char) ('a' + r);
      LogDispatcher d = store.dispatcher(LoggedRuns.run("images_exp", name, RUNS[r], 16 * (r + 1)),
          new MutableClock(LoggedRuns.T0));
      for (long s = 50; s <= SAMPLE_STEPS[SAMPLE_STEPS.length - 1]; s += 50) {
        var step = d.step(s).scalar("loss", 1.0 / s);
        if (s % 500 == 0) {
          for (int c = 0; c < CELLS; c++) {
            byte[] png = png(r, s, c);
            out.logged.put(RUNS[r] + " " + s + " " + c, png);
            step.image(KEY, png);
          }
        }
        step.log();
      }
      d.close(RunStatus.FINISHED);
    }
    return out;
  }

  /** The width of run {@code r}'s cell {@code c}: {@code 40 + 10 r + 4 c} pixels. */
  static int width(int r, int c) {
    return 40 + 10 * r + 4 * c;
  }

  /** A PNG of {@link #width} x 32 pixels in a colour of its own. */
  static byte[] png(int r, long step, int c) {
    BufferedImage image = new BufferedImage(width(r, c), 32, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(60 + 150 * r, (int) (step / 10 % 256), 40 + 100 * c));
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.dispose();
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(image, "png", bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
