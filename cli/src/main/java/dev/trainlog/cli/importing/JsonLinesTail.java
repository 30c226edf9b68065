package dev.trainlog.cli.importing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a file of JSON lines as it grows, like {@code tail -f} from its first line: a line is read once
 * its newline is written, and numbered by its byte offset, so reading the same file again logs the
 * same record ids. Where the next line starts is kept in the {@link FollowState} after every look that
 * read, so a restarted follower goes on there. A line without a wall time of its own is timed when it is read: before
 * the first such line of a look is sent, the state says where it starts, the time its look gives such lines and where
 * the look ends, so that a follower killed before the look's end was saved reads those lines again at the same time,
 * as the same records, which MongoDB then does not store a second time beside the first.
 *
 * <p>A file that shrank was written anew (a trainer restarted from a checkpoint that opens it with {@code "w"}): it is
 * read again from its start as the file's next generation, whose lines are numbered after every line of the one
 * before ({@link Sequences}: generation, then byte offset), so that they are new records, not replays.
 */
final class JsonLinesTail {

  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesTail.class);

  private final Path file;
  private final JsonLinesFollower follower;
  private final Clock clock;
  private final FollowState state;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private long position;
  private long lineStart;
  private long lastGrowth;
  /** Lines that end at or before this offset, and have no wall time of their own, are timed {@link #timedAt}. */
  private long timedUntil = -1;
  private long timedAt;
  /** How many times the file was found written anew: the generation of its lines' sequences. */
  private int generation;

  JsonLinesTail(Path file, JsonLinesFollower follower, Clock clock, FollowState state) {
    this.file = file;
    this.follower = follower;
    this.clock = clock;
    this.state = state;
    long[] mark = state.mark(directory(), file.getFileName().toString());
    this.position = mark == null ? 0 : mark[1];
    this.generation = mark == null ? 0 : (int) mark[0];
    if (mark != null && mark.length == 4) { // killed in a look that sent a line it timed
      this.timedUntil = mark[2];
      this.timedAt = mark[3];
    }
    this.lineStart = position;
    this.lastGrowth = clock.millis();
  }

  /** One look: logs the lines completed since the last and saves where the next starts; true once idle that long. */
  boolean look(Duration idle) throws IOException {
    if (readNew()) {
      lastGrowth = clock.millis();
      state.put(directory(), file.getFileName().toString(), generation, lineStart);
      state.save();
      return false;
    }
    return clock.millis() - lastGrowth >= idle.toMillis();
  }

  private Path directory() {
    Path dir = file.toAbsolutePath().getParent();
    return dir == null ? file.toAbsolutePath() : dir;
  }

  /** Reads the lines completed since the last call; true if the file grew. */
  boolean readNew() throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long end = ch.size(); // what grows meanwhile is the next look's
      if (end < position) {
        startAgain(end);
      }
      if (end <= position) {
        return false;
      }
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      ch.position(position);
      while (position < end && ch.read(buf) > 0) {
        buf.flip();
        buf.limit((int) Math.min(buf.limit(), end - position));
        while (buf.hasRemaining()) {
          byte b = buf.get();
          position++;
          if (b == '\n') {
            long lineEnd = position;
            follower.line(line.toString(StandardCharsets.UTF_8), Sequences.of(generation, lineStart),
                () -> readAt(lineEnd, end));
            line.reset();
            lineStart = position;
          } else {
            line.write(b);
          }
        }
        buf.clear();
      }
      return true;
    } catch (UncheckedIOException e) {
      throw e.getCause(); // the state could not be saved before a line was sent
    }
  }

  /** The file shrank to {@code size}: it was written anew, and is read from its start as the next generation. */
  private void startAgain(long size) {
    LOG.warn("{} shrank from {} to {} bytes: it was written anew (a restarted trainer?); reading it again from its"
        + " start, its lines as new records", file, position, size);
    generation++;
    position = 0;
    lineStart = 0;
    line.reset();
    timedUntil = -1;
  }

  /**
   * The wall time of the line that starts at {@code lineStart} and ends at {@code lineEnd}, which has none of its own,
   * in a look that reads to {@code lookEnd}: the time the state kept for it, or, for the first such line of a look,
   * now, kept in the state with where the line starts and the look ends before the line is sent.
   */
  private long readAt(long lineEnd, long lookEnd) {
    if (lineEnd <= timedUntil) {
      return timedAt;
    }
    timedUntil = lookEnd;
    timedAt = clock.millis();
    state.putTimed(directory(), file.getFileName().toString(), generation, lineStart, timedUntil, timedAt);
    try {
      state.save();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return timedAt;
  }
}
