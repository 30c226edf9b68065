package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.internal.journal.Cursor;
import dev.trainlog.core.internal.journal.Journal;
import dev.trainlog.core.internal.journal.JournalTailer;
import java.io.IOException;

/**
 * One journal a backend reads, through its {@link JournalTailer}: its own dispatcher's (read without end
 * while the run goes on), one left by a process that is gone (read to its end first, then let go), or a
 * directory handed over to be resent (read to its end past the sampler, then deleted).
 */
public final class Source {

  /** What to do once a finite source has been delivered to its end. */
  @FunctionalInterface
  public interface Done {
    void delivered(Source source);
  }

  final JournalTailer tailer;
  final boolean live;
  final boolean sampled;
  final Done done;
  /** How the run of a journal left behind was closed by its process, or null (killed, or not such a journal). */
  final RunEndFile.End end;
  /** The run of the last record the worker read from here (worker thread only). */
  RunInfo lastRun;

  private Source(JournalTailer tailer, boolean live, boolean sampled, RunEndFile.End end, Done done) {
    this.tailer = tailer;
    this.live = live;
    this.sampled = sampled;
    this.end = end;
    this.done = done;
  }

  /** The dispatcher's own journal, read from {@code cursor} for as long as the run goes on. */
  public static Source live(Journal journal, Cursor cursor, boolean drops) throws IOException {
    return new Source(JournalTailer.at(journal, cursor, drops), true, true, null, s -> { });
  }

  /**
   * A journal left behind by a process that is gone: sampled like the live one, read to its end; {@code end} is
   * how that process closed its run, or null when it did not (killed).
   */
  static Source orphan(Journal journal, Cursor cursor, RunEndFile.End end, Done done) throws IOException {
    return new Source(JournalTailer.at(journal, cursor, false), false, true, end, done);
  }

  /** Records to resend as they are (already sampled once), from {@code cursorOrNull} (else the oldest) to the end. */
  public static Source resend(Journal journal, Cursor cursorOrNull, Done done) throws IOException {
    return new Source(JournalTailer.whole(journal, cursorOrNull), false, false, null, done);
  }

  /** Records between where reading starts and the journal's head when the source was made. */
  public long behindAtStart() {
    return tailer.behindAtStart();
  }

  public Journal journal() {
    return tailer.journal();
  }
}
