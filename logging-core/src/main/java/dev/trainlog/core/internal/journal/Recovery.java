package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a journal directory holds when it is opened: its segments, the records in each, where the
 * last whole record ends and the highest sequence number appended. Every frame's CRC is checked. A
 * damaged frame or stretch (a flipped byte, a zeroed length, a segment cut short) is skipped up to the
 * next intact frame ({@link Resync}) and reported with how many records it held, counted from the
 * sequence numbers around it; only an incomplete frame at the very end is a record torn by a crash.
 */
final class Recovery {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  final long end;
  final long lastSequence;
  final long highestStep;
  /** Records lost to damage, as reported. */
  final long damaged;

  private Recovery(long end, long lastSequence, long highestStep, long damaged) {
    this.end = end;
    this.lastSequence = lastSequence;
    this.highestStep = highestStep;
    this.damaged = damaged;
  }

  /** Scans {@code dir}, filling {@code segments}, their record {@code counts} and the {@code gaps} readers jump over. */
  static Recovery scan(Path dir, Map<Long, Segment> segments, Map<Long, Long> counts, Map<Long, Long> gaps)
      throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> Segment.indexOf(p) >= 0).sorted().toList();
    }
    Scan scan = new Scan(dir, gaps);
    long end = 0;
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      Segment seg = Segment.open(file);
      if (seg == null) {
        Files.deleteIfExists(file); // created by a process killed before it wrote the header: holds nothing
        continue;
      }
      segments.put(seg.index, seg);
      int off = scan.segment(seg, i == files.size() - 1);
      counts.put(seg.index, scan.records);
      end = Positions.of(seg.index, off);
    }
    scan.endOfJournal();
    return new Recovery(end, scan.lastSequence, scan.highestStep, scan.damaged);
  }

  /** The walk over the frames, segment after segment, with the damage waiting for its count. */
  private static final class Scan {
    private final Path dir;
    private final Map<Long, Long> gaps;
    private final CRC32C crc = new CRC32C();
    long lastSequence = -1;
    long highestStep = Long.MIN_VALUE;
    long records;
    long damaged;
    /** A damaged stretch whose size the sequence of the next intact record tells; null when none. */
    private Damage pending;

    Scan(Path dir, Map<Long, Long> gaps) {
      this.dir = dir;
      this.gaps = gaps;
    }

    /** Walks one segment; returns where its records end. */
    int segment(Segment seg, boolean last) {
      int off = seg.dataStart();
      records = 0;
      while (true) {
        int len = seg.lengthAt(off);
        if (len == Segment.NEXT_SEGMENT) {
          return off;
        }
        if (len > 0 && seg.intact(off, len, crc)) {
          intactRecord(seg, off);
          off += Segment.FRAME_HEADER + len;
          continue;
        }
        int next = Resync.nextFrame(seg, off + 1, seg.capacity(), crc);
        if (next >= 0) {
          damage(seg, off, reason(seg, off, len), Positions.of(seg.index, next));
          off = next;
          continue;
        }
        boolean nothingAfter = len == 0 && seg.firstNonZero(off, seg.capacity()) < 0;
        if (last && nothingAfter) {
          return off; // where the writer stopped
        }
        if (last && (len == 0 || !seg.whole(off, len))) {
          log.warn("Journal segment {} ends in a record torn by a crash at byte {}; the {} whole record(s) before it"
              + " are kept, the torn one was never acknowledged to its caller", seg.path, off, records);
          return off;
        }
        // an earlier segment always ends in the next-segment mark: what is missing up to it was lost
        damage(seg, off, nothingAfter && off + 4 <= seg.capacity() ? "no end mark: the rest of the file is zeros"
            : reason(seg, off, len),
            Positions.of(seg.index + 1, 0));
        return off;
      }
    }

    private static String reason(Segment seg, int off, int len) {
      if (off + 4 > seg.capacity()) {
        return "the file is cut short";
      }
      if (len == 0) {
        return "a zeroed length";
      }
      if (len < Resync.MIN_PAYLOAD) {
        return "an impossible length " + len;
      }
      return seg.whole(off, len) ? "a CRC mismatch" : "a length past the end of the file";
    }

    private void intactRecord(Segment seg, int off) {
      long seq = seg.longAt(off + Segment.FRAME_HEADER + 8);
      if (pending != null) {
        report(pending, seq - pending.lastSequenceBefore - 1, "");
        pending = null;
      }
      lastSequence = Math.max(lastSequence, seq);
      highestStep = Math.max(highestStep, seg.longAt(off + Segment.FRAME_HEADER));
      records++;
    }

    private void damage(Segment seg, int off, String reason, long resume) {
      gaps.put(Positions.of(seg.index, off), resume);
      if (pending == null) {
        pending = new Damage(seg.path, off, reason, lastSequence);
      }
    }

    void endOfJournal() {
      if (pending != null) {
        report(pending, 1, "at least ");
        pending = null;
      }
    }

    private void report(Damage d, long lost, String atLeast) {
      long n = d.lastSequenceBefore < 0 ? 1 : Math.max(1, lost);
      String bound = d.lastSequenceBefore < 0 ? "at least " : atLeast;
      damaged += n;
      log.warn("Journal {}: {}{} damaged record(s) at byte {} of segment {} skipped ({}); the records after them are"
          + " read on", dir, bound, n, d.offset, d.segment.getFileName(), d.reason);
    }
  }

  private record Damage(Path segment, int offset, String reason, long lastSequenceBefore) {}
}
