package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cursors of one journal, one object per backend however often it is asked for, each checked when
 * first opened: a cursor that is missing although {@link BackendRegistry} lists its backend, is not 8
 * bytes, fails its check ({@link Cursor#seal}), points past the head or not at a record ({@link CursorCheck}) is warned about by name and put
 * at the oldest record still in the journal.
 */
final class CursorBook {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  private final Journal journal;
  private final BackendRegistry registry;
  private final Map<String, Cursor> open = new HashMap<>();

  CursorBook(Journal journal, BackendRegistry registry) {
    this.journal = journal;
    this.registry = registry;
  }

  synchronized Cursor cursor(String backend, long initial) throws IOException {
    Cursor c = open.get(backend);
    if (c != null) {
      return c;
    }
    boolean existed = Files.exists(Cursor.fileOf(journal.directory(), backend));
    boolean known = registry.knows(backend) || (!registry.existed() && journal.start() < journal.head());
    c = Cursor.open(journal.directory(), backend, existed || !known ? initial : journal.start());
    String problem = !existed ? (known ? "is missing" : null)
        : !c.wellFormed ? "is not 8 bytes long" : c.damaged ? "is damaged (its check does not match the position)"
        : new CursorCheck(journal).problemWith(c.position());
    if (problem != null) {
      log.warn("Journal {}: the cursor of backend '{}' ({}) {}; '{}' reads again from the oldest record still in"
          + " the journal, and the stores skip what they already hold", journal.directory(), backend,
          c.file().getFileName(), problem, backend);
      c.reset(journal.start());
    }
    registry.add(backend);
    open.put(backend, c);
    return c;
  }

  synchronized List<String> names() throws IOException {
    TreeSet<String> names = new TreeSet<>(Cursor.backendsIn(journal.directory()));
    names.addAll(registry.names());
    return List.copyOf(names);
  }
}
