package dev.trainlog.tensorboard.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Claims a run's folder for its run id, so that a second run of the same name never writes into
 * the first one's (TensorBoard would take the new file for a resume and hide the first run's
 * points). The folder is {@code <run>} if it is new or holds this run id, else the first of {@code
 * <run>-2}, {@code <run>-3}, ... that is; a file {@value #ID_FILE} in it holds the run id.
 */
final class RunFolder {

  /** The file holding the run id of a folder's events; TensorBoard ignores it (no "tfevents" in its name). */
  static final String ID_FILE = ".trainlog-run-id";

  private RunFolder() {}

  /**
   * The folder of run {@code runId}: {@code base} or {@code base-<n>}, created and claimed. A folder
   * with events but no id file (another tool's, or TrainLog's before 0.1) counts as another run's.
   */
  static Path claim(Path base, String runId) throws IOException {
    for (int n = 1; ; n++) {
      Path dir = n == 1 ? base : base.resolveSibling(base.getFileName() + "-" + n);
      String owner = owner(dir);
      if (owner == null && RunLayout.newestEventFile(dir) == null) {
        Files.createDirectories(dir);
        try {
          Files.writeString(dir.resolve(ID_FILE), runId + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
          return dir;
        } catch (FileAlreadyExistsException raced) {
          owner = owner(dir); // another rank or process claimed it first
        }
      } else if (owner == null) {
        owner = owner(dir); // events seen: read the id again, it is written before any event
      }
      if (runId.equals(owner)) {
        return dir;
      }
    }
  }

  /** The run id a folder is claimed for, or null if none. */
  private static String owner(Path dir) throws IOException {
    Path file = dir.resolve(ID_FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }
}
