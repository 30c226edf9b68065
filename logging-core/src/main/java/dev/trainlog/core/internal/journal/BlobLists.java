package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Beside each segment whose records refer to images or artifacts, the list of their ids ({@code
 * <segment>.blobs}), so that deleting segments tells which blob files no record needs any more without
 * decoding a record.
 */
final class BlobLists {

  private static final Logger log = LoggerFactory.getLogger(BlobLists.class);
  private static final String SUFFIX = ".blobs";

  private BlobLists() {}

  static Path pathOf(Path dir, long segment) {
    return dir.resolve(String.format("%020d", segment) + SUFFIX);
  }

  /** Deletes the lists of segments no longer here, then the blob files no remaining list names. */
  static void sweep(Path dir, Set<Long> remaining, BlobStore blobs) {
    Set<String> live = new HashSet<>();
    // the files this sweep may delete are those here before the pending ids and the lists are read: a file
    // written later is not looked at, and one written earlier is pending at the snapshot or listed by then
    List<Path> candidates;
    try {
      candidates = blobs.files();
    } catch (IOException e) {
      log.warn("Could not list the images and artifacts of {}: {}", dir, e.toString());
      return;
    }
    // before the lists are read: an append that lists its ids and leaves pending meanwhile is seen by one of them
    Set<String> pendingBefore = blobs.pendingNow();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (!name.endsWith(SUFFIX)) {
          continue;
        }
        long segment = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        if (remaining.contains(segment)) {
          live.addAll(idsIn(p));
        } else {
          Files.deleteIfExists(p);
        }
      }
      blobs.sweep(candidates, live, pendingBefore);
    } catch (IOException | NumberFormatException e) {
      log.warn("Could not delete the images and artifacts no record of {} needs any more: {}", dir, e.toString());
    }
  }

  /** The ids {@code list} names; the NUL bytes a list being appended to ends in ({@link BlobListAppender}) are not. */
  static List<String> idsIn(Path list) throws IOException {
    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(list, StandardCharsets.US_ASCII)) {
      int nul = line.indexOf('\0');
      String id = nul < 0 ? line : line.substring(0, nul);
      if (!id.isEmpty()) {
        ids.add(id);
      }
    }
    return ids;
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException e) {
      // nothing was ever stored
    }
  }
}
