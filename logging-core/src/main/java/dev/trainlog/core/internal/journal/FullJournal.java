package dev.trainlog.core.internal.journal;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What cursors that drop give up when the journal is full: each one below the floor is moved to it,
 * counting the records it skips, with a warning per backend at most every {@link #REPORT_INTERVAL_NANOS}
 * (the first at once). The journal does this itself, so a backend whose worker never runs (it never
 * opened) is counted like one that lags.
 */
final class FullJournal {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  /** Shortest time between two warnings about the same backend's drops: 30 seconds. */
  static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

  private FullJournal() {}

  /** Moves every dropping subscriber that is below {@code floor} to it. */
  static void dropBelow(Journal journal, List<Subscriber> subscribers, long floor) {
    long to = Positions.of(floor, 0);
    for (Subscriber s : subscribers) {
      if (s.blockWhenFull) {
        continue;
      }
      while (true) {
        long readTo = s.readTo.get();
        long at = Subscriber.position(readTo);
        if (at >= to) {
          break;
        }
        // read before the move: should the reader claim meanwhile, the move fails and is tried again. Read after it,
        // it missed a claim made just before whose count was not published yet, or counted one made just after
        long claims = Subscriber.claimsUpTo(readTo, s.claims.get());
        long lost = recordsBetween(journal, at, floor);
        if (s.readTo.compareAndSet(readTo, Subscriber.readTo(to, claims))) {
          s.dropped.addAndGet(lost);
          // what the worker read and holds unwritten (from its cursor up to at) it may still write: noted, not counted
          s.cursor.giveUp(to, at, claims);
          report(journal, s, false);
          break;
        }
      }
    }
  }

  /** A cursor found below the oldest segment at subscription: an earlier process gave those records up. */
  static void droppedBefore(Journal journal, Subscriber s) {
    long at = s.cursor.position();
    long first = Positions.segment(journal.start());
    if (Positions.segment(at) >= first || journal.start() >= journal.head() && journal.segments().isEmpty()) {
      return;
    }
    long lost = recordsBetween(journal, at, first);
    s.readTo.set(Subscriber.readTo(Positions.of(first, 0), s.claims.get()));
    s.cursor.store(Positions.of(first, 0));
    if (lost > 0) {
      s.dropped.addAndGet(lost);
      log.warn("Journal {}: backend '{}' lost {} record(s) of segments an earlier process gave up while it lagged"
          + " (dispatcher.journal.on-full: drop-oldest)", journal.directory(), s.cursor.backend(), lost);
      s.reported = s.dropped.get();
    }
  }

  /**
   * At subscription: the records an earlier process's worker held unwritten when its journal gave them up, and
   * which it did not live to write ({@link Cursor#giveUp}), counted and warned about.
   */
  static void heldByAnEarlierProcess(Subscriber s) {
    long lost = s.cursor.lostByAnEarlierProcess();
    if (lost > 0) {
      s.dropped.addAndGet(lost);
      log.warn("Backend '{}' lost {} record(s) its worker held unwritten when the journal gave up their segments"
          + " (dispatcher.journal.on-full: drop-oldest) and the process ended before they were written",
          s.cursor.backend(), lost);
      s.reported = s.dropped.get();
    }
  }

  /** Records from {@code position} up to the start of segment {@code end}: counted by the index, walked in the first. */
  static long recordsBetween(Journal journal, long position, long end) {
    long n = 0;
    long first = Positions.segment(position);
    for (long i = first; i < end; i++) {
      long whole = journal.recordsIn(i);
      Segment s = journal.segments().get(i);
      if (i == first && s != null && s.pin()) {
        try {
          n += Math.max(0, whole - framesBefore(s, Positions.offset(position)));
        } finally {
          s.unpin();
        }
      } else {
        n += whole;
      }
    }
    return n;
  }

  private static long framesBefore(Segment s, int offset) {
    long n = 0;
    for (int at = s.dataStart(); at < offset; n++) {
      int len = s.lengthAt(at);
      if (len <= 0 || !s.whole(at, len)) {
        break;
      }
      at += Segment.FRAME_HEADER + len;
    }
    return n;
  }

  /** Warns about the drops since the last warning when the interval has passed, or {@code always}. */
  static void report(Journal journal, Subscriber s, boolean always) {
    long dropped = s.dropped.get();
    long now = System.nanoTime();
    if (dropped > s.reported && (always || s.reportedAtNanos == 0 || now - s.reportedAtNanos >= REPORT_INTERVAL_NANOS)) {
      log.warn("Backend '{}' lagged past the journal's max-size and gave up {} record(s) since the last report ({} in"
          + " all; dispatcher.journal.on-full: drop-oldest)", s.cursor.backend(), dropped - s.reported, dropped);
      s.reported = dropped;
      s.reportedAtNanos = now;
    }
  }
}
