package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many records each finished segment held, one "segment count" line per segment in {@value #FILE}:
 * a process that finds a cursor in a segment an earlier process deleted can say how many records it
 * lost. One short append per segment, never per record.
 */
final class SegmentIndex {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);
  static final String FILE = "segments.index";

  private SegmentIndex() {}

  /** Adds the counts of segments no longer on disk to {@code counts} (those on disk were counted by the scan). */
  static void load(Path dir, Map<Long, Long> counts) {
    try {
      for (String line : Files.readAllLines(dir.resolve(FILE), StandardCharsets.UTF_8)) {
        String[] parts = line.strip().split(" ");
        if (parts.length == 2) {
          try {
            counts.putIfAbsent(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
          } catch (NumberFormatException damaged) {
            // a line cut by a crash: that segment's count is unknown
          }
        }
      }
    } catch (NoSuchFileException e) {
      // a journal without finished segments
    } catch (IOException e) {
      log.warn("Cannot read {} ({}); records lost with segments deleted earlier cannot be counted", dir.resolve(FILE),
          e.toString());
    }
  }

  static void append(Path dir, long segment, long records) {
    try {
      Files.writeString(dir.resolve(FILE), segment + " " + records + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      log.warn("Cannot write {} ({}); a later process could not count the records of segment {} if it is dropped",
          dir.resolve(FILE), e.toString(), segment);
    }
  }
}
