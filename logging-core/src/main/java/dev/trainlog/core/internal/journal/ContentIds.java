package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The id of a blob's content: CRC-32C, CRC-32 and the length, in hex ({@code 8+8 hex digits-length}).
 * Both CRCs are JVM intrinsics, so the training thread pays about as much as copying the bytes, where a
 * SHA-256 of a 512×512 PNG cost it 1.5 ms (B10). {@link BlobStore} compares bytes when an id is taken,
 * so ids never mix contents in a store; backends that need a SHA-256 compute it from the bytes.
 */
final class ContentIds {

  private ContentIds() {}

  static String of(byte[] data) {
    CRC32C c = new CRC32C();
    c.update(data);
    CRC32 d = new CRC32();
    d.update(data);
    return format(c.getValue(), d.getValue(), data.length);
  }

  static String of(Path file) throws IOException {
    CRC32C c = new CRC32C();
    CRC32 d = new CRC32();
    long length = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        c.update(buf, 0, n);
        d.update(buf, 0, n);
        length += n;
      }
    }
    return format(c.getValue(), d.getValue(), length);
  }

  private static String format(long crc32c, long crc32, long length) {
    // the digits String.format("%08x%08x-%x") gives, without parsing a format on the training thread
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits((int) crc32c) + hex.toHexDigits((int) crc32) + "-" + Long.toHexString(length);
  }
}
