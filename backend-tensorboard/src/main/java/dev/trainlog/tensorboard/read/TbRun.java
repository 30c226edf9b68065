package dev.trainlog.tensorboard.read;

import java.nio.file.Path;
import java.util.List;

/**
 * A TensorBoard run: a directory holding event files. {@code name} is its path relative to the log
 * directory with {@code /} separators ({@code "."} for the log directory itself), as TensorBoard names
 * runs; {@code eventFiles} are in file-name order, the order TensorBoard merges them in.
 */
public record TbRun(String name, Path directory, List<Path> eventFiles) {

  /** Copies the file list. */
  public TbRun {
    eventFiles = List.copyOf(eventFiles);
  }
}
