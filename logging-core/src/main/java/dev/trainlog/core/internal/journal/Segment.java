package dev.trainlog.core.internal.journal;

import dev.trainlog.api.RunInfo;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * One memory-mapped journal segment file: a header naming the run, then framed records. A frame is
 * the payload's length (int), its CRC-32C (int) and the payload. The length is stored last, so a
 * process killed mid-append leaves a zero length (the end) or a CRC that does not match (a torn
 * record), never a record that reads as whole. A length of {@value #NEXT_SEGMENT} says the journal
 * goes on in the next segment.
 */
final class Segment {

  static final int MAGIC = 0x544c4a31; // "TLJ1"
  static final int VERSION = 1;
  static final int NEXT_SEGMENT = -1;
  static final int FRAME_HEADER = 8;
  private static final String SUFFIX = ".seg";

  final long index;
  final Path path;
  /** Where the images and artifacts its records refer to are: made once, not per decoded record. */
  final Path blobs;
  private final MappedByteBuffer buffer;
  private final int capacity;
  private final int dataStart;
  private volatile RunInfo run;
  /** Readers using the mapping now; -1 once it is unmapped, after which nothing may touch it. */
  private final AtomicInteger pins = new AtomicInteger();
  private volatile boolean retired;

  private Segment(long index, Path path, MappedByteBuffer buffer, int dataStart, RunInfo run) {
    this.index = index;
    this.path = path;
    this.blobs = path.getParent().resolve(BlobStore.DIRECTORY);
    this.buffer = buffer;
    this.capacity = buffer.capacity();
    this.dataStart = dataStart;
    this.run = run;
  }

  static Path pathOf(Path dir, long index) {
    return dir.resolve(String.format("%020d", index) + SUFFIX);
  }

  /** The segment number of a file name of ours, or -1 for any other file. */
  static long indexOf(Path file) {
    String name = file.getFileName().toString();
    if (name.length() != 20 + SUFFIX.length() || !name.endsWith(SUFFIX)) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(0, 20));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Creates and maps a new segment of {@code size} bytes for {@code run}'s records, its blocks reserved
   * by {@code space} first: a full device is an {@link IOException} here, never a fault in a mapped write.
   */
  static Segment create(Path dir, long index, int size, RunInfo run, byte[] runBytes, SegmentSpace space)
      throws IOException {
    Path path = pathOf(dir, index);
    int dataStart = 12 + runBytes.length;
    int capacity = Math.max(size, dataStart + FRAME_HEADER + 4);
    space.takeInto(path, capacity);
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
      buf.putInt(4, VERSION);
      buf.putInt(8, runBytes.length);
      buf.put(12, runBytes);
      VarHandle.storeStoreFence();
      buf.putInt(0, MAGIC);
      return new Segment(index, path, buf, dataStart, run);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(path);
      throw e;
    }
  }

  /**
   * Maps an existing segment read-only, or returns null when the file is gone or is not a segment
   * (a header cut short by a crash reads as an empty segment of no run).
   */
  static Segment open(Path path) throws IOException {
    long index = indexOf(path);
    MappedByteBuffer buf;
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = Math.min(ch.size(), Integer.MAX_VALUE);
      buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (buf.capacity() < 12 || buf.getInt(0) != MAGIC || buf.getInt(4) != VERSION) {
      return null;
    }
    int runLength = buf.getInt(8);
    if (runLength < 0 || 12L + runLength > buf.capacity()) {
      return null;
    }
    return new Segment(index, path, buf, 12 + runLength, null);
  }

  int dataStart() {
    return dataStart;
  }

  int capacity() {
    return capacity;
  }

  /** The run whose records this segment holds, decoded from its header once. */
  RunInfo run() throws IOException {
    RunInfo r = run;
    if (r == null) {
      byte[] bytes = new byte[dataStart - 12];
      buffer.get(12, bytes);
      r = RecordCodec.readRun(ByteBuffer.wrap(bytes));
      run = r;
    }
    return r;
  }

  /** The run given at creation, or null for a segment opened from disk (see {@link #run()}). */
  RunInfo runIfKnown() {
    return run;
  }

  /** Whether a frame of {@code payload} bytes, plus room for the next-segment mark, fits at {@code offset}. */
  boolean fits(int offset, int payload) {
    return (long) offset + FRAME_HEADER + payload + 4 <= capacity;
  }

  /** Writes one frame; the length goes last so that the frame appears whole or not at all. */
  void writeFrame(int offset, byte[] payload, int length, int crc) {
    buffer.putInt(offset + 4, crc);
    buffer.put(offset + FRAME_HEADER, payload, 0, length);
    VarHandle.storeStoreFence();
    buffer.putInt(offset, length);
  }

  void markNext(int offset) {
    buffer.putInt(offset, NEXT_SEGMENT);
  }

  /** The length field at {@code offset}; 0 past the end of a file cut short. */
  int lengthAt(int offset) {
    return offset + 4 > capacity ? 0 : buffer.getInt(offset);
  }

  /**
   * Copies the payload of the frame at {@code offset} into {@code into} (grown as needed) and returns
   * it, or null when the frame is cut short or its CRC does not match.
   */
  byte[] payload(int offset, int length, byte[] into, CRC32C crc) {
    if (length < 0 || (long) offset + FRAME_HEADER + length > capacity) {
      return null;
    }
    byte[] out = into.length >= length ? into : new byte[Math.max(length, into.length * 2)];
    buffer.get(offset + FRAME_HEADER, out, 0, length);
    crc.reset();
    crc.update(out, 0, length);
    return (int) crc.getValue() == buffer.getInt(offset + 4) ? out : null;
  }

  /** The first byte at or after {@code from} and before {@code to} that is not zero, or -1: eight bytes at a time. */
  int firstNonZero(int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      if (buffer.getLong(i) != 0) {
        break;
      }
    }
    for (; i < to; i++) {
      if (buffer.get(i) != 0) {
        return i;
      }
    }
    return -1;
  }

  /** Whether a frame of {@code length} at {@code offset} lies within the file. */
  boolean whole(int offset, int length) {
    return length >= 0 && (long) offset + FRAME_HEADER + length <= capacity;
  }

  /** Whether the frame of {@code length} at {@code offset} is whole and its payload matches its CRC, read in place. */
  boolean intact(int offset, int length, CRC32C crc) {
    if (!whole(offset, length)) {
      return false;
    }
    crc.reset();
    crc.update(buffer.slice(offset + FRAME_HEADER, length));
    return (int) crc.getValue() == buffer.getInt(offset + 4);
  }

  long longAt(int at) {
    return buffer.getLong(at);
  }

  int intAt(int at) {
    return buffer.getInt(at);
  }

  byte byteAt(int at) {
    return buffer.get(at);
  }

  /** A copy of {@code length} bytes from {@code at}. */
  byte[] copy(int at, int length) {
    byte[] out = new byte[length];
    buffer.get(at, out, 0, length);
    return out;
  }

  /** Pushes written pages to the device: for {@code durability: fsync}. */
  void force(int from, int to) {
    if (to > from) {
      buffer.force(from, to - from);
    }
  }

  /** Deletes the file; the mapping goes as soon as no reader holds it (at once when none does). */
  void delete() throws IOException {
    Files.deleteIfExists(path);
    unmapWhenFree();
  }

  /** No longer used by the journal: unmapped once the last reader lets go of it. */
  void unmapWhenFree() {
    retired = true;
    if (pins.compareAndSet(0, -1)) {
      Unmapper.unmap(buffer);
    }
  }

  /** Holds the mapping for reading; false when it is already unmapped (treat the segment as gone). */
  boolean pin() {
    while (true) {
      int n = pins.get();
      if (n < 0) {
        return false;
      }
      if (pins.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void unpin() {
    if (pins.decrementAndGet() == 0 && retired && pins.compareAndSet(0, -1)) {
      Unmapper.unmap(buffer);
    }
  }

  /** A copy of {@code length} bytes from {@code at}, read under a pin: for a record decoded after its reader moved on. */
  /**
   * What {@code decode} makes of the {@code length} bytes from {@code at}, read in place under a pin (no copy):
   * for a record decoded after its reader moved on.
   */
  <T> T decodePinned(int at, int length, Decode<T> decode) throws IOException {
    if (!pin()) {
      throw new IllegalStateException("the journal segment " + path + " was given up before this record was decoded");
    }
    try {
      return decode.from(buffer.slice(at, length));
    } finally {
      unpin();
    }
  }

  /** Reads a value from a read-only view of a record's bytes. */
  interface Decode<T> {
    T from(ByteBuffer bytes) throws IOException;
  }

  byte[] copyPinned(int at, int length) {
    if (!pin()) {
      throw new IllegalStateException("the journal segment " + path + " was given up before this record was decoded");
    }
    try {
      return copy(at, length);
    } finally {
      unpin();
    }
  }
}
