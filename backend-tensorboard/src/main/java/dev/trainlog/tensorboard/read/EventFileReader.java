package dev.trainlog.tensorboard.read;

import dev.trainlog.tensorboard.read.FramedRecordInput.Status;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the events of one TensorBoard event file as {@link TbRecord}s, one at a time, holding no more
 * than the record being read (memory grows only with the largest record, not with the file). Both
 * CRCs of every record are checked.
 *
 * <p>{@link #next} returns null where no complete record is left: at the end of the file, or at a
 * last record cut short because its writer is still writing ({@link #truncatedTail}). Calling {@code
 * next} again later reads what was appended since; a new reader opened at {@link #position} does the
 * same, which is how a follower resumes after a restart. A damaged stretch in the middle (bad CRC, a
 * record that is no {@code Event}) is skipped to the next readable record with one WARN and counted
 * in {@link #crcErrors}. A reader is meant for one thread.
 */
public final class EventFileReader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventFileReader.class);

  private final Path file;
  private final FileChannel channel;
  private final FramedRecordInput input;
  private final EventDecoder decoder = new EventDecoder();
  private final Map<String, Long> skipped = new LinkedHashMap<>();
  private long position;
  /** Set while looking for the next readable record after damage: {@link #position} is where the search goes on. */
  private boolean damaged;
  private boolean truncatedTail;
  private long crcErrors;
  private int crcErrorsSinceLastRecord;

  private EventFileReader(Path file, FileChannel channel, long startOffset) {
    this.file = file;
    this.channel = channel;
    this.input = new FramedRecordInput(channel);
    this.position = startOffset;
  }

  /** Opens {@code file} to read from its first record. */
  public static EventFileReader open(Path file) throws IOException {
    return open(file, 0);
  }

  /**
   * Opens {@code file} to read from byte {@code startOffset}, which should be a record's {@link
   * TbRecord#offset} or {@link TbRecord#endOffset}, or a {@link #position} this class reported.
   */
  public static EventFileReader open(Path file, long startOffset) throws IOException {
    if (startOffset < 0) {
      throw new IllegalArgumentException("startOffset was " + startOffset + " but it must be 0 or more");
    }
    return new EventFileReader(file, FileChannel.open(file, StandardOpenOption.READ), startOffset);
  }

  /** The next complete record, or null if there is none (yet). */
  public TbRecord next() throws IOException {
    truncatedTail = false;
    while (true) {
      if (damaged && !resync()) {
        return null;
      }
      long offset = position;
      Status status = input.read(offset);
      switch (status) {
        case END:
          return null;
        case INCOMPLETE:
          truncatedTail = true;
          return null;
        case RECORD:
          long end = offset + FramedRecordInput.FRAME_BYTES + input.dataLength();
          TbRecord record = decode(offset, end);
          position = end;
          if (record != null) {
            return record;
          }
          break;
        case BAD_DATA_CRC:
          // the length passed its own CRC, so the next record starts right after this one
          damage(offset, "the record's data does not match its CRC",
              offset + FramedRecordInput.FRAME_BYTES + input.dataLength());
          break;
        default:
          damage(offset, status == Status.BAD_LENGTH ? "the record's length is impossible"
              : "the record's length does not match its CRC", offset + 1);
      }
    }
  }

  private TbRecord decode(long offset, long end) {
    EventContent content;
    try {
      content = decoder.decode(input.data(), input.dataOffset(), input.dataLength());
    } catch (MalformedEventException e) {
      damage(offset, "the record is not a readable Event (" + e.getMessage() + ")", -1);
      return null;
    }
    content.skipped.forEach((kind, n) -> skipped.merge(kind, (long) n, Long::sum));
    TbRecord record = content.toRecord(offset, end, crcErrorsSinceLastRecord);
    crcErrorsSinceLastRecord = 0;
    return record;
  }

  /** Counts and warns about damage at {@code offset}; a search for the next record starts at {@code searchFrom} (-1: none needed). */
  private void damage(long offset, String reason, long searchFrom) {
    crcErrors++;
    crcErrorsSinceLastRecord++;
    LOG.warn("Skipping damaged data in TensorBoard event file {} at byte {}: {}; reading on at the next readable record",
        file, offset, reason);
    if (searchFrom >= 0) {
      damaged = true;
      position = searchFrom;
    }
  }

  /** Moves {@link #position} to the next readable record; false if none is there yet. */
  private boolean resync() throws IOException {
    long found = input.resync(position);
    if (found < 0) {
      // a record may begin in the last bytes, too few yet to check its header
      position = Math.max(position, channel.size() - (FramedRecordInput.HEADER_BYTES - 1));
      return false;
    }
    LOG.debug("Reading {} on at byte {}", file, found);
    position = found;
    damaged = false;
    return true;
  }

  /** Where the next record is to be read: after the last one returned, or at the incomplete one. */
  public long position() {
    return position;
  }

  /** True if the last {@link #next} that returned null stopped at a record cut short. */
  public boolean truncatedTail() {
    return truncatedTail;
  }

  /** Damaged stretches skipped so far: CRC mismatches, and the rare record whose CRCs match but that is no readable {@code Event}. */
  public long crcErrors() {
    return crcErrors;
  }

  /** Values skipped so far, by plugin name or value kind ({@code image}, {@code audio}, {@code pr_curves}, ...). */
  public Map<String, Long> skippedKinds() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
