package dev.trainlog.cli.importing;

import dev.trainlog.tensorboard.read.TbRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * PyTorch's and tensorboardX's {@code add_hparams} write the hyperparameters into a sub-directory of
 * the run named by the time of the call ({@code rank64/1796582225.4079337/}). Such a directory belongs
 * to its parent run: its session start is the parent's config and its metrics are the parent's, so
 * it is not a run of its own.
 */
final class AddHParams {

  /** The name {@code str(time.time())} gives: seconds since the epoch with a fraction. */
  private static final Pattern TIMESTAMP = Pattern.compile("\\d{9,11}\\.\\d+");
  /** Below 2^53 every integral double is an exact integer. */
  private static final double EXACT_INTEGERS = 9.007199254740992E15;

  private AddHParams() {}

  /** True if {@code file} lies in an {@code add_hparams} directory of run {@code runDirectory}. */
  static boolean isHParamsFile(Path file, Path runDirectory) {
    Path dir = file.getParent();
    return dir != null && runDirectory.equals(dir.getParent()) && isTimestamp(dir);
  }

  /**
   * The runs with each {@code add_hparams} directory's event files appended to its parent run's, in
   * name order after the parent's own (a scan lists the parent first); one whose parent holds no event file stays a run of its own.
   */
  static List<TbRun> merge(List<TbRun> runs) {
    Map<Path, List<Path>> files = new LinkedHashMap<>();
    Map<Path, TbRun> byDir = new LinkedHashMap<>();
    runs.forEach(r -> byDir.put(r.directory(), r));
    for (TbRun r : runs) {
      Path parent = r.directory().getParent();
      boolean child = isTimestamp(r.directory()) && parent != null && byDir.containsKey(parent);
      files.computeIfAbsent(child ? parent : r.directory(), d -> new ArrayList<>()).addAll(r.eventFiles());
    }
    List<TbRun> merged = new ArrayList<>();
    files.forEach((dir, list) -> merged.add(new TbRun(byDir.get(dir).name(), dir, list)));
    return merged;
  }

  /**
   * The hyperparameters as a config: PyTorch writes every number (and a bool) as a double, so an
   * integral one becomes an integer ({@code batch_size: 256}, not {@code 256.0}; PyTorch's {@code True}
   * becomes 1); others are kept as written.
   */
  static Map<String, Object> config(Map<String, Object> hparams) {
    Map<String, Object> out = new LinkedHashMap<>();
    hparams.forEach((k, v) -> out.put(k, v instanceof Double d && d == Math.rint(d) && Math.abs(d) < EXACT_INTEGERS
        ? (Object) d.longValue() : v));
    return out;
  }

  private static boolean isTimestamp(Path dir) {
    Path name = dir.getFileName();
    return name != null && TIMESTAMP.matcher(name.toString()).matches();
  }
}
