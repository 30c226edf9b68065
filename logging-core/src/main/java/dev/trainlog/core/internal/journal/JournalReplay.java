package dev.trainlog.core.internal.journal;

import dev.trainlog.api.LogRecord;
import dev.trainlog.spi.LogBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resends what a journal directory holds (a dead-letter directory, or the journal a dispatcher left
 * behind) to a backend, oldest first, and deletes the directory once every record is written. A
 * running dispatcher resumes its own journals by itself; use this for a store no dispatcher serves.
 */
public final class JournalReplay {

  /** Records handed to one {@code write} call during a resend: {@value}. */
  public static final int BATCH_SIZE = 512;

  /** Segment size given when a journal is opened only to be read: nothing is appended to it. */
  private static final int READ_ONLY_SEGMENT_SIZE = 1 << 20;

  private JournalReplay() {}

  /**
   * Writes every record of {@code dir} to an opened {@code backend} (the caller opens and closes it)
   * and returns how many were written. A failure stops the resend and keeps the directory whole.
   */
  public static long resend(Path dir, LogBackend backend) throws Exception {
    Journal journal = open(dir);
    long count = 0;
    try {
      JournalReader reader = new JournalReader(journal, journal.start());
      List<LogRecord> batch = new ArrayList<>(BATCH_SIZE);
      for (LogRecord r = reader.next(); r != null; r = reader.next()) {
        // decoded now: the backend may keep the record after the journal is deleted and unmapped
        batch.add(r.metrics() instanceof LazyMetrics lazy ? r.withMetrics(lazy.decoded()) : r);
        if (batch.size() == BATCH_SIZE) {
          backend.write(batch);
          count += batch.size();
          batch = new ArrayList<>(BATCH_SIZE);
        }
      }
      if (!batch.isEmpty()) {
        backend.write(batch);
        count += batch.size();
      }
      reader.endOfJournal();
      reader.close();
      backend.flush();
    } catch (Exception | Error e) {
      journal.close();
      throw e;
    }
    journal.deleteAll();
    return count;
  }

  /** Opens the journal in {@code dir} for reading it whole; fails when it is missing or in use. */
  public static Journal open(Path dir) throws IOException {
    if (!Files.isDirectory(dir) || !JournalLock.isJournal(dir)) {
      throw new IOException("no TrainLog journal or dead-letter directory at " + dir);
    }
    Journal journal = Journal.tryOpen(dir, READ_ONLY_SEGMENT_SIZE, Long.MAX_VALUE);
    if (journal == null) {
      throw new IOException(dir + " is in use by process " + Journal.holderOf(dir));
    }
    return journal;
  }

}
