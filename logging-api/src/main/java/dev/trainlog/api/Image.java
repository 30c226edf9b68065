package dev.trainlog.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One logged image: its encoded bytes (PNG or JPEG, as logged), pixel size and a content id. The
 * bytes live in a file beside the journal and are read when a backend asks for them, so a record
 * holding images stays small; equal bytes have equal {@link #contentId()}.
 */
public final class Image {

  /** The encodings TrainLog carries, detected by their magic bytes. */
  public enum Format {
    PNG("image/png", "png"),
    JPEG("image/jpeg", "jpg");

    private final String contentType;
    private final String extension;

    Format(String contentType, String extension) {
      this.contentType = contentType;
      this.extension = extension;
    }

    public String contentType() {
      return contentType;
    }

    /** The usual file name extension, without a dot. */
    public String extension() {
      return extension;
    }
  }

  /** Where the encoded bytes are read from when asked for. */
  @FunctionalInterface
  public interface Bytes {
    byte[] read() throws IOException;
  }

  private final Format format;
  private final int width;
  private final int height;
  private final long length;
  private final String contentId;
  private final Bytes bytes;

  /** An image whose bytes are read by {@code bytes}; {@code length} is the encoded size, or -1 when unknown. */
  public Image(Format format, int width, int height, long length, String contentId, Bytes bytes) {
    this.format = Objects.requireNonNull(format, "format");
    this.width = width;
    this.height = height;
    this.length = length;
    this.contentId = Objects.requireNonNull(contentId, "contentId");
    this.bytes = Objects.requireNonNull(bytes, "bytes");
  }

  /**
   * An image of encoded PNG or JPEG bytes held in memory (an importer's, a test's), its size read from
   * the header; throws {@link IllegalArgumentException} for other bytes.
   */
  public static Image of(byte[] encoded) {
    Header h = Header.read(encoded);
    byte[] copy = encoded.clone();
    return new Image(h.format, h.width, h.height, copy.length, sha256(copy), () -> copy);
  }

  public Format format() {
    return format;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The encoded size in bytes, or -1 when not known before reading. */
  public long length() {
    return length;
  }

  /**
   * The id of the stored content: equal bytes share it and different bytes never do within a run (the
   * journal's ids are checksums and length, checked byte for byte; {@link #of} uses the SHA-256).
   */
  public String contentId() {
    return contentId;
  }

  /** The encoded bytes, read (or encoded) now; throws {@link UncheckedIOException} when they are gone. */
  public byte[] bytes() {
    try {
      return bytes.read();
    } catch (IOException e) {
      throw new UncheckedIOException("image " + contentId + " could not be read: " + e.getMessage(), e);
    }
  }

  /** The SHA-256 of {@code data} in lower-case hex. */
  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Image other && contentId.equals(other.contentId) && format == other.format;
  }

  @Override
  public int hashCode() {
    return contentId.hashCode();
  }

  /** E.g. {@code 1024×1024 PNG, 1.4 MB}. */
  @Override
  public String toString() {
    return width + "×" + height + " " + format + (length < 0 ? "" : ", " + humanSize(length));
  }

  /** {@code 812 B}, {@code 3.2 kB}, {@code 1.4 MB}: decimal units, one decimal. */
  public static String humanSize(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    if (bytes < 1_000_000) {
      return String.format(java.util.Locale.ROOT, "%.1f kB", bytes / 1e3);
    }
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** The format and size an encoded image's header states. */
  public static final class Header {
    private final Format format;
    private final int width;
    private final int height;

    private Header(Format format, int width, int height) {
      this.format = format;
      this.width = width;
      this.height = height;
    }

    public Format format() {
      return format;
    }

    public int width() {
      return width;
    }

    public int height() {
      return height;
    }

    /** Reads a PNG's IHDR or a JPEG's first frame header; {@link IllegalArgumentException} for anything else. */
    public static Header read(byte[] b) {
      if (b.length >= 24 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
          && b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R') {
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new Header(Format.PNG, bb.getInt(16), bb.getInt(20));
      }
      if (b.length >= 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
        return jpeg(b);
      }
      throw new IllegalArgumentException("neither PNG nor JPEG (starts with " + start(b) + ")");
    }

    private static Header jpeg(byte[] b) {
      int i = 2;
      while (i + 9 < b.length) {
        if ((b[i] & 0xFF) != 0xFF) {
          break;
        }
        int marker = b[i + 1] & 0xFF;
        if (marker == 0xFF) {
          i++; // fill byte
          continue;
        }
        int segment = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
        boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frame) {
          int height = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
          int width = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
          return new Header(Format.JPEG, width, height);
        }
        i += 2 + segment;
      }
      throw new IllegalArgumentException("a JPEG without a frame header (truncated?)");
    }

    private static String start(byte[] b) {
      return b.length == 0 ? "nothing: 0 bytes" : HexFormat.ofDelimiter(" ").formatHex(b, 0, Math.min(8, b.length));
    }
  }
}
