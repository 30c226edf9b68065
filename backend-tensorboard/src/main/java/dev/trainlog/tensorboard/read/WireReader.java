package dev.trainlog.tensorboard.read;

import java.nio.charset.StandardCharsets;

/**
 * Reads protobuf wire-format fields from a slice of a byte array, one at a time, without a schema:
 * the decoders ask for the next field's number and read its value by wire type. Malformed input
 * (a length past the slice, a varint over 10 bytes, an unknown wire type) throws {@link
 * MalformedEventException}, so a damaged message never reads past its slice.
 */
final class WireReader {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final byte[] data;
  private final int end;
  private int pos;
  private int wireType;

  WireReader(byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > data.length) {
      throw new MalformedEventException("a field of " + length + " bytes runs past its message");
    }
    this.data = data;
    this.pos = offset;
    this.end = offset + length;
  }

  /** Advances to the next field and returns its number, or -1 at the end of the slice. */
  int nextField() {
    if (pos >= end) {
      return -1;
    }
    long key = readVarint();
    wireType = (int) (key & 7);
    int number = (int) (key >>> 3);
    if (number == 0) {
      throw new MalformedEventException("field number 0 at byte " + pos);
    }
    return number;
  }

  int wireType() {
    return wireType;
  }

  long readVarint() {
    long value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= end) {
        throw new MalformedEventException("a varint runs past its message");
      }
      byte b = data[pos++];
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new MalformedEventException("a varint longer than 10 bytes");
  }

  long readFixed64() {
    require(8);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (data[pos + i] & 0xffL);
    }
    pos += 8;
    return v;
  }

  int readFixed32() {
    require(4);
    int v = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8 | (data[pos + 2] & 0xff) << 16 | (data[pos + 3] & 0xff) << 24;
    pos += 4;
    return v;
  }

  double readDouble() {
    return Double.longBitsToDouble(readFixed64());
  }

  float readFloat() {
    return Float.intBitsToFloat(readFixed32());
  }

  /** A reader over the current length-delimited field (a nested message or a packed array); skips it here. */
  WireReader readMessage() {
    int length = readLength();
    WireReader nested = new WireReader(data, pos, length);
    pos += length;
    return nested;
  }

  String readString() {
    int length = readLength();
    String s = new String(data, pos, length, StandardCharsets.UTF_8);
    pos += length;
    return s;
  }

  byte[] readBytes() {
    int length = readLength();
    byte[] copy = new byte[length];
    System.arraycopy(data, pos, copy, 0, length);
    pos += length;
    return copy;
  }

  /** True when the slice has no more bytes; for packed arrays read with the plain value methods. */
  boolean atEnd() {
    return pos >= end;
  }

  /** Skips the current field's value, whatever its wire type. */
  void skip() {
    switch (wireType) {
      case VARINT -> readVarint();
      case FIXED64 -> skipBytes(8);
      case LENGTH_DELIMITED -> skipBytes(readLength());
      case FIXED32 -> skipBytes(4);
      default -> throw new MalformedEventException("unsupported wire type " + wireType);
    }
  }

  private void skipBytes(int n) {
    require(n);
    pos += n;
  }

  private int readLength() {
    long length = readVarint();
    if (length < 0 || length > end - pos) {
      throw new MalformedEventException("a field of " + length + " bytes runs past its message");
    }
    return (int) length;
  }

  private void require(int n) {
    if (end - pos < n) {
      throw new MalformedEventException("a field of " + n + " bytes runs past its message");
    }
  }
}
