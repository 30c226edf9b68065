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
import java.util.function.BooleanSupplier;

/**
 * Reads a file of JSON lines as it grows, like {@code tail -f} from its first line: a line is read once
 * its newline is written, and numbered by its byte offset, so reading the same file again logs the
 * same record ids.
 */
final class JsonLinesTail {

  /** Pause between two looks at a file that did not grow: {@value} ms. */
  static final long POLL_MILLIS = 100;

  private final Path file;
  private final JsonLinesFollower follower;
  private final Clock clock;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private long position;
  private long lineStart;

  JsonLinesTail(Path file, JsonLinesFollower follower, Clock clock) {
    this.file = file;
    this.follower = follower;
    this.clock = clock;
  }

  /** Follows until {@code stop} (false) or {@code idle} without growth (true). */
  boolean follow(BooleanSupplier stop, Duration idle) throws IOException, InterruptedException {
    long lastGrowth = clock.millis();
    while (!stop.getAsBoolean()) {
      if (readNew()) {
        lastGrowth = clock.millis();
      } else if (clock.millis() - lastGrowth >= idle.toMillis()) {
        return true;
      } else {
        Thread.sleep(POLL_MILLIS);
      }
    }
    return false;
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
