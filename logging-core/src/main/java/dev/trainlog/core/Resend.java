package dev.trainlog.core;

import dev.trainlog.core.internal.journal.Cursor;
import dev.trainlog.core.internal.journal.Journal;
import dev.trainlog.core.internal.journal.JournalReplay;
import dev.trainlog.core.internal.pipeline.Source;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DispatcherBuilder#resend}: a directory of kept records (dead letters, or a journal left behind)
 * given to one backend's worker as a finite source it reads first, past its sampler; deleted once written.
 */
final class Resend {

  private static final Logger log = LoggerFactory.getLogger(LogDispatcher.class);

  private Resend() {}

  /** The source of {@code dir} for backend {@code backendName}: from its cursor there, else from the oldest record. */
  static Source source(Path dir, String backendName) throws IOException {
    Journal journal = JournalReplay.open(dir);
    try {
      Cursor cursor = journal.cursorNames().contains(backendName) ? journal.cursor(backendName, journal.start()) : null;
      return Source.resend(journal, cursor, s -> {
        try {
          s.journal().deleteAll();
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
