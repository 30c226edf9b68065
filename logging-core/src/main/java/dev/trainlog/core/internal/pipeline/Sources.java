package dev.trainlog.core.internal.pipeline;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The journals one backend's reader goes through, in order: those left by processes that are gone,
 * then its own live journal; resends queued by other threads go first once the batch in hand is
 * written. The reader thread moves through them; other threads queue resends and read where the
 * reader is, for flush and stats.
 */
final class Sources {

  private final ArrayDeque<Source> pending;
  private final Source live;
  private final ConcurrentLinkedQueue<Source> resends = new ConcurrentLinkedQueue<>();
  private volatile Source current;

  Sources(List<Source> sources) {
    this.pending = new ArrayDeque<>(sources);
    Source last = pending.peekLast();
    this.live = last != null && last.live ? last : null;
    this.current = pending.peekFirst();
  }

  /** From any thread: a finite source to deliver before the reader goes on. */
  void resend(Source source) {
    resends.add(source);
  }

  /** The source to read: a queued resend when {@code batchEmpty}, else the oldest unfinished one. */
  Source next(boolean batchEmpty) {
    Source resend = batchEmpty ? resends.peek() : null;
    if (resend != null) {
      current = resend; // before it leaves the queue, so that flush never sees it in neither place
      pending.addFirst(resend);
      resends.poll();
    }
    current = pending.peekFirst();
    return current;
  }

  /** The reader is done with the source it was on. */
  void finished() {
    Source done = pending.pollFirst();
    if (done != null) {
      done.reader.close();
    }
  }

  /** From any thread: whether the reader is on its live journal with no resend waiting. */
  boolean onLive() {
    Source c = current;
    return resends.isEmpty() && (c == null || c.live);
  }

  /** From any thread: where the reader is (for stats and forcing its cursor). */
  Source current() {
    return current;
  }

  /**
   * Records this backend will never get: given up by the live journal when it was full (counted by the
   * journal, whether or not this reader runs), and lost to damage its readers found.
   */
  long dropped() {
    long n = live == null || live.cursor == null ? 0 : live.journal.droppedBy(live.cursor);
    for (Source s : pending) {
      n += s.reader.damaged();
    }
    return n;
  }

  /** Warns at once about drops not reported yet: at close. */
  void reportDrops() {
    if (live != null && live.cursor != null) {
      live.journal.reportDrops(live.cursor);
    }
  }

  /** Records this process appended to the live journal. */
  long liveAppended() {
    return live == null ? 0 : live.journal.appended();
  }
}
