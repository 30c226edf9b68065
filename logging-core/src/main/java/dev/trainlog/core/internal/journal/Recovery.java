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
 * last whole record ends and the highest sequence number appended. A record torn by a crash in the
 * middle of its append ends the journal there, with one warning.
 */
final class Recovery {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  final long end;
  final long lastSequence;
  final long highestStep;

  private Recovery(long end, long lastSequence, long highestStep) {
    this.end = end;
    this.lastSequence = lastSequence;
    this.highestStep = highestStep;
  }

  static Recovery scan(Path dir, Map<Long, Segment> segments, Map<Long, Long> counts) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> Segment.indexOf(p) >= 0).sorted().toList();
    }
    long end = 0;
    long lastSequence = -1;
    long highestStep = Long.MIN_VALUE;
    byte[] scratch = new byte[256];
    CRC32C crc = new CRC32C();
    for (Path file : files) {
      Segment seg = Segment.open(file);
      if (seg == null) {
        Files.deleteIfExists(file); // created by a process killed before it wrote the header: holds nothing
        continue;
      }
      segments.put(seg.index, seg);
      int off = seg.dataStart();
      long records = 0;
      while (true) {
        int len = seg.lengthAt(off);
        if (len == Segment.NEXT_SEGMENT || (len == 0 && !tornTail(seg, off))) {
          break;
        }
        byte[] payload = seg.payload(off, len, scratch, crc);
        if (payload == null) {
          log.warn("Journal segment {} ends in a record torn by a crash at byte {}; the {} whole record(s) before"
              + " it are kept, the torn one was never acknowledged to its caller", file, off, records);
          break;
        }
        scratch = payload;
        lastSequence = Math.max(lastSequence, RecordCodec.sequenceOf(payload));
        highestStep = Math.max(highestStep, RecordCodec.stepOf(payload));
        records++;
        off += Segment.FRAME_HEADER + len;
      }
      counts.put(seg.index, records);
      end = Positions.of(seg.index, off);
    }
    return new Recovery(end, lastSequence, highestStep);
  }

  /** Whether bytes follow a zero length at {@code off}: a frame cut inside its length field. */
  private static boolean tornTail(Segment seg, int off) {
    return off < seg.capacity() && off + 4 > seg.capacity() && seg.anyNonZero(off, seg.capacity());
  }
}
