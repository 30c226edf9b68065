package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * How a run ended, kept in its journal: if records stay behind, or a backend's close did not return, the process
 * that later adopts the journal tells the backends, which would otherwise take the run for killed. The file is
 * made when the journal opens, saying {@code RUNNING} (as a kill leaves it), and its end is written over it in
 * place at close, the same length: a disk that filled meanwhile cannot refuse it.
 */
final class RunEndFile {

  static final String NAME = "run.end";

  private static final String RUNNING = "RUNNING";
  /** Every status is written this wide (the longest, FINISHED), and every end time as 19 digits. */
  private static final int STATUS_WIDTH = 8;

  /**
   * A run's status and end time as its process closed it, and the run's identity (experiment, name, id, rank,
   * world size, node: the rest of its {@link RunInfo} is in its records).
   */
  record End(RunStatus status, long endTimeMillis, RunInfo run) {}

  private RunEndFile() {}

  /** Makes the file of a journal being opened, saying the run is running; an earlier end goes (a resume). */
  static void begin(Path journalDir, RunInfo run) throws IOException {
    Files.write(journalDir.resolve(NAME), text(RUNNING, 0, run));
  }

  /** Writes how the run ended over the file {@link #begin} made, in place; makes it if it is missing. */
  static void write(Path journalDir, RunStatus status, long endTimeMillis, RunInfo run) throws IOException {
    byte[] bytes = text(status.name(), endTimeMillis, run);
    try (FileChannel ch = FileChannel.open(journalDir.resolve(NAME), StandardOpenOption.WRITE,
        StandardOpenOption.CREATE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b, b.position());
      }
    }
  }

  /** The end kept in {@code journalDir}, or null when there is none: the run was killed (or the file is damaged). */
  static End read(Path journalDir) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(journalDir.resolve(NAME), StandardCharsets.UTF_8)) {
      p.load(r);
      String status = p.getProperty("status", RUNNING).trim();
      if (status.equals(RUNNING)) {
        return null;
      }
      RunInfo run = RunInfo.builder().experiment(p.getProperty("experiment")).runName(p.getProperty("run_name"))
          .runId(p.getProperty("run_id")).rank(Integer.parseInt(p.getProperty("rank")))
          .worldSize(Integer.parseInt(p.getProperty("world_size"))).node(p.getProperty("node", "")).build();
      return new End(RunStatus.valueOf(status), Long.parseLong(p.getProperty("end_time_ms")), run);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      return null; // damaged: the run is taken for killed, as without the file
    }
  }

  /** The file's text: the same length whatever the status and end time, so an end overwrites a begin exactly. */
  private static byte[] text(String status, long endTimeMillis, RunInfo run) {
    Properties p = new Properties();
    p.setProperty("status", status + " ".repeat(STATUS_WIDTH - status.length()));
    p.setProperty("end_time_ms", String.format("%019d", endTimeMillis));
    p.setProperty("experiment", run.experiment());
    p.setProperty("run_name", run.runName());
    p.setProperty("run_id", run.runId());
    p.setProperty("rank", Integer.toString(run.rank()));
    p.setProperty("world_size", Integer.toString(run.worldSize()));
    if (run.node() != null) {
      p.setProperty("node", run.node());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      p.store(out, null); // ASCII, escaped as load reads it; its first line is a date, left out for the length
    } catch (IOException e) {
      throw new UncheckedIOException("a byte array cannot fail", e);
    }
    String stored = out.toString(StandardCharsets.ISO_8859_1);
    return ("# how the process of this journal closed its run (RUNNING: it did not)\n"
        + stored.substring(stored.indexOf('\n') + 1)).getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Removes the end from a journal (one whose run goes on, when no new file could be made). */
  static void clear(Path journalDir) throws IOException {
    Files.deleteIfExists(journalDir.resolve(NAME));
  }
}
