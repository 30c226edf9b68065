package dev.trainlog.testkit;

import java.nio.ByteBuffer;

/** Small image bytes for tests of backends that carry images as they are, without decoding them. */
public final class TestImages {

  private TestImages() {}

  /**
   * {@code length} bytes that start like a PNG of {@code width}×{@code height} (signature and IHDR size),
   * the rest filled from {@code fill}: recognised as PNG by the dispatcher, distinct per fill.
   */
  public static byte[] png(int width, int height, int fill, int length) {
    byte[] b = new byte[Math.max(length, 26)];
    byte[] head = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    System.arraycopy(head, 0, b, 0, head.length);
    ByteBuffer.wrap(b).putInt(16, width).putInt(20, height);
    for (int i = 24; i < b.length; i++) {
      b[i] = (byte) (fill + i);
    }
    return b;
  }
}
