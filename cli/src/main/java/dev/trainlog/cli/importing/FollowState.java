package dev.trainlog.cli.importing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far the follower has read each event file, kept in a small JSON file that is replaced
 * atomically after every read that moved, so that a restarted follower neither skips nor repeats an
 * event. Per run directory (absolute path) and file name: the file's index in the run (the order the
 * follower found the files in, which sequences derive from) and the byte offset to read on from, and, when the
 * last step read was sent before its end was known, the offset it was cut at ({@link #putCut}). A followed file of
 * JSON lines is kept the same way, as the one file of its directory, with, while a look sends lines it timed, the
 * offset that look reads to and the time it gave them ({@link #putTimed}).
 */
final class FollowState {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, TreeMap<String, long[]>>> TYPE = new TypeReference<>() {};

  private final Path file;
  private final Map<String, TreeMap<String, long[]>> runs;
  private boolean dirty;

  private FollowState(Path file, Map<String, TreeMap<String, long[]>> runs) {
    this.file = file;
    this.runs = runs;
  }

  /** The state kept for following the TensorBoard log directory {@code root}, in {@code dir}; empty if there is none yet. */
  static FollowState load(Path dir, Path root) throws IOException {
    return load(dir, "tensorboard", root);
  }

  /**
   * The state kept in {@code dir} (created on demand) for following {@code followed} as {@code kind}
   * ({@code tensorboard}, {@code jsonl}); empty if there is none yet.
   */
  static FollowState load(Path dir, String kind, Path followed) throws IOException {
    Path file = dir.resolve("follow-" + kind + "-"
        + RunNaming.runId(followed).substring(RunNaming.RUN_ID_PREFIX.length()) + ".json");
    if (!Files.exists(file)) {
      return new FollowState(file, new TreeMap<>());
    }
    try {
      return new FollowState(file, JSON.readValue(file.toFile(), TYPE));
    } catch (IOException e) {
      throw new IOException("the follower's state file " + file + " is unreadable (" + e.getMessage()
          + "); delete it to read every file from its start again", e);
    }
  }

  /** A state that is never saved: an import reads every file from its start each time. */
  static FollowState inMemory() {
    return new FollowState(null, new TreeMap<>());
  }

  Path file() {
    return file;
  }

  /** The index and offset kept for {@code fileName} of {@code runDir}, and the cut if there is one; or null. */
  long[] mark(Path runDir, String fileName) {
    Map<String, long[]> files = runs.get(key(runDir));
    return files == null ? null : files.get(fileName);
  }

  /** The index the next file found in {@code runDir} gets. */
  int nextIndex(Path runDir) {
    Map<String, long[]> files = runs.get(key(runDir));
    long max = -1;
    if (files != null) {
      for (long[] m : files.values()) {
        max = Math.max(max, m[0]);
      }
    }
    return (int) (max + 1);
  }

  void put(Path runDir, String fileName, int index, long position) {
    put(runDir, fileName, new long[] {index, position});
  }

  /**
   * The step that starts at {@code position} is being sent as it is, though more of it may come after {@code cut}:
   * a follower started again reads it from {@code position} and cuts it at {@code cut}, so that it sends the same
   * step under the same id again, and what comes after under an id of its own.
   */
  void putCut(Path runDir, String fileName, int index, long position, long cut) {
    put(runDir, fileName, new long[] {index, position, cut});
  }

  /**
   * Lines without a wall time of their own are being sent from {@code position} on, timed {@code readAtMillis}: a
   * follower started again reads them from {@code position} and gives those that end at or before {@code until} the
   * same time, so that they are the same records again.
   */
  void putTimed(Path runDir, String fileName, int index, long position, long until, long readAtMillis) {
    put(runDir, fileName, new long[] {index, position, until, readAtMillis});
  }

  private void put(Path runDir, String fileName, long[] mark) {
    if (!java.util.Arrays.equals(mark(runDir, fileName), mark)) {
      runs.computeIfAbsent(key(runDir), k -> new TreeMap<>()).put(fileName, mark);
      dirty = true;
    }
  }

  /** Writes the state if it changed: to a temporary file first, then moved over the old one. */
  void save() throws IOException {
    if (!dirty || file == null) {
      return;
    }
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), new LinkedHashMap<>(runs));
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    dirty = false;
  }

  private static String key(Path runDir) {
    return runDir.toAbsolutePath().normalize().toString();
  }
}
