package dev.trainlog.core.spool;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import java.io.Closeable;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One spool segment on disk: a header naming the run, then length- and CRC-framed records. A record
 * cut short by a crash, or one whose CRC does not match, ends the segment: everything before it is
 * still read.
 */
final class SegmentFile {

  private static final Logger log = LoggerFactory.getLogger(SegmentFile.class);
  private static final int MAGIC = 0x544c5350; // "TLSP"
  private static final int VERSION = 1;
  private static final int BUFFER_BYTES = 64 * 1024;

  private SegmentFile() {}

  /** Appends framed records to a new segment file. Not thread-safe; the spool serialises access. */
  static final class Writer implements Closeable {
    private final Path path;
    private final RunInfo run;
    private final FileChannel channel;
    private final ByteSink payload = new ByteSink();
    private final ByteSink buffer = new ByteSink();
    private final CRC32C crc = new CRC32C();
    private long count;

    Writer(Path path, RunInfo run) throws IOException {
      this.path = path;
      this.run = run;
      this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      buffer.writeInt(MAGIC);
      buffer.writeInt(VERSION);
      RecordCodec.writeRun(buffer, run);
    }

    RunInfo run() {
      return run;
    }

    Path path() {
      return path;
    }

    long count() {
      return count;
    }

    void append(LogRecord record) throws IOException {
      payload.reset();
      RecordCodec.writeRecord(payload, record);
      crc.reset();
      crc.update(payload.array(), 0, payload.size());
      buffer.writeInt(payload.size());
      buffer.writeInt((int) crc.getValue());
      buffer.write(payload.array(), 0, payload.size());
      count++;
      if (buffer.size() >= BUFFER_BYTES) {
        flush();
      }
    }

    /** Hands what is buffered to the operating system. */
    void flush() throws IOException {
      ByteBuffer pending = ByteBuffer.wrap(buffer.array(), 0, buffer.size());
      while (pending.hasRemaining()) {
        channel.write(pending);
      }
      buffer.reset();
    }

    @Override
    public void close() throws IOException {
      try (channel) {
        flush();
      }
    }
  }

  /** Reads a segment's records in order, stopping at the first damaged or incomplete one. */
  static List<LogRecord> readAll(Path path) throws IOException {
    List<LogRecord> records = new ArrayList<>();
    ByteBuffer in;
    try {
      in = ByteBuffer.wrap(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      return records;
    }
    RunInfo run;
    try {
      if (in.remaining() < 8) {
        return records; // created but never written to
      }
      if (in.getInt() != MAGIC || in.getInt() != VERSION) {
        log.warn("Skipping {}: not a TrainLog spool segment of version {}", path, VERSION);
        return records;
      }
      run = RecordCodec.readRun(in);
    } catch (BufferUnderflowException | IOException e) {
      return records; // the header itself was cut short
    }
    CRC32C crc = new CRC32C();
    while (in.hasRemaining()) {
      if (in.remaining() < 8) {
        return cutShort(path, records);
      }
      int length = in.getInt();
      int expected = in.getInt();
      if (length < 0 || length > in.remaining()) {
        return length < 0 ? damaged(path, records, "bad length " + length) : cutShort(path, records);
      }
      int start = in.position();
      crc.reset();
      crc.update(in.array(), start, length);
      if ((int) crc.getValue() != expected) {
        return damaged(path, records, "CRC mismatch");
      }
      try {
        records.add(RecordCodec.readRecord(in, run));
      } catch (BufferUnderflowException | IOException | IllegalArgumentException e) {
        return damaged(path, records, e.toString());
      }
      if (in.position() != start + length) {
        return damaged(path, records, "record length mismatch");
      }
    }
    return records;
  }

  private static List<LogRecord> cutShort(Path path, List<LogRecord> records) {
    log.warn("Spool segment {} ends in a record cut short (a crash while spilling); {} records before it are kept",
        path, records.size());
    return records;
  }

  private static List<LogRecord> damaged(Path path, List<LogRecord> records, String why) {
    log.warn("Spool segment {} is damaged after {} records ({}); the rest of it is skipped", path, records.size(), why);
    return records;
  }
}
