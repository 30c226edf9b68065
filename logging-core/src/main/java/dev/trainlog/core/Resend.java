package dev.trainlog.core;

import dev.trainlog.core.internal.journal.Cursor;
import dev.trainlog.core.internal.journal.Journal;
import dev.trainlog.core.internal.journal.JournalReplay;
import dev.trainlog.core.internal.pipeline.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DispatcherBuilder#resend}: a directory of kept records (dead letters, or a journal left behind)
 * given to one backend's worker as a finite source it reads first, past its sampler; deleted once written.
 */
final class Resend {

  /** The other backends with a cursor in {@code journal} short of its head: their records are still there. */
  static List<String> othersBehind(Journal journal, String backendName) throws IOException {
    List<String> behind = new ArrayList<>();
    for (String name : journal.cursorNames()) {
      if (!name.equals(backendName) && journal.cursor(name, journal.start()).position() < journal.head()) {
        behind.add(name);
      }
    }
    return behind;
  }

  private static final Logger log = LoggerFactory.getLogger(LogDispatcher.class);

  private Resend() {}

  /** The source of {@code dir} for backend {@code backendName}: from its cursor there, else from the oldest record. */
  static Source source(Path dir, String backendName) throws IOException {
    Journal journal = JournalReplay.open(dir);
    try {
      Cursor cursor = journal.cursorNames().contains(backendName) ? journal.cursor(backendName, journal.start()) : null;
      return Source.resend(journal, cursor, s -> {
        try {
          List<String> behind = othersBehind(s.journal(), backendName);
          if (behind.isEmpty()) {
            s.journal().deleteAll();
          } else {
            // a journal left behind that other backends still need: this one's cursor is at its end now
            log.info("Resent the records of {} to '{}'; the journal stays for {}, which have not read it all", dir,
                backendName, String.join(", ", behind));
            s.journal().close();
          }
        } catch (IOException e) {
          log.warn("Resent the records of {} but could not delete it: {}", dir, e.toString());
        }
      });
    } catch (IOException | RuntimeException e) {
      journal.close();
      throw e;
    }
  }
}
