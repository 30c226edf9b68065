package dev.trainlog.tensorboard.read;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an event file's name says about its writer. Writers name files {@code
 * events.out.tfevents.<epoch seconds>.<host>}, then {@code .<pid>.<n>} (PyTorch, TensorFlow, this
 * module's backend) and perhaps more ({@code .v2}, a {@code filename_suffix}); the host is what lies
 * between the time and the first {@code .<pid>.<n>}.
 */
public final class EventFileName {

  /** The time, then the rest: the host and whatever suffix the writer added. */
  private static final Pattern NAME = Pattern.compile(".*\\.tfevents\\.\\d+\\.(.+)");
  /** The host (shortest), then the process id and counter and whatever suffix follows them. */
  private static final Pattern PID_SUFFIX = Pattern.compile("(.+?)\\.\\d+\\.\\d+(?:\\..*)?");

  private EventFileName() {}

  /**
   * The host that wrote {@code file}, or empty when its name does not follow the writers' pattern.
   * A name without the pid and counter (TensorFlow 1, tensorboardX) is taken whole after the time.
   */
  public static Optional<String> host(Path file) {
    Path name = file.getFileName();
    Matcher m = NAME.matcher(name == null ? "" : name.toString());
    if (!m.matches()) {
      return Optional.empty();
    }
    Matcher suffixed = PID_SUFFIX.matcher(m.group(1));
    return Optional.of(suffixed.matches() ? suffixed.group(1) : m.group(1));
  }
}
