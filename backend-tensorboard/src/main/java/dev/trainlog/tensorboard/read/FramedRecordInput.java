package dev.trainlog.tensorboard.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads TFRecord frames (uint64 little-endian length, masked CRC-32C of it, data, masked CRC-32C of
 * the data) from a file channel at explicit offsets, through one window buffer that grows only to
 * the largest record. A frame cut short by the end of the file is reported as incomplete, never read;
 * since nothing is cached across calls but bytes, a later call sees what was appended meanwhile.
 */
final class FramedRecordInput {

  /** Bytes before a record's data: length and its CRC. */
  static final int HEADER_BYTES = 12;
  /** Bytes a frame adds to its data. */
  static final int FRAME_BYTES = 16;
  /** Window read at a time: {@value} bytes. */
  static final int WINDOW_BYTES = 64 * 1024;
  /** Records longer than this ({@value} bytes) are taken for damage: no summary is that large. */
  static final long MAX_RECORD_BYTES = 1L << 30;

  private static final int MASK_DELTA = 0xA282EAD8;

  /** What {@link #read} found at an offset. */
  enum Status { RECORD, END, INCOMPLETE, BAD_LENGTH_CRC, BAD_DATA_CRC, BAD_LENGTH }

  private final FileChannel channel;
  private final CRC32C crc = new CRC32C();
  private byte[] window = new byte[WINDOW_BYTES];
  private long windowStart;
  private int windowLength;

  private int dataOffset;
  private int dataLength;

  FramedRecordInput(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * Reads the frame at {@code offset}. On {@link Status#RECORD} its data is {@link #data()}[{@link
   * #dataOffset()}, +{@link #dataLength()}), valid until the next call; on {@link Status#BAD_DATA_CRC}
   * {@link #dataLength()} is the length the header gave.
   */
  Status read(long offset) throws IOException {
    int have = fill(offset, HEADER_BYTES);
    if (have == 0) {
      return Status.END;
    }
    if (have < HEADER_BYTES) {
      return Status.INCOMPLETE;
    }
    int h = (int) (offset - windowStart);
    long length = getLong(window, h);
    if (maskedCrc(window, h, 8) != getInt(window, h + 8)) {
      return Status.BAD_LENGTH_CRC;
    }
    if (length < 0 || length > MAX_RECORD_BYTES) {
      return Status.BAD_LENGTH;
    }
    int frame = (int) length + FRAME_BYTES;
    // checked before the window grows to the length, which in a damaged stretch may be any number
    if (channel.size() - offset < frame || fill(offset, frame) < frame) {
      return Status.INCOMPLETE;
    }
    int d = (int) (offset - windowStart) + HEADER_BYTES;
    dataOffset = d;
    dataLength = (int) length;
    if (maskedCrc(window, d, (int) length) != getInt(window, d + (int) length)) {
      return Status.BAD_DATA_CRC;
    }
    return Status.RECORD;
  }

  /**
   * The offset of the first frame after {@code from} whose length and data CRCs both match, or -1 if
   * none starts before the end of the file (or only an incomplete one does, then its offset).
   */
  long resync(long from) throws IOException {
    for (long p = from; ; p++) {
      int have = fill(p, HEADER_BYTES);
      if (have < HEADER_BYTES) {
        return -1;
      }
      int h = (int) (p - windowStart);
      if (maskedCrc(window, h, 8) == getInt(window, h + 8)) {
        Status s = read(p);
        if (s == Status.RECORD || s == Status.INCOMPLETE) {
          return p;
        }
      }
    }
  }

  byte[] data() {
    return window;
  }

  int dataOffset() {
    return dataOffset;
  }

  int dataLength() {
    return dataLength;
  }

  /** Makes {@code [offset, offset+n)} available in the window as far as the file reaches; returns how much is. */
  private int fill(long offset, int n) throws IOException {
    long windowEnd = windowStart + windowLength;
    if (offset >= windowStart && offset + n <= windowEnd) {
      return n;
    }
    if (window.length < n) {
      window = new byte[Math.max(n, window.length * 2)];
    }
    windowStart = offset;
    windowLength = 0;
    ByteBuffer target = ByteBuffer.wrap(window);
    while (target.hasRemaining()) {
      int r = channel.read(target, offset + target.position());
      if (r <= 0) {
        break;
      }
    }
    windowLength = target.position();
    return Math.min(n, windowLength);
  }

  private int maskedCrc(byte[] b, int off, int len) {
    crc.reset();
    crc.update(b, off, len);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  private static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }

  private static int getInt(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
  }
}
