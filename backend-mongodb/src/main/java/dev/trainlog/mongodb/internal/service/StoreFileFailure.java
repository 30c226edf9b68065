package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.exception.MongoServerError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/**
 * A write to the service's H2 file that failed: H2 closes the file after any failed write, so the
 * service answers with one line naming the directory and what to do, then stops, and its clients keep
 * their records (in their journals) until a new service can write again.
 */
final class StoreFileFailure {

  /** The error code clients get, MongoDB's own for a full disk: {@value}. */
  static final int CODE = 14031;

  /** MongoDB's name for {@link #CODE}: {@value}. */
  static final String CODE_NAME = "OutOfDiskSpace";

  /** Below this many free bytes a directory's disk counts as full: 1 MiB (an H2 chunk and server.json). */
  static final long FULL_BELOW_BYTES = 1 << 20;

  /** What the operating system says when a device is full. */
  private static final String NO_SPACE = "No space left on device";

  private StoreFileFailure() {}

  /**
   * The error to answer with when {@code failure} (or the failure that closed {@code closedBy}) is the
   * H2 file failing; empty for any other error, which the server reports as it always does.
   */
  static Optional<MongoServerError> of(Path dir, RuntimeException failure, MVStoreException closedBy) {
    Throwable cause = closedBy != null ? closedBy : storeCause(failure);
    if (cause == null) {
      return Optional.empty();
    }
    return Optional.of(new MongoServerError(CODE, CODE_NAME, message(dir, cause)));
  }

  /** The failed write of the file in {@code failure}'s causes; a read or a bad command is not the file's fault. */
  private static Throwable storeCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MVStoreException && ((MVStoreException) t).getErrorCode() == DataUtils.ERROR_WRITING_FAILED
          || String.valueOf(t.getMessage()).contains(NO_SPACE)) {
        return t;
      }
    }
    return null;
  }

  /** The one line for a person: the disk is full, the heap was, or H2 closed the file for another reason. */
  static String message(Path dir, Throwable cause) {
    if (outOfMemory(cause)) {
      return "the store service of " + dir + " ran out of memory and H2 closed " + ServiceLauncher.FILE_NAME
          + " (a read that holds many documents at once: read fewer, or start the service with a larger heap,"
          + " TRAINLOG_STORE_HEAP=2g); the next client starts a new service, and the records waiting in the"
          + " trainers' journals are stored then";
    }
    if (diskFull(dir, cause)) {
      return "the store service of " + dir + " cannot write " + ServiceLauncher.FILE_NAME + ": the disk is full; free"
          + " space on it, and the records waiting in the trainers' journals are stored when a new service starts";
    }
    return "the store service of " + dir + " cannot use " + ServiceLauncher.FILE_NAME + " (" + firstLine(cause)
        + "); check that the directory is writable and its disk healthy, and the records waiting in the trainers'"
        + " journals are stored when a new service starts";
  }

  /** Whether {@code cause} says the device is full, or the directory's disk has (almost) no room left. */
  static boolean diskFull(Path dir, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (String.valueOf(t.getMessage()).contains(NO_SPACE)) {
        return true;
      }
    }
    try {
      return Files.getFileStore(dir).getUsableSpace() < FULL_BELOW_BYTES;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean outOfMemory(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(Throwable cause) {
    String m = String.valueOf(cause.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
