package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The id of a blob's content: the CRC-32C of its first half, that of its second half and the length, in
 * hex ({@code 8+8 hex digits-length}). One pass over the bytes with a JVM intrinsic, so the training thread
 * pays less than copying them, where a SHA-256 of a 512×512 PNG cost it 1.5 ms and the CRC-32C and CRC-32
 * of the whole (the ids of earlier versions, two passes) 13 µs more than one pass (B10). {@link BlobStore}
 * compares bytes when an id is taken, so ids never mix contents in a store, however weak; backends that need
 * a SHA-256 compute it from the bytes.
 */
final class ContentIds {

  private ContentIds() {}

  static String of(byte[] data) {
    int half = data.length >>> 1;
    CRC32C first = new CRC32C();
    first.update(data, 0, half);
    CRC32C second = new CRC32C();
    second.update(data, half, data.length - half);
    return format(first.getValue(), second.getValue(), data.length);
  }

  static String of(Path file) throws IOException {
    return read(file, false).id;
  }

  /**
   * Whether {@code id} (without a {@code -n} suffix) names the content of {@code file}, as this version's
   * ids do or as earlier versions' did (the CRC-32C and the CRC-32 of the whole): a spare filled by an
   * earlier version before a crash is recovered by this one.
   */
  static boolean names(String id, Path file) throws IOException {
    Sums sums = read(file, true);
    return id.equals(sums.id) || id.equals(sums.earlierId);
  }

  /**
   * Whether {@code id} (with or without a {@code -n} suffix) names {@code data}, as this version's ids do or as
   * earlier versions' did: a blob file whose bytes changed since it was stored (a damaged disk) does not. An id
   * of another form is not checked (true).
   */
  static boolean matches(String id, byte[] data) {
    if (!isOne(id)) {
      return true; // another kind of id (an image made with Image.of has its SHA-256, adopted as it is): not checked
    }
    int suffix = id.indexOf('-', HEX_DIGITS + 1);
    String base = suffix < 0 ? id : id.substring(0, suffix);
    if (base.equals(of(data))) {
      return true;
    }
    CRC32C whole = new CRC32C();
    whole.update(data, 0, data.length);
    CRC32 wholeCrc32 = new CRC32();
    wholeCrc32.update(data, 0, data.length);
    return base.equals(format(whole.getValue(), wholeCrc32.getValue(), data.length));
  }

  private static final int HEX_DIGITS = 16;

  /** Whether {@code id} has the form of a content id: 16 hex digits, a dash, the length in hex (then maybe -n). */
  static boolean isOne(String id) {
    if (id.length() < HEX_DIGITS + 2 || id.charAt(HEX_DIGITS) != '-') {
      return false;
    }
    for (int i = 0; i < HEX_DIGITS; i++) {
      if (Character.digit(id.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private record Sums(String id, String earlierId) {}

  private static Sums read(Path file, boolean earlier) throws IOException {
    long size = Files.size(file);
    long half = size >>> 1;
    CRC32C first = new CRC32C();
    CRC32C second = new CRC32C();
    CRC32C whole = new CRC32C();
    CRC32 wholeCrc32 = new CRC32();
    long length = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        int inFirst = (int) Math.max(0, Math.min(n, half - length));
        first.update(buf, 0, inFirst);
        second.update(buf, inFirst, n - inFirst);
        if (earlier) {
          whole.update(buf, 0, n);
          wholeCrc32.update(buf, 0, n);
        }
        length += n;
      }
    }
    if (length != size) {
      throw new IOException(file + " changed while it was read (" + size + " bytes, then " + length + ")");
    }
    return new Sums(format(first.getValue(), second.getValue(), length),
        earlier ? format(whole.getValue(), wholeCrc32.getValue(), length) : null);
  }

  private static String format(long a, long b, long length) {
    // the digits String.format("%08x%08x-%x") gives, without parsing a format on the training thread
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits((int) a) + hex.toHexDigits((int) b) + "-" + Long.toHexString(length);
  }
}
