package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.Secrets;
import dev.trainlog.core.internal.journal.Journal;
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
 * Records a backend refused for good (a permanent error), kept on disk as a journal so they can be
 * resent once the cause is fixed, with a {@code reasons.log} saying why each batch was refused.
 * Opened on the first refusal; a directory held by another process gives way to a free sibling.
 */
public final class DeadLetters implements Closeable {

  /** Segment size of a dead-letter journal: refusals are rare and small. */
  static final int SEGMENT_SIZE = 1 << 20;

  private final Path dir;
  private Journal journal;

  public DeadLetters(Path dir) {
    this.dir = dir;
  }

  /** Where refusals go (the directory in use, once one is open). */
  public synchronized Path directory() {
    return journal != null ? journal.directory() : dir;
  }

  /** Keeps the records and appends one line with the reason (secrets redacted) to reasons.log. */
  public synchronized void add(List<LogRecord> records, String reason, Instant when) throws IOException {
    if (journal == null) {
      journal = openFirstFree(dir);
    }
    for (LogRecord r : records) {
      journal.append(r.run(), r.step(), r.sequence(), r.timestampMillis(), r.forced(), r.metrics());
    }
    String line = when + " " + records.size() + " record(s) " + records.get(0).id()
        + (records.size() > 1 ? " .. " + records.get(records.size() - 1).id() : "") + ": "
        + Secrets.redactText(reason).replace('\n', ' ') + System.lineSeparator();
    try (BufferedWriter w = Files.newBufferedWriter(journal.directory().resolve("reasons.log"),
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      w.write(line);
    }
  }

  /**
   * Keeps the bytes of a record that does not decode ({@code undecodable/<id>.bin}, nothing to resend
   * but evidence) with a line in reasons.log, since it cannot be kept as a record.
   */
  public synchronized Path addUndecodable(String recordId, byte[] payload, String reason, Instant when)
      throws IOException {
    if (journal == null) {
      journal = openFirstFree(dir);
    }
    Path file = null;
    if (payload != null) {
      Path undecodable = Files.createDirectories(journal.directory().resolve("undecodable"));
      file = undecodable.resolve(recordId.replaceAll("[^A-Za-z0-9._-]", "_") + ".bin");
      Files.write(file, payload);
    }
    String line = when + " 1 record(s) " + recordId + ": does not decode ("
        + Secrets.redactText(reason).replace('\n', ' ') + ")"
        + (file == null ? "" : "; its bytes are kept in " + journal.directory().relativize(file))
        + System.lineSeparator();
    try (BufferedWriter w = Files.newBufferedWriter(journal.directory().resolve("reasons.log"),
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      w.write(line);
    }
    return file;
  }

  private static Journal openFirstFree(Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Path candidate = attempt == 1 ? dir : dir.resolveSibling(dir.getFileName() + "-" + attempt);
      Journal j = Journal.tryOpen(candidate, SEGMENT_SIZE, Long.MAX_VALUE);
      if (j != null) {
        return j;
      }
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (journal != null) {
      journal.close();
      journal = null;
    }
  }
}
