package dev.trainlog.examples.crash;

import dev.trainlog.core.LogDispatcher;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * The training process {@link ImageKillNineTest} kills: every step logs a loss and a small PNG that only
 * that step has, every 25th step also a {@link BufferedImage}, printing "logged N" once {@code log()}
 * returned. With a negative count it only closes: the drain after the kills.
 */
public final class ImageCrashChild {

  private ImageCrashChild() {}

  public static void main(String[] args) throws InterruptedException {
    LogDispatcher log = CrashChild.openOrDrain(args);
    if (log == null) {
      return;
    }
    long from = Long.parseLong(args[1]);
    long count = Long.parseLong(args[2]);
    if (args.length > 3) {
      threads(log, Integer.parseInt(args[3]), from, count);
      return;
    }
    for (long step = from; step < from + count; step++) {
      var b = log.step(step).scalar("loss", 1.0 / (step + 1)).image("samples/step", png(step));
      if (step % 25 == 0) {
        b.image("samples/pixels", picture(step));
      }
      b.log();
      System.out.println("logged " + step);
    }
    System.out.println("done");
    Thread.currentThread().join(); // until killed
  }

  /**
   * {@code n} threads logging at once, thread {@code t} the steps {@code from + t}, {@code from + t + n}, ...: each an
   * image of its own, and every fifth step's image also the one of step 0, which every thread logs again.
   */
  private static void threads(LogDispatcher log, int n, long from, long count) throws InterruptedException {
    for (int t = 0; t < n; t++) {
      long first = from + t;
      Thread thread = new Thread(() -> {
        for (long step = first; step < from + count; step += n) {
          var b = log.step(step).scalar("loss", 1.0 / (step + 1)).image("samples/step", png(step));
          if (step % 5 == 0) {
            b.image("samples/shared", png(0));
          }
          b.log();
          synchronized (System.out) {
            System.out.println("logged " + step);
          }
        }
      }, "trainer-" + t);
      thread.start();
    }
    Thread.currentThread().join(); // until killed
  }

  /** A 3×2 picture whose pixels encode {@code step}: each step's image is its own. */
  static BufferedImage picture(long step) {
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < 6; i++) {
      img.setRGB(i % 3, i / 3, (int) (step * 7919 + i) & 0xFFFFFF);
    }
    return img;
  }

  static byte[] png(long step) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(picture(step), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
