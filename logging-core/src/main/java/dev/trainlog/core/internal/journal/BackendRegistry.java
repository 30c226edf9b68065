package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The backends that ever had a cursor in a journal, one name a line in {@value #FILE}: a cursor file
 * that is gone although its backend is listed was lost (it reads again from the oldest record), while a
 * backend not listed is new to the journal (it starts at the head). Used under the journal's cursor lock.
 */
final class BackendRegistry {

  static final String FILE = "backends";

  private final Path file;
  private final boolean existed;
  private final Set<String> names;

  private BackendRegistry(Path file, boolean existed, Set<String> names) {
    this.file = file;
    this.existed = existed;
    this.names = names;
  }

  static BackendRegistry load(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      Set<String> names = new LinkedHashSet<>();
      lines.stream().map(String::strip).filter(l -> !l.isEmpty()).forEach(names::add);
      return new BackendRegistry(file, true, names);
    } catch (NoSuchFileException e) {
      return new BackendRegistry(file, false, new LinkedHashSet<>());
    }
  }

  /** Whether the file was there: a journal without it (made by an older version, or damaged) knows no backend. */
  boolean existed() {
    return existed;
  }

  boolean knows(String backend) {
    return names.contains(backend);
  }

  Set<String> names() {
    return Set.copyOf(names);
  }

  /** Lists {@code backend}; one short append, once per backend and journal. */
  void add(String backend) throws IOException {
    if (names.add(backend)) {
      Files.writeString(file, backend + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }
}
