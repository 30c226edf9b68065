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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends that ever had a cursor in a journal, one name a line in {@value #FILE}: a cursor file
 * that is gone although its backend is listed was lost (it reads again from the oldest record), while a
 * backend not listed is new to the journal (it starts at the head). Used under the journal's cursor lock.
 */
final class BackendRegistry {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);

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
  void add(String backend) {
    if (names.add(backend)) {
      try {
        Files.writeString(file, backend + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        // the cursor file itself still says where the backend is; only a later loss of it goes unnoticed
        log.warn("Cannot write {} ({}); if the cursor of '{}' is lost later, it will be taken for a new backend", file,
            e.toString(), backend);
      }
    }
  }
}
