package dev.trainlog.cli.importing;

import dev.trainlog.tensorboard.read.TbRun;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * Shows an import's progress: on a terminal a bar per run redrawn in place (at most every {@value
 * #REDRAW_MILLIS} ms), otherwise one plain line per run when it is done, which logs and CI read well.
 */
final class ImportProgress implements PassProgress {

  /** Least time between two redraws of a bar: {@value} ms. */
  static final long REDRAW_MILLIS = 200;
  private static final int BAR_WIDTH = 30;

  private final PrintWriter out;
  private final boolean terminal;
  private String label;
  private long totalBytes;
  private long lastDraw;

  ImportProgress(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void start(TbRun run, long totalBytes) {
    this.label = run.name();
    this.totalBytes = Math.max(1, totalBytes);
    this.lastDraw = 0;
    if (terminal) {
      draw(0, 0);
    }
  }

  @Override
  public void advance(long bytesDone, long steps) {
    long now = System.nanoTime();
    if (terminal && now - lastDraw >= TimeUnit.MILLISECONDS.toNanos(REDRAW_MILLIS)) {
      draw(bytesDone, steps);
    }
  }

  @Override
  public void finish(ImportTotals run, double seconds) {
    String line = label + ": " + run.describe() + String.format(java.util.Locale.ROOT, " (%.1f s)", seconds);
    if (terminal) {
      out.print("\r\033[2K");
    }
    out.println(line);
    out.flush();
  }

  private void draw(long bytesDone, long steps) {
    lastDraw = System.nanoTime();
    int filled = (int) Math.min(BAR_WIDTH, bytesDone * BAR_WIDTH / totalBytes);
    out.print("\r[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] "
        + Math.min(100, bytesDone * 100 / totalBytes) + "% " + label + " " + steps + " steps");
    out.flush();
  }
}
