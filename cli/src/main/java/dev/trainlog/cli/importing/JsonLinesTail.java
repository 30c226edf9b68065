package dev.trainlog.cli.importing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;

/**
 * Reads a file of JSON lines as it grows, like {@code tail -f} from its first line: a line is read once
 * its newline is written, and numbered by its byte offset, so reading the same file again logs the
 * same record ids. Where the next line starts is kept in the {@link FollowState} after every look that
 * read, so a restarted follower goes on there.
 */
final class JsonLinesTail {

  private final Path file;
  private final JsonLinesFollower follower;
  private final Clock clock;
  private final FollowState state;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private long position;
  private long lineStart;
  private long lastGrowth;

  JsonLinesTail(Path file, JsonLinesFollower follower, Clock clock, FollowState state) {
    this.file = file;
    this.follower = follower;
    this.clock = clock;
    this.state = state;
    long[] mark = state.mark(directory(), file.getFileName().toString());
    this.position = mark == null ? 0 : mark[1];
    this.lineStart = position;
    this.lastGrowth = clock.millis();
  }

  /** One look: logs the lines completed since the last and saves where the next starts; true once idle that long. */
  boolean look(Duration idle) throws IOException {
    if (readNew()) {
      lastGrowth = clock.millis();
      state.put(directory(), file.getFileName().toString(), 0, lineStart);
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
      if (ch.size() <= position) {
        return false;
      }
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      ch.position(position);
      while (ch.read(buf) > 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          byte b = buf.get();
          position++;
          if (b == '\n') {
            follower.line(line.toString(StandardCharsets.UTF_8), lineStart, clock.millis());
            line.reset();
            lineStart = position;
          } else {
            line.write(b);
          }
        }
        buf.clear();
      }
      return true;
    }
  }
}
