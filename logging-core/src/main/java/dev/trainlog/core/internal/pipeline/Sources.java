package dev.trainlog.core.internal.pipeline;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The journals one backend's worker goes through, in order: a directory given to resend, those left
 * by processes that are gone, then its own live journal. The worker moves through them; other
 * threads read where it is, for flush and stats.
 */
final class Sources {

  /** Changed by the worker only, in {@link #finished}; stats read it in {@link #dropped}, under the same lock. */
  private final ArrayDeque<Source> pending;
  private final Source live;
  private volatile Source current;
  /** What the finished sources' backend never got (lost to damage): still counted once they are gone. */
  private long droppedByFinished; // under the lock, as pending

  Sources(List<Source> sources) {
    this.pending = new ArrayDeque<>(sources);
    Source last = pending.peekLast();
    this.live = last != null && last.live ? last : null;
    this.current = pending.peekFirst();
  }

  /** The source to read: the oldest unfinished one. */
  Source next() {
    current = pending.peekFirst();
    return current;
  }

  /** The reader is done with the source it was on. */
  void finished() {
    Source done;
    synchronized (this) { // its drops move to the finished ones' count in one step for dropped()
      done = pending.pollFirst();
      if (done != null) {
        droppedByFinished += done.tailer.dropped();
      }
    }
    if (done != null) {
      done.tailer.close();
    }
  }

  /** From any thread: whether the worker is on its live journal, every finite source delivered. */
  boolean onLive() {
    Source c = current;
    return c == null || c.live;
  }

  /** From any thread: where the reader is (for stats and forcing its cursor). */
  Source current() {
    return current;
  }

  /**
   * Records this backend will never get: given up by the live journal when it was full (counted by the
   * journal, whether or not this reader runs), and lost to damage its readers found.
   */
  synchronized long dropped() {
    long n = droppedByFinished;
    for (Source s : pending) {
      n += s.tailer.dropped();
    }
    return n;
  }

  /** Warns at once about drops not reported yet: at close. */
  void reportDrops() {
    if (live != null) {
      live.tailer.reportDrops();
    }
  }

  /** Records this process appended to the live journal. */
  long liveAppended() {
    return live == null ? 0 : live.tailer.appended();
  }
}
