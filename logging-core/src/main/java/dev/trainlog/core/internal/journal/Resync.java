package dev.trainlog.core.internal.journal;

import java.util.zip.CRC32C;

/**
 * Finding the next whole frame after a damaged one. Every byte offset after the damage is tried as a
 * frame start: a length that a record can have and that ends inside the segment, a payload whose CRC-32C
 * matches, and a record header that decodes. A false match needs a 32-bit CRC to agree by chance, so a
 * scan resumes on the true next frame; runs of zeros are stepped over eight bytes at a time.
 */
final class Resync {

  /** Smallest payload a record has: step, sequence, time, flags and an empty map ({@value} bytes). */
  static final int MIN_PAYLOAD = 30;

  private Resync() {}

  /** The offset of the first intact frame at or after {@code from} that ends by {@code limit}, or -1. */
  static int nextFrame(Segment seg, int from, int limit, CRC32C crc) {
    int o = Math.max(from, seg.dataStart());
    while ((long) o + Segment.FRAME_HEADER + MIN_PAYLOAD <= limit) {
      int len = seg.intAt(o);
      if (len == 0) {
        int nonZero = seg.firstNonZero(o, limit);
        if (nonZero < 0) {
          return -1;
        }
        // a big-endian length whose only non-zero byte is its last starts three bytes earlier
        o = Math.max(o + 1, nonZero - 3);
        continue;
      }
      if (len >= MIN_PAYLOAD && (long) o + Segment.FRAME_HEADER + len <= limit && seg.intact(o, len, crc)
          && RecordCodec.looksLikeRecord(seg, o + Segment.FRAME_HEADER)) {
        return o;
      }
      o++;
    }
    return -1;
  }
}
