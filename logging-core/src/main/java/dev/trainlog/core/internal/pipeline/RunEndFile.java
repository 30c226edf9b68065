package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * How a run ended, kept in its journal when its process closes it: if records stay behind, or a backend's
 * close did not return, the process that later adopts the journal tells the backends, which would otherwise
 * take the run for killed. A journal without this file was left by a process that did not close (a kill), or
 * is being written.
 */
final class RunEndFile {

  static final String NAME = "run.end";

  /**
   * A run's status and end time as its process closed it, and the run's identity (experiment, name, id, rank,
   * world size, node: the rest of its {@link RunInfo} is in its records).
   */
  record End(RunStatus status, long endTimeMillis, RunInfo run) {}

  private RunEndFile() {}

  /** Writes the end into {@code journalDir}, whole or not at all. */
  static void write(Path journalDir, RunStatus status, long endTimeMillis, RunInfo run) throws IOException {
    Properties p = new Properties();
    p.setProperty("status", status.name());
    p.setProperty("end_time_ms", Long.toString(endTimeMillis));
    p.setProperty("experiment", run.experiment());
    p.setProperty("run_name", run.runName());
    p.setProperty("run_id", run.runId());
    p.setProperty("rank", Integer.toString(run.rank()));
    p.setProperty("world_size", Integer.toString(run.worldSize()));
    if (run.node() != null) {
      p.setProperty("node", run.node());
    }
    Path tmp = journalDir.resolve(NAME + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "how the process of this journal closed its run");
    }
    Files.move(tmp, journalDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The end kept in {@code journalDir}, or null when there is none or it cannot be read. */
  static End read(Path journalDir) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(journalDir.resolve(NAME), StandardCharsets.UTF_8)) {
      p.load(r);
      RunInfo run = RunInfo.builder().experiment(p.getProperty("experiment")).runName(p.getProperty("run_name"))
          .runId(p.getProperty("run_id")).rank(Integer.parseInt(p.getProperty("rank")))
          .worldSize(Integer.parseInt(p.getProperty("world_size"))).node(p.getProperty("node", "")).build();
      return new End(RunStatus.valueOf(p.getProperty("status")), Long.parseLong(p.getProperty("end_time_ms")), run);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      return null; // damaged: the run is taken for killed, as without the file
    }
  }

  /** Removes the end from a journal its run goes on in (a run resumed with its id). */
  static void clear(Path journalDir) throws IOException {
    Files.deleteIfExists(journalDir.resolve(NAME));
  }
}
