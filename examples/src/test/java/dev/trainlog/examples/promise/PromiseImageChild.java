package dev.trainlog.examples.promise;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.BackendStats;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A trainer logging a loss and an image of its own per step. Modes:
 * {@code yaml run from} logs from {@code from} on, printing "logged N" after each, until killed;
 * {@code yaml outage first rest backend} logs first steps, flushes, prints phase1, waits for a line, logs 60, waits for a retry
 * of {@code backend}, logs rest more, prints stats and "done", waits to be killed;
 * {@code yaml drain} opens, closes, prints "stats <backend> written= dropped= failed=" per backend and "closed".
 */
public final class PromiseImageChild {

  private PromiseImageChild() {}

  public static void main(String[] args) throws Exception {
    LogDispatcher log = LogDispatcher.fromYaml(Path.of(args[0]));
    switch (args[1]) {
      case "drain" -> {
        boolean all = log.close(RunStatus.FINISHED);
        printStats(log);
        System.out.println("closed " + all);
      }
      case "run" -> {
        for (long step = Long.parseLong(args[2]); ; step++) {
          log.step(step).scalar("loss", 1.0 / (step + 1)).image("samples/step", png(step)).log();
          System.out.println("logged " + step);
        }
      }
      case "outage" -> {
        long first = Long.parseLong(args[2]);
        long rest = Long.parseLong(args[3]);
        String backend = args[4];
        long step = 0;
        for (; step < first; step++) {
          one(log, step);
        }
        System.out.println("phase1 flushed=" + log.flush(Duration.ofSeconds(30)));
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        for (long end = step + 60; step < end; step++) {
          one(log, step);
        }
        while (log.stats().backends().get(backend).retried() == 0) {
          Thread.onSpinWait();
        }
        for (long end = step + rest; step < end; step++) {
          one(log, step);
        }
        System.out.println("logged=" + log.stats().logged() + " refused=" + log.stats().refused() + " refusedFiles="
            + log.stats().refusedFiles() + " last=" + (step - 1));
        printStats(log);
        System.out.println("done");
        Thread.currentThread().join();
      }
      case "scalars" -> { // yaml scalars from count close|wait: loss = step
        long from = Long.parseLong(args[2]);
        long count = Long.parseLong(args[3]);
        for (long step = from; step < from + count; step++) {
          log.step(step).scalar("loss", (double) step).log();
        }
        if (args[4].equals("close")) {
          boolean all = log.close(RunStatus.FINISHED);
          printStats(log);
          System.out.println("closed " + all);
        } else {
          System.out.println("done");
          System.out.flush();
          Thread.currentThread().join();
        }
      }
      default -> throw new IllegalArgumentException(args[1]);
    }
  }

  private static void one(LogDispatcher log, long step) {
    log.step(step).scalar("loss", 1.0 / (step + 1)).image("samples/step", png(step)).log();
  }

  static void printStats(LogDispatcher log) {
    for (Map.Entry<String, BackendStats> e : log.stats().backends().entrySet()) {
      BackendStats m = e.getValue();
      System.out.println("stats " + e.getKey() + " written=" + m.written() + " dropped=" + m.dropped() + " failed="
          + m.failed() + " queued=" + m.queued());
    }
  }

  /** A 40×40 noise picture seeded by {@code step}: a PNG of about 5 kB that only this step has. */
  public static byte[] png(long step) {
    BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
    Random r = new Random(step * 1_000_003L + 17);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 40; x++) {
        img.setRGB(x, y, r.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
