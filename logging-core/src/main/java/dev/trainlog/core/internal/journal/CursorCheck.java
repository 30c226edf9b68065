package dev.trainlog.core.internal.journal;

/** Whether a cursor read from disk points where a cursor can: at a record of the journal, or before its oldest. */
final class CursorCheck {

  private final Journal journal;

  CursorCheck(Journal journal) {
    this.journal = journal;
  }

  /** What is wrong with {@code position}, or null when a reader can start there. */
  String problemWith(long position) {
    long head = journal.head();
    if (position > head) {
      return "points past the journal's head (segment " + Positions.segment(position) + ", byte "
          + Positions.offset(position) + ")";
    }
    int offset = Positions.offset(position);
    long index = Positions.segment(position);
    Segment seg = journal.segments().get(index);
    if (position == head || offset == 0 || seg == null || offset == seg.dataStart() || !seg.pin()) {
      return null; // a segment deleted meanwhile is jumped over by the reader
    }
    try {
      return boundary(seg, index, offset);
    } finally {
      seg.unpin();
    }
  }

  private String boundary(Segment seg, long index, int offset) {
    int at = seg.dataStart();
    while (at < offset) {
      long resume = journal.gapAt(Positions.of(index, at));
      if (resume >= 0 && Positions.segment(resume) == index) {
        at = Positions.offset(resume);
        continue;
      }
      int len = seg.lengthAt(at);
      if (resume >= 0 || len <= 0 || !seg.whole(at, len)) {
        break;
      }
      at += Segment.FRAME_HEADER + len;
    }
    return at == offset ? null : "does not point at a record (segment " + index + ", byte " + offset + ")";
  }
}
