package dev.trainlog.core.internal.journal;

import dev.trainlog.api.LogRecord;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Records appended or decoded lately, by journal position: a reader that keeps up with the head
 * takes the record the caller appended instead of decoding its frame, and readers at the same place
 * share one decoding. Records are immutable; a slot holds the last record put there, so a reader that
 * lags by more than the slots decodes for itself. Thread-safe.
 */
final class RecentRecords {

  /** Slots, a power of two: {@value}. */
  static final int SLOTS = 8192;

  private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

  /** The record at {@code position}, or null when none is held. */
  LogRecord at(long position) {
    Entry e = slots.getAcquire(slot(position));
    return e != null && e.position == position ? e.record : null;
  }

  void remember(long position, LogRecord record) {
    // a release store: a reader that sees the entry sees it whole, and the caller pays no full fence
    slots.setRelease(slot(position), new Entry(position, record));
  }

  private static int slot(long position) {
    return (int) ((position ^ (position >>> 32)) * 0x9E3779B97F4A7C15L >>> 51) & (SLOTS - 1);
  }

  private record Entry(long position, LogRecord record) {}
}
