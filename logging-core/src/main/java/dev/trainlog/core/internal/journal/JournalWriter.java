package dev.trainlog.core.internal.journal;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.RunInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The appending side of a journal: encodes each record once into the current segment, rolls to the
 * next segment (waiting while a cursor that blocks holds the oldest one past max-size), lists the
 * blob files a segment refers to, and numbers records (journal order is sequence order). All of it
 * under this object's lock, however many threads append.
 */
final class JournalWriter {

  private final Journal journal;
  private final Path dir;
  private final int segmentSize;
  private final long maxSize;
  private final BlobStore blobs;
  private final SegmentSet set;
  private final SegmentSpace space;
  private final Subscribers subscribers;
  /** Images and artifacts met while encoding the record being appended. */
  private final List<Object> files = new ArrayList<>();
  private final ByteSink scratch = new ByteSink();
  private final CRC32C crc = new CRC32C();
  private RunInfo runOfBytes;
  private byte[] runBytes;
  private Segment current;
  /** The current segment's blob list, open for appending from its first record with files until it rolls. */
  private BlobListAppender blobList;
  private int offset;
  private long inCurrent;
  /**
   * Bytes of the images and artifacts the current segment's records refer to, counted since it was started
   * or opened: a segment rolls at {@link #fileBytesPerSegment} of them too ({@link #append}).
   */
  private long fileBytesInCurrent;
  /**
   * A segment-size, or an eighth of max-size if more: a segment per segment-size of images cost B10's training
   * thread a quarter more per image (a roll, and 64 MiB of zeros written ahead for the next segment, every
   * 90 ms); max-size is then held to within an eighth.
   */
  private final long fileBytesPerSegmentAtMost;
  /**
   * {@link #fileBytesPerSegmentAtMost}, or an eighth of the device's free space when that is less (but not under
   * a segment-size), reckoned at each roll: on a device with less room than max-size the images every backend has
   * taken are deleted before they fill it (an 8 MiB device with 2 GiB of max-size kept every image until full).
   */
  private long fileBytesPerSegment;
  private boolean refusing;
  /** The sequence the next record without one of its own gets. */
  private long nextSequence;
  private long highestStep;
  /** Appends waiting for a blocking cursor to make room: changed under the lock, read by {@link #wakeIfWaiting} without it. */
  private volatile int awaitingRoom;
  private volatile long head;
  private volatile long appended;
  /** Cursors that drop when the journal is full jump to this segment. */
  private volatile long floor;

  JournalWriter(Journal journal, Path dir, int segmentSize, long maxSize, BlobStore blobs, SegmentSet set,
      SegmentSpace space, Subscribers subscribers, Recovery recovered) {
    this.journal = journal;
    this.dir = dir;
    this.segmentSize = segmentSize;
    this.maxSize = maxSize;
    this.fileBytesPerSegmentAtMost = Math.max(segmentSize, maxSize / 8);
    this.fileBytesPerSegment = fileBytesPerSegment(dir, segmentSize, fileBytesPerSegmentAtMost);
    this.blobs = blobs;
    this.set = set;
    this.space = space;
    this.subscribers = subscribers;
    this.nextSequence = recovered.lastSequence + 1;
    this.highestStep = recovered.highestStep;
    this.head = recovered.end;
  }

  long head() {
    return head;
  }

  long appended() {
    return appended;
  }

  long floor() {
    return floor;
  }

  synchronized long lastSequence() {
    return nextSequence - 1;
  }

  synchronized long highestStep() {
    return highestStep;
  }

  synchronized void continueAfter(long lastSequence, long step) {
    nextSequence = Math.max(nextSequence, lastSequence + 1);
    highestStep = Math.max(highestStep, step);
  }

  synchronized long reserveSequence() {
    return nextSequence++;
  }

  /** See {@link Journal#append}. */
  synchronized long append(RunInfo run, long step, long sequence, long timestampMillis, boolean forced,
      Map<String, Object> metrics) throws IOException {
    long given = sequence;
    int length;
    long fileBytes;
    encoding:
    while (true) {
      if (refusing) {
        return -1;
      }
      sequence = given < 0 ? nextSequence : given;
      scratch.reset();
      files.clear();
      RecordCodec.writeRecord(scratch, step, sequence, timestampMillis, forced, metrics, files);
      length = scratch.size();
      crc.reset();
      crc.update(scratch.array(), 0, length);
      fileBytes = files.isEmpty() ? 0 : fileBytes(files);
      // a segment also rolls once its records refer to that many bytes of files: files are deleted with the
      // segments that refer to them, so small records with images would keep every image until close (64 MiB
      // of records is hundreds of thousands of steps), past max-size, which rolls count them against
      while (current == null || run != current.runIfKnown() || !current.fits(offset, length)
          || (inCurrent > 0 && fileBytesInCurrent + fileBytes > fileBytesPerSegment)) {
        if (current == null && run == null) {
          throw new IllegalArgumentException("run");
        }
        int rolled = roll(run, length);
        if (rolled == REFUSED) {
          return -1;
        }
        if (rolled == WAITED) {
          // the wait let the lock go: another thread's append may have used the scratch buffer, the file list,
          // the CRC and this sequence number meanwhile, so the record is encoded again
          continue encoding;
        }
      }
      break;
    }
    if (!files.isEmpty()) {
      keepFiles();
    }
    current.writeFrame(offset, scratch.array(), length, (int) crc.getValue());
    offset += Segment.FRAME_HEADER + length;
    inCurrent++;
    fileBytesInCurrent += fileBytes;
    appended++;
    head = Positions.of(current.index, offset);
    nextSequence = Math.max(nextSequence, sequence + 1);
    highestStep = Math.max(highestStep, step);
    return sequence;
  }

  /**
   * Before the frame: the files the record refers to are in this journal's store (a dead letter's or a
   * resent record's come from another) and listed beside the current segment, so a sweep keeps them. A kill
   * -9 between the list line and the frame leaves a listed id no record needs: kept until the segment goes.
   */
  private void keepFiles() throws IOException {
    List<String> ids = new ArrayList<>();
    for (Object v : files) {
      blobs.adopt(v);
      BlobStore.addIds(v, ids);
    }
    StringBuilder lines = new StringBuilder();
    ids.forEach(id -> lines.append(id).append('\n'));
    appendToList(lines.toString().getBytes(StandardCharsets.US_ASCII));
    ids.forEach(blobs::appended);
  }

  /** A copy into the segment's list, opened once per segment (an open and a close per record cost the caller more than the write). */
  private void appendToList(byte[] lines) throws IOException {
    if (blobList == null) {
      blobList = BlobListAppender.open(BlobLists.pathOf(dir, current.index));
    }
    try {
      blobList.append(lines);
    } catch (IOException e) {
      closeList(); // opened again by the next record with files
      throw e;
    }
  }

  private void closeList() {
    if (blobList != null) {
      try {
        blobList.close();
      } catch (IOException e) {
        // what was appended is in the file, followed by NUL bytes its readers skip
      }
      blobList = null;
    }
  }

  /** {@code atMost}, or an eighth of the free space of {@code dir}'s device if less, but at least {@code segmentSize}. */
  static long fileBytesPerSegment(Path dir, int segmentSize, long atMost) {
    try {
      long free = java.nio.file.Files.getFileStore(dir).getUsableSpace();
      return Math.min(atMost, Math.max(segmentSize, free / 8));
    } catch (IOException | RuntimeException e) {
      return atMost; // the device cannot say: max-size alone
    }
  }

  /** The bytes of the files {@code files} lists: an image not encoded yet counts its pixels. */
  private static long fileBytes(List<Object> files) {
    long n = 0;
    for (Object v : files) {
      if (v instanceof Images images) {
        for (Image i : images) {
          n += i.length() >= 0 ? i.length() : 4L * i.width() * i.height();
        }
      } else {
        n += ((Artifact) v).length();
      }
    }
    return n;
  }

  /** Segments kept before the oldest are given up: what max-size leaves once the blob files are counted. */
  private long maxSegments() {
    return Math.max(2, (maxSize - blobs.bytes()) / segmentSize);
  }

  /** {@link #roll}: the next segment is started. */
  private static final int ROLLED = 0;
  /** {@link #roll}: it waited for a blocking cursor, letting the lock go; the caller looks again. */
  private static final int WAITED = 1;
  /** {@link #roll}: appends are refused (closing), or the waiting thread was interrupted. */
  private static final int REFUSED = 2;

  /**
   * Starts the next segment ({@link #ROLLED}); or waits once while a blocking cursor holds the oldest ({@link
   * #WAITED}: the caller looks again, as another may have appended or rolled meanwhile); {@link #REFUSED} when
   * appends are refused.
   */
  private int roll(RunInfo run, int length) throws IOException {
    var segments = set.segments;
    long next = current != null ? current.index + 1 : segments.isEmpty() ? 0 : segments.lastKey() + 1;
    long newFloor = next - maxSegments() + 1;
    if (newFloor > 0 && subscribers.blockedBelow(newFloor)) {
      if (refusing) {
        return REFUSED;
      }
      // set before the cursors are looked at again, so that a cursor moving meanwhile sees it (wakeIfWaiting)
      awaitingRoom++;
      try {
        if (subscribers.blockedBelow(newFloor)) {
          wait(100);
          return WAITED;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return REFUSED;
      } finally {
        awaitingRoom--;
      }
    }
    if (run != runOfBytes) {
      ByteSink sink = new ByteSink();
      RecordCodec.writeRun(sink, run);
      runBytes = Arrays.copyOf(sink.array(), sink.size());
      runOfBytes = run;
    }
    int size = Math.max(segmentSize, 12 + runBytes.length + Segment.FRAME_HEADER + length + 4);
    if (current == null) {
      endRecoveredSegment();
    }
    // the new segment first: when the device is full this throws and the journal is as it was
    Segment created = Segment.create(dir, next, size, run, runBytes, space);
    if (current != null) {
      current.markNext(offset);
      set.counts.put(current.index, inCurrent);
      SegmentIndex.append(dir, current.index, inCurrent);
    }
    closeList();
    current = created;
    segments.put(next, current);
    space.reserveAhead(segmentSize);
    offset = current.dataStart();
    inCurrent = 0;
    fileBytesInCurrent = 0;
    fileBytesPerSegment = fileBytesPerSegment(dir, segmentSize, fileBytesPerSegmentAtMost);
    if (newFloor > floor) {
      floor = newFloor;
      journal.dropBelow(newFloor);
    }
    journal.releaseSoon(); // segments every cursor passed, and their images, are deleted off the appending thread
    return ROLLED;
  }

  /**
   * Before this process's first segment: the segment an earlier process was appending to when it died gets the
   * next-segment mark at its end, as a roll gives it, and its count goes to the index. Without it, once no longer
   * the last, it read as damaged on the next open ("no end mark"), one record counted lost for every backend. A
   * kill between this and the new segment leaves a last segment ending in the mark, which reads as its end.
   */
  private void endRecoveredSegment() throws IOException {
    long end = head;
    var segments = set.segments;
    if (segments.isEmpty() || segments.lastKey() != Positions.segment(end)) {
      return;
    }
    Segment last = segments.get(segments.lastKey());
    int at = Positions.offset(end);
    if (at >= last.dataStart() && at + 4 <= last.capacity() && last.lengthAt(at) != Segment.NEXT_SEGMENT) {
      // a recovered segment is mapped for reading: the mark goes through the file, and the mapping sees it
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(last.path,
          java.nio.file.StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer mark = java.nio.ByteBuffer.allocate(4).putInt(0, Segment.NEXT_SEGMENT);
        while (mark.hasRemaining()) {
          ch.write(mark, at + mark.position());
        }
      }
      SegmentIndex.append(dir, last.index, set.recordsIn(last.index));
    }
  }

  /** After a cursor moved: lets an append waiting for room go on. */
  void wakeIfWaiting() {
    if (awaitingRoom > 0) {
      // only then: taking the lock on every cursor move would make the caller's appends wait for it
      synchronized (this) {
        notifyAll();
      }
    }
  }

  /** From now on appends are refused; appends waiting for room give up. */
  synchronized void refuse() {
    refusing = true;
    closeList();
    notifyAll();
  }
}
