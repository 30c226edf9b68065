package dev.trainlog.core.internal.journal;

import dev.trainlog.api.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BufferedImage} logged by a training thread is stored as its raw ARGB pixels (a copy, no
 * encoding on that thread) and encoded to PNG by the first backend worker that reads it; the PNG is
 * kept beside the pixels so the other backends read it as it is.
 */
public final class PngEncoding {

  static final String RAW_EXTENSION = "argb";

  private static final Logger LOG = LoggerFactory.getLogger(PngEncoding.class);

  /** Whether keeping an encoded PNG failed once already in this JVM (warned once). */
  private static final AtomicBoolean KEEP_FAILED = new AtomicBoolean();

  private PngEncoding() {}

  /** The pixels of {@code image} as this store keeps them: width, height, then one int per pixel. */
  public static byte[] pixelsOf(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    ByteBuffer out = ByteBuffer.allocate(8 + argb.length * 4);
    out.putInt(w).putInt(h);
    out.asIntBuffer().put(argb);
    return out.array();
  }

  /**
   * The encoded bytes of the image {@code id}: read as stored (from its spare while that is not renamed
   * yet), or encoded once from its pixels.
   */
  static byte[] bytesOf(Path blobDir, String id, Image.Format format, long length) throws IOException {
    Path encoded = blobDir.resolve(id + "." + format.extension());
    try {
      // checked against its id (one CRC pass): a damaged byte is an error, not an image sent as it is; a PNG
      // encoded here from pixels (length unknown, -1) has the pixels' id, checked when they were read
      return checked(encoded, id, UnpublishedBlobs.read(encoded), length >= 0);
    } catch (NoSuchFileException e) {
      Path raw = blobDir.resolve(id + "." + RAW_EXTENSION);
      if (format != Image.Format.PNG || !UnpublishedBlobs.exists(raw)) {
        throw e;
      }
      byte[] png = encode(checked(raw, id, UnpublishedBlobs.read(raw), true));
      keep(png, blobDir.resolve(id + ".png.tmp" + Thread.currentThread().getId()), encoded);
      return png;
    }
  }

  /**
   * Keeps {@code png} as {@code encoded} for the other backends. Failing to (a full disk) only costs them an
   * encoding of their own: the pixels are still there, so the image is sent now rather than held back.
   */
  private static void keep(byte[] png, Path tmp, Path encoded) {
    try {
      Files.write(tmp, png);
      Files.move(tmp, encoded, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!KEEP_FAILED.getAndSet(true)) {
        LOG.warn("Could not keep {} ({}); each backend encodes such images from their pixels until it can",
            encoded, e.toString());
      }
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a directory or a file we cannot delete either: the next encoding writes beside it under its own name
      }
    }
  }

  private static byte[] checked(Path file, String id, byte[] bytes, boolean check) throws DamagedBlobException {
    if (check && !ContentIds.matches(id, bytes)) {
      throw new DamagedBlobException(file, id);
    }
    return bytes;
  }

  /** PNG bytes of the pixels {@link #pixelsOf} gave. */
  public static byte[] encode(byte[] rawFile) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(rawFile);
    int w = in.getInt();
    int h = in.getInt();
    int[] argb = new int[w * h];
    in.asIntBuffer().get(argb);
    boolean alpha = false;
    for (int p : argb) {
      if ((p >>> 24) != 0xFF) {
        alpha = true;
        break;
      }
    }
    BufferedImage img = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, w, h, argb, 0, w);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, "png", out)) {
      throw new IOException("this JDK has no PNG writer");
    }
    return out.toByteArray();
  }
}
