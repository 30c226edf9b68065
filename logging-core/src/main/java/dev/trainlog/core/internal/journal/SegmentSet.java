package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments of one journal still on disk, by number: how many records each finished one holds, the
 * damaged stretches found in them, and their deletion once no cursor needs them. Thread-safe; deletion
 * runs under this object's lock, never while holding the writer's.
 */
final class SegmentSet {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  private final Path dir;
  private final BlobStore blobs;
  final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  /** Records in each segment no longer appended to. */
  final Map<Long, Long> counts = new ConcurrentHashMap<>();
  /** Damaged stretches found by the recovery or a reader: from their start to the next intact frame. */
  final ConcurrentSkipListMap<Long, Long> gaps = new ConcurrentSkipListMap<>();

  SegmentSet(Path dir, BlobStore blobs) {
    this.dir = dir;
    this.blobs = blobs;
  }

  /** Position of the oldest record still kept; {@code head} when there is none. */
  long start(long head) {
    Long first = segments.isEmpty() ? null : segments.firstKey();
    return first == null ? head : Positions.of(first, 0);
  }

  /** Where reading resumes when a damaged stretch starts at {@code position}, or -1. */
  long gapAt(long position) {
    if (gaps.isEmpty()) {
      return -1;
    }
    Long resume = gaps.get(position);
    return resume == null ? -1 : resume;
  }

  /** Records in segment {@code index} once it was finished (from the scan or the index), 0 when unknown. */
  long recordsIn(long index) {
    return Math.max(0, counts.getOrDefault(index, 0L));
  }

  /** A mapping of segment {@code index} for reading, or null when it is gone or after {@code headSegment}. */
  Segment segment(long index, long headSegment) throws IOException {
    Segment s = segments.get(index);
    if (s == null && index <= headSegment) {
      s = Segment.open(Segment.pathOf(dir, index));
      if (s != null) {
        segments.putIfAbsent(index, s);
      }
    }
    return s;
  }

  /** The first segment at or after {@code index} that is still there, or -1. */
  long firstFrom(long index) {
    Long k = segments.ceilingKey(index);
    return k == null ? -1 : k;
  }

  /**
   * Gives up, for the cursors that drop, what is below {@code floor} (counting it), and deletes the
   * segments no cursor needs up to the one holding {@code head}.
   */
  synchronized void release(Journal journal, Subscribers subscribers, long floor, long head) {
    if (floor > 0) {
      FullJournal.dropBelow(journal, subscribers.all(), floor);
    }
    long needed = subscribers.firstNeeded(Positions.segment(head), floor);
    boolean deleted = false;
    for (Long index : new ArrayList<>(segments.headMap(needed).keySet())) {
      Segment s = segments.remove(index);
      deleted = true;
      try {
        s.delete();
      } catch (IOException e) {
        log.warn("Could not delete journal segment {}: {}", s.path, e.toString());
      }
    }
    if (deleted) {
      BlobLists.sweep(dir, segments.keySet(), blobs);
    }
  }

  /** Deletes every segment file: all their records are delivered. */
  synchronized void deleteAll() throws IOException {
    for (Segment s : segments.values()) {
      s.delete();
    }
    segments.clear();
  }

  /** Forces the bytes from position {@code from} to {@code to} to the device: only that range of each segment. */
  void force(long from, long to) {
    for (long index = Positions.segment(from); index <= Positions.segment(to); index++) {
      Segment s = segments.get(index);
      if (s != null && s.pin()) {
        try {
          int start = index == Positions.segment(from) ? Positions.offset(from) : 0;
          int end = index == Positions.segment(to) ? Positions.offset(to) : s.capacity();
          s.force(start, end);
        } finally {
          s.unpin();
        }
      }
    }
  }

  /** Deletes the files directly in {@code dir} that {@code which} selects. */
  static void deleteFiles(Path dir, Predicate<Path> which) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        if (which.test(p)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Unmaps every segment once no reader holds it: the journal is closed. */
  void unmapWhenFree() {
    for (Segment s : segments.values()) {
      s.unmapWhenFree();
    }
  }

  /**
   * Copies the bytes of each damaged stretch found in this journal (by the scan at open or a reader) to a file of
   * its own in {@code <dir>.damaged/} beside it, named by segment and byte, with a warning: what no reader could
   * decode outlives the journal for whoever wants to look at it. The directory kept, or null when nothing is damaged.
   */
  Path keepDamage() throws IOException {
    if (gaps.isEmpty()) {
      return null;
    }
    Path into = dir.resolveSibling(dir.getFileName() + ".damaged");
    long bytes = 0;
    int kept = 0;
    for (Map.Entry<Long, Long> gap : gaps.entrySet()) {
      long index = Positions.segment(gap.getKey());
      Path file = Segment.pathOf(dir, index);
      if (!Files.exists(file)) {
        continue; // delivered past and deleted meanwhile
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        long from = Positions.offset(gap.getKey());
        long to = Positions.segment(gap.getValue()) == index ? Positions.offset(gap.getValue()) : ch.size();
        if (to <= from) {
          continue;
        }
        kept++;
        Files.createDirectories(into);
        Path out = into.resolve(file.getFileName() + "-byte" + from + ".damaged");
        try (FileChannel w = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
          bytes += ch.transferTo(from, Math.max(0, to - from), w);
        }
      }
    }
    if (kept == 0) {
      return null;
    }
    log.warn("Journal {}: the bytes of its {} damaged stretch(es) ({} bytes), which no reader could decode, are kept in"
        + " {}", dir, kept, bytes, into);
    return into;
  }
}
