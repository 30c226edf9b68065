package dev.trainlog.tensorboard.internal;

import java.util.zip.CRC32C;

/**
 * Frames records the way TensorBoard reads them (TFRecord): little-endian uint64 length, masked
 * CRC-32C of those 8 bytes, the data, masked CRC-32C of the data. Framing is done in place ({@link
 * #frameInPlace}): the event is encoded after a reserved header, so nothing is copied.
 */
final class RecordFramer {

  /** Added to the rotated CRC so that a CRC of CRCs does not read as valid. */
  private static final int MASK_DELTA = 0xA282EAD8;

  /** Room {@link #frameInPlace} needs in front of a record's data: length and its CRC. */
  static final int HEADER_BYTES = 12;

  private final CRC32C crc = new CRC32C();
  // consecutive records often have the same length, and then the same header CRC
  private int lastLength = -1;
  private int lastHeaderCrc;

  /**
   * Frames the record whose data was encoded into {@code buffer} after the {@value #HEADER_BYTES}
   * bytes reserved at {@code start}: fills in the header and appends the data CRC. Saves copying the
   * data when the encoder writes straight into the output buffer. Returns the framed size.
   */
  int frameInPlace(ProtoBuffer buffer, int start) {
    int length = buffer.size() - start - HEADER_BYTES;
    buffer.putLongAt(start, length);
    buffer.putIntAt(start + 8, headerCrc(buffer.array(), start, length));
    int dataCrc = maskedCrc(buffer.array(), start + HEADER_BYTES, length);
    buffer.putIntAt(buffer.reserve(4), dataCrc);
    return length + 16;
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
  private int maskedCrc(byte[] data, int offset, int length) {
    crc.reset();
    crc.update(data, offset, length);
    return mask((int) crc.getValue());
  }

  /** TensorBoard's CRC mask: rotate right by 15 bits and add a constant. */
  static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }
}
