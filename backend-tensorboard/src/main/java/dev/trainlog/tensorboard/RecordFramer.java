package dev.trainlog.tensorboard;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Frames records the way TensorBoard reads them (TFRecord): little-endian uint64 length, masked
 * CRC-32C of those 8 bytes, the data, masked CRC-32C of the data. The backend frames in place
 * ({@link #frameInPlace}): the event is encoded after a reserved header, so nothing is copied. {@link
 * #write} frames into a stream instead, with one reused frame buffer, so each record reaches the
 * stream in a single write. Neither allocates once its buffer fits the largest record.
 */
public final class RecordFramer {

  /** Added to the rotated CRC so that a CRC of CRCs does not read as valid. */
  private static final int MASK_DELTA = 0xA282EAD8;

  /** Room {@link #frameInPlace} needs in front of a record's data: length and its CRC. */
  public static final int HEADER_BYTES = 12;

  private final CRC32C crc = new CRC32C();
  private byte[] frame = new byte[256];
  // consecutive records often have the same length, and then the same header CRC
  private int lastLength = -1;
  private int lastHeaderCrc;

  /** Writes one framed record holding {@code data[0..length)}; returns the bytes written. */
  public int write(OutputStream out, byte[] data, int length) throws IOException {
    int total = length + 16;
    if (frame.length < total) {
      frame = Arrays.copyOf(frame, Math.max(total, frame.length * 2));
    }
    for (int i = 0; i < 8; i++) {
      frame[i] = (byte) ((long) length >>> (8 * i));
    }
    putInt(frame, 8, headerCrc(frame, 0, length));
    System.arraycopy(data, 0, frame, 12, length);
    putInt(frame, 12 + length, maskedCrc(data, 0, length));
    out.write(frame, 0, total);
    return total;
  }

  /**
   * Frames the record whose data was encoded into {@code buffer} after the {@value #HEADER_BYTES}
   * bytes reserved at {@code start}: fills in the header and appends the data CRC. Saves copying the
   * data when the encoder writes straight into the output buffer. Returns the framed size.
   */
  public int frameInPlace(ProtoBuffer buffer, int start) {
    int length = buffer.size() - start - HEADER_BYTES;
    buffer.putLongAt(start, length);
    buffer.putIntAt(start + 8, headerCrc(buffer.array(), start, length));
    int dataCrc = maskedCrc(buffer.array(), start + HEADER_BYTES, length);
    buffer.putIntAt(buffer.reserve(4), dataCrc);
    return length + 16;
  }

  /** Writes {@code buffer}'s content as one framed record; returns the bytes written. */
  public int write(OutputStream out, ProtoBuffer buffer) throws IOException {
    return write(out, buffer.array(), buffer.size());
  }

  /** The masked CRC-32C of the 8 length bytes at {@code offset}, which hold {@code length}. */
  private int headerCrc(byte[] lengthBytes, int offset, int length) {
    if (length != lastLength) {
      lastHeaderCrc = maskedCrc(lengthBytes, offset, 8);
      lastLength = length;
    }
    return lastHeaderCrc;
  }

  /** The masked CRC-32C of {@code data[offset..offset+length)}. */
  public int maskedCrc(byte[] data, int offset, int length) {
    crc.reset();
    crc.update(data, offset, length);
    return mask((int) crc.getValue());
  }

  /** TensorBoard's CRC mask: rotate right by 15 bits and add a constant. */
  public static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }

  private static void putInt(byte[] target, int offset, int value) {
    for (int i = 0; i < 4; i++) {
      target[offset + i] = (byte) (value >>> (8 * i));
    }
  }
}
