package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a blob directory is opened: spares a process that is gone left. One the caller filled (its
 * trailer intact and the content id matching its bytes) holds an image whose {@code image()} returned,
 * so it is cut to length and renamed to its content id, as the background would have done; a filled spare
 * half way there ({@code <id>.<ext>.filled}) is finished; an empty or torn spare is deleted.
 */
final class SpareRecovery {

  private static final Logger log = LoggerFactory.getLogger(SpareRecovery.class);

  private SpareRecovery() {}

  static void run(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(BlobSpare.SUFFIX)) {
          spare(p);
        } else if (name.endsWith(BlobSpare.FILLED)) {
          String target = name.substring(0, name.length() - BlobSpare.FILLED.length());
          finish(p, dir.resolve(target), lengthOf(target));
        }
      }
    }
  }

  private static void spare(Path p) throws IOException {
    BlobSpare.Trailer trailer = null;
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size >= BlobSpare.TRAILER) {
        ByteBuffer t = ByteBuffer.allocate(BlobSpare.TRAILER);
        while (t.hasRemaining() && ch.read(t, size - BlobSpare.TRAILER + t.position()) > 0) {
          // reads the trailer whole
        }
        trailer = t.hasRemaining() ? null : BlobSpare.Trailer.read(t.array());
        if (trailer != null && trailer.length() > size - BlobSpare.TRAILER) {
          trailer = null;
        }
      }
    }
    if (trailer == null) {
      Files.deleteIfExists(p); // made ahead, never filled
      return;
    }
    finish(p, p.resolveSibling(trailer.name()), trailer.length());
  }

  /** Cuts {@code p} to {@code length}, checks its bytes against the id {@code target} names, and renames it. */
  private static void finish(Path p, Path target, long length) throws IOException {
    String name = target.getFileName().toString();
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (length < 0 || ch.size() < length) {
        log.warn("The blob file {} is shorter than its {} bytes: deleted", p, length);
        ch.close();
        Files.deleteIfExists(p);
        return;
      }
      ch.truncate(length);
    }
    String id = name.substring(0, name.indexOf('.'));
    if (!ContentIds.names(baseOf(id), p)) {
      log.warn("The blob file {} does not hold the content its name says: deleted", p);
      Files.deleteIfExists(p);
    } else if (Files.exists(target)) {
      Files.deleteIfExists(p); // the same content, published already
    } else {
      Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** The length a content id names ({@code <crcs>-<hex length>[-n]}), or -1. */
  static long lengthOf(String fileName) {
    String id = fileName.substring(0, Math.max(0, fileName.indexOf('.')));
    String[] parts = id.split("-");
    try {
      return parts.length >= 2 ? Long.parseLong(parts[1], 16) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The content id without the suffix another content under the same id got. */
  private static String baseOf(String id) {
    int first = id.indexOf('-');
    int second = id.indexOf('-', first + 1);
    return second < 0 ? id : id.substring(0, second);
  }
}
