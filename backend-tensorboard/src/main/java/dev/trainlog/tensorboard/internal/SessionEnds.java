package dev.trainlog.tensorboard.internal;

import dev.trainlog.api.RunStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HParams session ends in a run's folder. TensorBoard shows the first one it reads (by file name), so a
 * run's folder holds one end only, its latest session's: a killed run's end is written only where none is, in a
 * file of its own ({@value #KILLED_SUFFIX}), and a resume of the run takes back every end there (that file is
 * deleted, an end that closes another file is cut off it), since the run goes on.
 */
final class SessionEnds {

  /** Ends the name of the event file holding a killed run's session end. */
  static final String KILLED_SUFFIX = ".killed";

  /** Bytes read at the end of a file to find a session end there; that record is about 100 bytes. */
  static final int TAIL_BYTES = 1024;

  private static final Logger LOG = LoggerFactory.getLogger(SessionEnds.class);

  private static final byte[] TAG = HParamsEncoder.SESSION_END_TAG.getBytes(StandardCharsets.UTF_8);

  private SessionEnds() {}

  /**
   * Whether an event file of {@code runDir} ends with a session end. A session end is always the last record
   * its writer wrote, at close, so only the files' ends are read, not their (large) content.
   */
  static boolean anyIn(Path runDir) throws IOException {
    for (Path file : eventFiles(runDir)) {
      if (lastSessionEndAt(file) >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Deletes the session end {@code KILLED} that a later process wrote for run {@code runId} when it delivered its
   * journal: the run resumes, and TensorBoard would show that end whatever this session's end says. A failure is
   * warned about: the records matter more than the status.
   */
  static void takeBackKilled(Path runDir, String runId) {
    try {
      if (deleteKilled(runDir) > 0) {
        LOG.info("Run {} resumes in {}: its HParams session end KILLED, written when its journal was delivered,"
            + " is deleted", runId, runDir);
      }
    } catch (IOException e) {
      LOG.warn("Could not delete the HParams session end KILLED of run {} in {}: {}", runId, runDir, e.toString());
    }
  }

  /**
   * Takes back every session end in {@code runDir} as a resume of run {@code runId} opens: the {@code KILLED} ones
   * a later process wrote are deleted, and the end an earlier session closed its file with is cut off that file
   * (only that record, found by its framing and CRCs). A failure is warned about: the records matter more.
   */
  static void takeBackAll(Path runDir, String runId) {
    takeBackKilled(runDir, runId);
    try {
      for (Path file : eventFiles(runDir)) {
        long at = lastSessionEndAt(file);
        if (at >= 0) {
          try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(at);
            channel.force(true);
          }
          LOG.info("Run {} resumes in {}: the HParams session end that closed {} is taken back, so that TensorBoard"
              + " shows how this session ends", runId, runDir, file.getFileName());
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not take back the HParams session end of run {} in {}: {}", runId, runDir, e.toString());
    }
  }

  /** Deletes the killed run's session ends in {@code runDir}; returns how many there were. */
  static int deleteKilled(Path runDir) throws IOException {
    int deleted = 0;
    for (Path file : eventFiles(runDir)) {
      if (file.getFileName().toString().endsWith(KILLED_SUFFIX) && Files.deleteIfExists(file)) {
        deleted++;
      }
    }
    return deleted;
  }

  /** Writes an event file holding a session end {@code KILLED} at {@code endSecs} and {@code step}, nothing else. */
  static void writeKilled(EventFile.Opener opener, Path file, double endSecs, long step) throws IOException {
    writeEnd(opener, file, RunStatus.KILLED, endSecs, step);
  }

  /**
   * Rewrites the {@code KILLED} ends a later process wrote in {@code runDir} (the {@value #KILLED_SUFFIX} files,
   * which keep their name, so a resume still takes them back) with the status the run's process closed it with,
   * at its step; returns how many there were.
   */
  static int retell(EventFile.Opener opener, Path runDir, RunStatus status, double endSecs) throws IOException {
    int told = 0;
    for (Path file : eventFiles(runDir)) {
      if (file.getFileName().toString().endsWith(KILLED_SUFFIX)) {
        long step = 0;
        try (dev.trainlog.tensorboard.read.EventFileReader in = dev.trainlog.tensorboard.read.EventFileReader.open(file)) {
          for (dev.trainlog.tensorboard.read.TbRecord r = in.next(); r != null; r = in.next()) {
            step = Math.max(step, r.step());
          }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        writeEnd(opener, tmp, status, endSecs, step);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        told++;
      }
    }
    return told;
  }

  private static void writeEnd(EventFile.Opener opener, Path file, RunStatus status, double endSecs, long step)
      throws IOException {
    EventEncoder encoder = new EventEncoder();
    try (EventFile end = EventFile.create(opener, file)) {
      end.beginRecord();
      encoder.fileVersionEvent(end.buffer(), endSecs);
      end.endRecord();
      end.beginRecord();
      int summary = encoder.beginSummaryEvent(end.buffer(), endSecs, step);
      new HParamsEncoder().sessionEndValue(end.buffer(), status, endSecs);
      encoder.endSummaryEvent(end.buffer(), summary);
      end.endRecord();
    }
  }

  private static List<Path> eventFiles(Path runDir) throws IOException {
    if (!Files.isDirectory(runDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(runDir)) {
      return files.filter(f -> RunLayout.isEventFile(f) && Files.isRegularFile(f)).sorted().toList();
    }
  }

  /** Whether the last record of {@code file}, found by its framing and both CRCs, is a session end. */
  static boolean endsWithSessionEnd(Path file) throws IOException {
    return lastSessionEndAt(file) >= 0;
  }

  /** Where the last record of {@code file} starts if it is a session end (found by its framing and CRCs), else -1. */
  static long lastSessionEndAt(Path file) throws IOException {
    ByteBuffer tail;
    long size;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      size = channel.size();
      int n = (int) Math.min(size, TAIL_BYTES);
      tail = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
      while (tail.hasRemaining() && channel.read(tail, size - n + tail.position()) >= 0) {
        // read until the tail is full
      }
    } catch (NoSuchFileException gone) {
      return -1; // deleted meanwhile (a resume taking a killed end back)
    }
    byte[] b = tail.array();
    for (int at = b.length - RecordFramer.HEADER_BYTES - 4; at >= 0; at--) {
      long length = tail.getLong(at);
      if (length == b.length - at - RecordFramer.HEADER_BYTES - 4
          && tail.getInt(at + 8) == maskedCrc(b, at, 8)
          && tail.getInt(b.length - 4) == maskedCrc(b, at + RecordFramer.HEADER_BYTES, (int) length)) {
        return contains(b, at + RecordFramer.HEADER_BYTES, b.length - 4, TAG) ? size - b.length + at : -1;
      }
    }
    return -1;
  }

  private static int maskedCrc(byte[] b, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(b, offset, length);
    return RecordFramer.mask((int) crc.getValue());
  }

  private static boolean contains(byte[] b, int from, int to, byte[] wanted) {
    outer:
    for (int i = from; i + wanted.length <= to; i++) {
      for (int j = 0; j < wanted.length; j++) {
        if (b[i + j] != wanted[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
