package dev.trainlog.core.internal.pipeline;

import dev.trainlog.core.internal.journal.Cursor;
import dev.trainlog.core.internal.journal.Journal;
import dev.trainlog.core.internal.journal.JournalReader;
import java.io.IOException;

/**
 * One journal a backend reads: its own dispatcher's (read without end while the run goes on), one
 * left by a process that is gone (read to its end first, then let go), or a directory handed to
 * {@code resend} (read to its end past the sampler, then deleted).
 */
public final class Source {

  /** What to do once a finite source has been delivered to its end. */
  @FunctionalInterface
  public interface Done {
    void delivered(Source source);
  }

  final Journal journal;
  final Cursor cursor;
  final JournalReader reader;
  final boolean live;
  final boolean sampled;
  final Done done;
  /** The position up to which every record read is written or sampled out, with nothing folded. */
  long safe;
  /** Records between where reading starts and the journal's head when the source was made. */
  final long behindAtStart;

  private Source(Journal journal, Cursor cursor, long start, boolean live, boolean sampled, boolean drops,
      Done done) throws IOException {
    this.journal = journal;
    this.cursor = cursor;
    this.reader = drops ? new JournalReader(journal, cursor, start) : new JournalReader(journal, start);
    this.live = live;
    this.sampled = sampled;
    this.done = done;
    this.safe = start;
    this.behindAtStart = journal.recordsFrom(start);
  }

  /** The dispatcher's own journal, read from {@code cursor} for as long as the run goes on. */
  public static Source live(Journal journal, Cursor cursor, boolean drops) throws IOException {
    return new Source(journal, cursor, cursor.position(), true, true, drops, s -> { });
  }

  /** A journal left behind by a process that is gone: sampled like the live one, read to its end. */
  public static Source orphan(Journal journal, Cursor cursor, Done done) throws IOException {
    return new Source(journal, cursor, cursor.position(), false, true, false, done);
  }

  /** Records to resend as they are (already sampled once), from {@code start} to the end. */
  public static Source resend(Journal journal, Cursor cursorOrNull, Done done) throws IOException {
    long start = cursorOrNull != null ? cursorOrNull.position() : journal.start();
    return new Source(journal, cursorOrNull, start, false, false, false, done);
  }

  /** Records between where reading starts and the journal's head when the source was made. */
  public long behindAtStart() {
    return behindAtStart;
  }

  public Journal journal() {
    return journal;
  }

  /** Persists the cursor at the last safe position and lets the journal delete what no cursor needs. */
  void persist() {
    if (cursor != null && safe > cursor.position()) {
      cursor.store(safe);
      journal.release();
    }
  }
}
