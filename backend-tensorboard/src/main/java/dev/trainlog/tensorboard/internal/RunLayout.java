package dev.trainlog.tensorboard.internal;

import dev.trainlog.api.RunInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Where a run's event files go and what they are called: {@code <log-dir>/<experiment>/<run>}, ranks
 * above 0 in {@code <run>/rank-<n>} when asked, and files named {@code
 * events.out.tfevents.<10-digit epoch seconds>.<host>.<pid>.<n>} like TensorFlow's own writer.
 */
final class RunLayout {

  /** TensorBoard reads a file only when its name contains this. */
  static final String MARKER = "tfevents";

  private static final String PREFIX = "events.out." + MARKER + ".";

  /** Numbers the files this process opens, so two files opened in one second differ. */
  private static final AtomicInteger FILE_COUNTER = new AtomicInteger();

  private RunLayout() {}

  static Path runDirectory(Path logDir, RunInfo run, boolean rankSubdirs) {
    Path dir = logDir.resolve(pathSafe(run.experiment())).resolve(pathSafe(run.runName()));
    return rankSubdirs && run.rank() > 0 ? dir.resolve(rankFolder(run)) : dir;
  }

  /**
   * What TensorBoard calls the run of {@link #runDirectory} when it reads the log dir: the folder
   * relative to the log dir, names joined by {@code /} (e.g. {@code sd-lora/rank64-lr1e-4/rank-1}).
   */
  static String tensorBoardRunName(RunInfo run, boolean rankSubdirs) {
    String name = pathSafe(run.experiment()) + "/" + pathSafe(run.runName());
    return rankSubdirs && run.rank() > 0 ? name + "/" + rankFolder(run) : name;
  }

  private static String rankFolder(RunInfo run) {
    return "rank-" + run.rank();
  }

  /**
   * A file name for a new file that sorts after {@code newestExisting} (TensorBoard follows only the
   * newest file of a run, by name), using {@code epochSeconds} unless that would sort earlier.
   */
  static String nextFileName(long epochSeconds, String host, String newestExisting) {
    int n = FILE_COUNTER.getAndIncrement();
    long pid = ProcessHandle.current().pid();
    String safeHost = pathSafe(host).replace('.', '_');
    long seconds = epochSeconds;
    String name = fileName(seconds, safeHost, pid, n);
    if (newestExisting != null && name.compareTo(newestExisting) <= 0) {
      seconds = Math.max(seconds, secondsOf(newestExisting)) + 1;
      name = fileName(seconds, safeHost, pid, n);
    }
    return name;
  }

  static String fileName(long epochSeconds, String host, long pid, int n) {
    return String.format(Locale.ROOT, "%s%010d.%s.%d.%d", PREFIX, epochSeconds, host, pid, n);
  }

  static boolean isEventFile(Path file) {
    return file.getFileName().toString().contains(MARKER);
  }

  /** The name of the last event file in {@code dir} by name order, or {@code null} when it has none. */
  static String newestEventFile(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> isEventFile(f) && Files.isRegularFile(f))
          .map(f -> f.getFileName().toString())
          .max(String::compareTo)
          .orElse(null);
    }
  }

  private static long secondsOf(String fileName) {
    if (fileName.startsWith(PREFIX)) {
      int end = fileName.indexOf('.', PREFIX.length());
      try {
        return Long.parseLong(fileName.substring(PREFIX.length(), end < 0 ? fileName.length() : end));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  /** A name usable as one path element: separators and dot-only names would escape the log dir. */
  static String pathSafe(String name) {
    String s = name.replace('/', '_').replace('\\', '_').replace('\0', '_');
    return s.equals(".") || s.equals("..") ? "_" : s;
  }
}
