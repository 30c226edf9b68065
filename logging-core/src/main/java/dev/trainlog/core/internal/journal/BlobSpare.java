package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One spare file, made ahead and mapped whole. The caller copies a blob to its start and a trailer to its
 * end (magic, length, content id, extension, CRC), and is done: the pages are the file's, so a kill -9 from
 * then on leaves a spare that {@link SpareRecovery} publishes. Cutting it to length and renaming it to its
 * content id happen later, off the caller ({@link #publish}).
 */
final class BlobSpare {

  private static final Logger log = LoggerFactory.getLogger(BlobSpare.class);
  /** The suffix of a spare's name: not a content id, so a sweep leaves it. */
  static final String SUFFIX = ".spare";
  /** The suffix a filled spare has while it is cut to length: the name says its content id and extension. */
  static final String FILLED = ".filled";
  /** Bytes at the end of a spare that say what it holds once filled. */
  static final int TRAILER = 128;
  private static final long MAGIC = 0x544c_424c_4f42_3031L; // "TLBLOB01"

  final Path path;
  private final FileChannel channel;
  private final MappedByteBuffer map;
  private final int capacity;

  private BlobSpare(Path path, FileChannel channel, MappedByteBuffer map, int capacity) {
    this.path = path;
    this.channel = channel;
    this.map = map;
    this.capacity = capacity;
  }

  /** Makes {@code path} with its blocks written with zeros (a full device throws here), mapped and touched. */
  static BlobSpare make(Path path, int capacity) throws IOException {
    SegmentSpace.reserve(path, capacity);
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
      for (int at = 0; at < capacity; at += 4096) {
        map.put(at, (byte) 0); // a writable mapping of each page now, not a fault per page on the caller
      }
      return new BlobSpare(path, ch, map, capacity);
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(path);
      throw e;
    }
  }

  /** Whether a blob of {@code length} bytes fits beside the trailer. */
  boolean fits(int length) {
    return length <= capacity - TRAILER;
  }

  int capacity() {
    return capacity;
  }

  /** Copies {@code data} in, then the trailer that names it {@code id}.{@code extension}: all the caller does. */
  void fill(byte[] data, String id, String extension) {
    map.put(0, data);
    map.put(capacity - TRAILER, trailer(data.length, id, extension));
  }

  /** The name this spare has while it is cut to length, beside {@code target}. */
  static Path filledName(Path target) {
    return target.resolveSibling(target.getFileName() + FILLED);
  }

  /**
   * Off the caller: renames this filled spare to {@link #filledName} (which says what it holds once the
   * trailer is cut off), cuts it to {@code length}, renames it to {@code target} and lets the mapping go.
   * True when it is published; when {@code target} is there already (the same content) it is deleted.
   */
  boolean publish(Path target, int length) throws IOException {
    Unmapper.unmap(map); // the caller is done with it, and no page past the new end may be touched
    Path filled = filledName(target);
    try (FileChannel ch = channel) {
      Files.move(path, filled, StandardCopyOption.ATOMIC_MOVE);
      ch.truncate(length);
    }
    if (Files.exists(target)) {
      Files.delete(filled); // the same content, stored meanwhile by another thread
      return false;
    }
    Files.move(filled, target, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  void discard() {
    Unmapper.unmap(map);
    try {
      channel.close();
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.debug("Could not delete the spare blob file {}: {}", path, e.toString());
    }
  }

  static byte[] trailer(int length, String id, String extension) {
    ByteBuffer t = ByteBuffer.allocate(TRAILER);
    t.putLong(MAGIC).putInt(length);
    byte[] name = (id + "." + extension).getBytes(StandardCharsets.US_ASCII);
    t.put((byte) name.length).put(name);
    CRC32C crc = new CRC32C();
    crc.update(t.array(), 0, TRAILER - 4);
    t.putInt(TRAILER - 4, (int) crc.getValue());
    return t.array();
  }

  /** What a filled spare's trailer says: the blob's length and file name; null when it is not filled. */
  record Trailer(int length, String name) {

    static Trailer read(byte[] t) {
      ByteBuffer b = ByteBuffer.wrap(t);
      CRC32C crc = new CRC32C();
      crc.update(t, 0, TRAILER - 4);
      if (t.length != TRAILER || b.getLong() != MAGIC || b.getInt(TRAILER - 4) != (int) crc.getValue()) {
        return null;
      }
      int length = b.getInt();
      int n = b.get() & 0xFF;
      if (length < 0 || n == 0 || n > TRAILER - 17) {
        return null;
      }
      String name = new String(t, b.position(), n, StandardCharsets.US_ASCII);
      return name.matches("[0-9a-f]{16}-[0-9a-f]+(-[0-9]+)?\\.[a-z]+") ? new Trailer(length, name) : null;
    }
  }
}
