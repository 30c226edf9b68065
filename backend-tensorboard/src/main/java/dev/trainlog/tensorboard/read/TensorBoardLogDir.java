package dev.trainlog.tensorboard.read;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the runs of a TensorBoard log directory the way TensorBoard does: every directory (the root
 * included) holding a regular file whose name contains {@value #EVENT_FILE_MARK} is a run, named by
 * its path relative to the root. This covers the layouts Python writers make: one directory per run,
 * {@code add_scalars} sub-directories ({@code run/loss_train/} from PyTorch, {@code run/loss/train/}
 * from tensorboardX) and {@code add_hparams}' timestamp sub-directory, each its own run. Other files
 * are ignored.
 */
public final class TensorBoardLogDir {

  /** What an event file's name contains: {@value}. */
  public static final String EVENT_FILE_MARK = "tfevents";

  private static final Logger LOG = LoggerFactory.getLogger(TensorBoardLogDir.class);

  private TensorBoardLogDir() {}

  /** The runs under {@code root}, sorted by name; a directory that cannot be read is skipped with a WARN. */
  public static List<TbRun> scan(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "not a TensorBoard log directory (no such directory)");
    }
    Map<Path, List<Path>> filesByDir = new TreeMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile() && isEventFile(file)) {
          filesByDir.computeIfAbsent(file.getParent(), d -> new ArrayList<>()).add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        LOG.warn("Skipping {} while looking for TensorBoard runs: {}", file, e.toString());
        return FileVisitResult.CONTINUE;
      }
    });
    List<TbRun> runs = new ArrayList<>();
    filesByDir.forEach((dir, files) -> {
      files.sort(Comparator.comparing(f -> f.getFileName().toString()));
      runs.add(new TbRun(runName(root, dir), dir, files));
    });
    runs.sort(Comparator.comparing(TbRun::name));
    return runs;
  }

  /** True if {@code file}'s name marks it as an event file. */
  public static boolean isEventFile(Path file) {
    Path name = file.getFileName();
    return name != null && name.toString().contains(EVENT_FILE_MARK);
  }

  /** The event files of one run directory, in file-name order (none if it does not exist). */
  public static List<Path> eventFiles(Path runDirectory) throws IOException {
    if (!Files.isDirectory(runDirectory)) {
      return List.of();
    }
    try (var entries = Files.list(runDirectory)) {
      return entries.filter(f -> Files.isRegularFile(f) && isEventFile(f))
          .sorted(Comparator.comparing(f -> f.getFileName().toString()))
          .toList();
    }
  }

  private static String runName(Path root, Path dir) {
    Path relative = root.relativize(dir);
    if (relative.toString().isEmpty()) {
      return ".";
    }
    List<String> parts = new ArrayList<>();
    relative.forEach(p -> parts.add(p.toString()));
    return String.join("/", parts);
  }
}
