package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * How a run ended, kept in its journal when its process closes it with records still behind: the process
 * that later delivers them tells the backends, which would otherwise take the run for killed. A journal
 * without this file was left by a process that did not close (a kill), or is being written.
 */
final class RunEndFile {

  static final String NAME = "run.end";

  /** A run's status and end time as its process closed it. */
  record End(RunStatus status, long endTimeMillis) {}

  private RunEndFile() {}

  /** Writes the end into {@code journalDir}, whole or not at all. */
  static void write(Path journalDir, RunStatus status, long endTimeMillis) throws IOException {
    Path tmp = journalDir.resolve(NAME + ".tmp");
    Files.writeString(tmp, status.name() + " " + endTimeMillis + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, journalDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The end kept in {@code journalDir}, or null when there is none or it cannot be read. */
  static End read(Path journalDir) {
    try {
      String[] parts = Files.readString(journalDir.resolve(NAME), StandardCharsets.UTF_8).trim().split(" ");
      return new End(RunStatus.valueOf(parts[0]), Long.parseLong(parts[1]));
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
