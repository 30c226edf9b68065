package dev.trainlog.examples;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Stands in for a LoRA trainer's sample generation: a 2×2 grid of "generated" images whose colours
 * sharpen as the loss falls, with the step written on it. What matters to TrainLog is that it is an
 * expensive picture made only when a backend {@code wants} it.
 */
final class SampleGrid {

  static final int CELL = 128;

  private SampleGrid() {}

  static BufferedImage render(long step, double loss) {
    BufferedImage img = new BufferedImage(2 * CELL, 2 * CELL, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    double clarity = Math.max(0, Math.min(1, 1 - loss * 5));
    for (int cell = 0; cell < 4; cell++) {
      int x0 = (cell % 2) * CELL;
      int y0 = (cell / 2) * CELL;
      float hue = (cell * 0.25f + step / 10_000f) % 1f;
      g.setColor(Color.getHSBColor(hue, (float) (0.2 + 0.7 * clarity), 0.9f));
      g.fillRect(x0, y0, CELL, CELL);
      g.setColor(Color.getHSBColor((hue + 0.5f) % 1f, 0.8f, (float) (0.3 + 0.6 * clarity)));
      int r = (int) (20 + 40 * clarity);
      g.fillOval(x0 + CELL / 2 - r, y0 + CELL / 2 - r, 2 * r, 2 * r);
    }
    g.setColor(Color.BLACK);
    g.drawString("step " + step, 6, 2 * CELL - 8);
    g.dispose();
    return img;
  }
}
