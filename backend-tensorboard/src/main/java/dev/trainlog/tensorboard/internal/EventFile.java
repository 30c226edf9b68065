package dev.trainlog.tensorboard.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One event file being appended to: events are encoded and framed straight into one buffer that goes
 * to a file channel. {@link #flush} hands the bytes to the operating system; {@link #close} also
 * forces them to disk.
 */
final class EventFile implements AutoCloseable {

  /** Opens the channel of a new event file; tests substitute one they can break. */
  @FunctionalInterface
  interface Opener {
    FileChannel open(Path file) throws IOException;
  }

  /** Creates the file, refusing to append to one that already exists. */
  static final Opener CREATE_NEW =
      file -> FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

  /** Pending bytes past which a finished record is handed to the OS: {@value}. */
  static final int FLUSH_BYTES = 64 * 1024;

  private final Path path;
  private final FileChannel channel;
  // records are encoded and framed in place here: no lock and no copy per record on the hot path
  private final ProtoBuffer pending = new ProtoBuffer(FLUSH_BYTES + 1024);
  private final RecordFramer framer = new RecordFramer();
  /** Where the record begun last starts, until it is ended; -1 when none is open. */
  private int openRecord = -1;
  private long bytes;
  private boolean closed;

  private EventFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  static EventFile create(Opener opener, Path path) throws IOException {
    return new EventFile(path, opener.open(path));
  }

  Path path() {
    return path;
  }

  /** Bytes appended so far, flushed or not. */
  long bytes() {
    return bytes;
  }

  /**
   * Starts a record: encode its event into {@link #buffer()}, then call {@link #endRecord}. A record
   * that is never ended (its encoding threw) is dropped by the next {@code beginRecord} or
   * {@link #flush}, so no half-encoded record reaches the file.
   */
  void beginRecord() {
    dropOpenRecord();
    openRecord = pending.reserve(RecordFramer.HEADER_BYTES);
  }

  /** Where the event of the record begun last is encoded. */
  ProtoBuffer buffer() {
    return pending;
  }

  /** Frames the record begun last; hands the pending bytes to the OS once they pass {@link #FLUSH_BYTES}. */
  void endRecord() throws IOException {
    bytes += framer.frameInPlace(pending, openRecord);
    openRecord = -1;
    if (pending.size() >= FLUSH_BYTES) {
      flush();
    }
  }

  private void dropOpenRecord() {
    if (openRecord >= 0) {
      pending.truncate(openRecord);
      openRecord = -1;
    }
  }

  /** Hands every finished record to the operating system. */
  void flush() throws IOException {
    dropOpenRecord();
    ByteBuffer out = ByteBuffer.wrap(pending.array(), 0, pending.size());
    while (out.hasRemaining()) {
      channel.write(out);
    }
    pending.reset();
  }

  /** Flushes, forces to disk and closes; the channel is closed even when flushing fails. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (FileChannel c = channel) {
      flush();
      c.force(true);
    }
  }

  /** Releases the file after a failure without trying to write anything more. */
  void abandon() {
    closed = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // the file is already broken; what it holds up to its last complete record stays readable
    }
  }
}
