package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The current segment's list of blob ids ({@link BlobLists}), appended through a mapping of its next
 * {@value #CHUNK} bytes: a line costs the caller a copy, where a {@code write()} per record cost it 10–30 µs
 * (B10). The chunk's blocks are written with zeros before it is mapped (a full device is an IOException
 * here, never a SIGBUS), so until {@link #close} cuts it to length the file ends in NUL bytes, which
 * readers skip ({@link BlobLists#idsIn}); a kill -9 leaves it so.
 */
final class BlobListAppender implements AutoCloseable {

  /** Bytes mapped at a time: about 2,600 ids. */
  static final int CHUNK = 64 << 10;
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(CHUNK).asReadOnlyBuffer();

  private final FileChannel channel;
  private MappedByteBuffer map;
  private long mapStart;
  private long end;

  private BlobListAppender(FileChannel channel, long end) {
    this.channel = channel;
    this.end = end;
  }

  /** Opens {@code path} to append after what it holds (its NUL tail, if any, left out). */
  static BlobListAppender open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      return new BlobListAppender(ch, contentLength(ch));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Appends {@code lines} (whole lines, each ending in a newline). */
  void append(byte[] lines) throws IOException {
    if (map == null || end + lines.length > mapStart + map.capacity()) {
      remap(Math.max(CHUNK, lines.length));
    }
    map.put((int) (end - mapStart), lines);
    end += lines.length;
  }

  /** Cuts the file to what was appended and lets the mapping go. */
  @Override
  public void close() throws IOException {
    try (FileChannel ch = channel) {
      unmap();
      ch.truncate(end);
    }
  }

  private void remap(int size) throws IOException {
    unmap();
    long to = end + size;
    for (long at = channel.size(); at < to; ) {
      ByteBuffer zeros = ZEROS.duplicate();
      zeros.limit((int) Math.min(zeros.capacity(), to - at));
      at += channel.write(zeros, at);
    }
    map = channel.map(FileChannel.MapMode.READ_WRITE, end, size);
    mapStart = end;
  }

  private void unmap() {
    if (map != null) {
      Unmapper.unmap(map); // no access follows: only this appender, under the writer's lock, touches it
      map = null;
    }
  }

  /** The file's length without the NUL bytes a mapped chunk not cut to length ends in. */
  private static long contentLength(FileChannel ch) throws IOException {
    long size = ch.size();
    ByteBuffer b = ByteBuffer.allocate(4096);
    while (size > 0) {
      b.clear();
      long from = Math.max(0, size - b.capacity());
      b.limit((int) (size - from));
      while (b.hasRemaining() && ch.read(b, from + b.position()) > 0) {
        // reads the block whole
      }
      for (int i = b.position() - 1; i >= 0; i--) {
        if (b.get(i) != 0) {
          return from + i + 1;
        }
      }
      size = from;
    }
    return 0;
  }
}
