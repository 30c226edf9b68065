package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blobs copied into a spare file whose rename to their content id is still to come, by the path they
 * will have. Readers decode records with only the blob directory's path, so this lookup is static. A
 * spare moves forward only (spare name, then {@code .filled}, then its content id), so a reader that
 * tries the id, then each earlier name in that order, then the id again never misses a blob that is there.
 */
final class UnpublishedBlobs {

  /** The names a blob has on its way to {@code target}, in the order it has them, and its length. */
  record Way(Path spare, Path filled, int length) {}

  private static final Map<Path, Way> WAITING = new ConcurrentHashMap<>();

  private UnpublishedBlobs() {}

  static void add(Path target, Way way) {
    WAITING.put(target, way);
  }

  /** After the rename to {@code target} (or when it failed for good and recovery will do it). */
  static void remove(Path target) {
    WAITING.remove(target);
  }

  /** Whether {@code target} is a blob still in its spare; checked before the file itself, since a rename may come between. */
  static boolean holds(Path target) {
    return !WAITING.isEmpty() && WAITING.containsKey(key(target));
  }

  /** Whether the blob {@code target} is there, published or not. */
  static boolean exists(Path target) {
    // File.exists is a stat; Files.exists on JDK 17 makes and catches an exception for a missing file,
    // which is what the caller meets for every new image (10-25 µs against 5-10 µs, B10)
    return holds(target) || target.toFile().exists();
  }

  /** The bytes of the blob {@code target}, from its spare when it is not renamed yet. */
  static byte[] read(Path target) throws IOException {
    try {
      return Files.readAllBytes(target);
    } catch (NoSuchFileException notYet) {
      Way way = WAITING.isEmpty() ? null : WAITING.get(key(target));
      if (way != null) {
        for (Path p : new Path[] {way.spare(), way.filled()}) {
          try {
            return prefix(p, way.length());
          } catch (NoSuchFileException movedOn) {
            // renamed meanwhile: the next name holds it
          }
        }
      }
      return Files.readAllBytes(target); // renamed meanwhile, or gone for good (NoSuchFileException)
    }
  }

  private static byte[] prefix(Path file, int length) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(length);
      while (b.hasRemaining()) {
        if (ch.read(b, b.position()) < 0) {
          throw new IOException(file + " ends before its " + length + " bytes");
        }
      }
      return b.array();
    }
  }

  /** The form of a path both sides use: the store's directory is absolute and normalised once. */
  private static Path key(Path target) {
    return target.isAbsolute() ? target.normalize() : target.toAbsolutePath().normalize();
  }
}
