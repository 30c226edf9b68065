package dev.trainlog.core.internal.journal;

/** A position in a journal as one long: the segment number in the high 32 bits, the byte offset in the low. */
final class Positions {

  private Positions() {}

  static long of(long segment, int offset) {
    return (segment << 32) | (offset & 0xffffffffL);
  }

  static long segment(long position) {
    return position >>> 32;
  }

  static int offset(long position) {
    return (int) position;
  }
}
