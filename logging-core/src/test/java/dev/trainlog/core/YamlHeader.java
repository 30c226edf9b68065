package dev.trainlog.core;

import java.nio.file.Path;

/** The start of a test YAML: a fixed run and a dispatcher whose spool and dead letters live under a test folder. */
final class YamlHeader {

  private YamlHeader() {}

  /** The {@code run:} and {@code dispatcher:} sections (5 lines) for files under {@code dir}, ending in a newline. */
  static String of(String experiment, Path dir) {
    return String.join("\n",
        "run: {experiment: " + experiment + ", name: r1, id: fixed-run-id}",
        "dispatcher:",
        "  spool-dir: " + dir.resolve("spool"),
        "  dead-letter-dir: " + dir.resolve("dead"),
        "  shutdown-hook: false") + "\n";
  }
}
