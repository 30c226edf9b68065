package dev.trainlog.core.internal.pipeline;

import java.util.regex.Pattern;

/** A word of a command a message asks the user to run, quoted for a POSIX shell only when it needs it. */
final class ShellWords {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

  private ShellWords() {}

  /** {@code word} as it is when the shell leaves it alone, else in single quotes. */
  static String quote(String word) {
    return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}
