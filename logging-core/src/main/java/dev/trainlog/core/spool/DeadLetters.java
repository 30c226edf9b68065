package dev.trainlog.core.spool;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.Secrets;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * Records a backend refused for good (a permanent error), kept on disk in spool format so they can
 * be resent once the cause is fixed, with a {@code reasons.log} saying why each batch was refused.
 */
public final class DeadLetters implements Closeable {

  private final Path dir;
  private Spool spool;

  public DeadLetters(Path dir) {
    this.dir = dir;
  }

  public Path directory() {
    return dir;
  }

  /** Keeps the records and appends one line with the reason (secrets redacted) to reasons.log. */
  public synchronized void add(List<LogRecord> records, String reason, Instant when) throws IOException {
    if (spool == null) {
      spool = Spool.openFirstFree(dir);
    }
    for (LogRecord r : records) {
      spool.append(r);
    }
    spool.flush();
    String line = when + " " + records.size() + " record(s) " + records.get(0).id()
        + (records.size() > 1 ? " .. " + records.get(records.size() - 1).id() : "") + ": "
        + Secrets.redactText(reason).replace('\n', ' ') + System.lineSeparator();
    try (BufferedWriter w = Files.newBufferedWriter(spool.directory().resolve("reasons.log"), StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      w.write(line);
    }
  }

  /**
   * Lets go of {@code dir} when it is the directory this instance writes to, so that a resend can
   * read it while the dispatcher runs; the next {@link #add} takes it again (or a free sibling, while
   * the resend still holds it).
   */
  public synchronized void release(Path dir) throws IOException {
    if (spool != null && sameDirectory(spool.directory(), dir)) {
      spool.close();
      spool = null;
    }
  }

  private static boolean sameDirectory(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  @Override
  public synchronized void close() throws IOException {
    if (spool != null) {
      spool.close();
    }
  }
}
