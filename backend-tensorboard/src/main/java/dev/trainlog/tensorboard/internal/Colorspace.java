package dev.trainlog.tensorboard.internal;

/** The colourspace field of TensorBoard's {@code Summary.Image}, read from a PNG's or JPEG's header. */
final class Colorspace {

  private Colorspace() {}

  /** 1 grey, 2 grey with alpha, 3 RGB, 4 RGBA; 3 when the header does not say. */
  static int of(byte[] encoded) {
    if (encoded.length > 25 && (encoded[0] & 0xFF) == 0x89) {
      switch (encoded[25]) { // the IHDR colour type
        case 0: return 1;
        case 4: return 2;
        case 6: return 4;
        default: return 3; // RGB or a palette
      }
    }
    int components = jpegComponents(encoded);
    return components == 1 ? 1 : 3;
  }

  private static int jpegComponents(byte[] b) {
    int i = 2;
    while (i + 9 < b.length && (b[i] & 0xFF) == 0xFF) {
      int marker = b[i + 1] & 0xFF;
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        return b[i + 9] & 0xFF;
      }
      i += 2 + (((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF));
    }
    return 3;
  }
}
