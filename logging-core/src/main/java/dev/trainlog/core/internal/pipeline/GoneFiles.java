package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.core.internal.journal.DamagedBlobException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records whose image or artifact file is gone from the journal (deleted by hand, or lost with a
 * damaged disk) or whose image's bytes no longer match their content id (one damaged byte): no retry
 * brings the file back, so such a record goes to the dead letters at once rather than holding up every
 * later record of its backend.
 */
final class GoneFiles {

  private GoneFiles() {}

  /** Appended to what {@link #missing} names when the file is there but damaged. */
  static final String DAMAGED = ", damaged";

  /** Whether {@code failure} could come from a file that is gone or damaged: only then are the records looked at. */
  static boolean suspected(Throwable failure) {
    return causedBy(failure, NoSuchFileException.class) || causedBy(failure, DamagedBlobException.class);
  }

  /**
   * What of {@code record} is gone ("image samples/a @ 500") or damaged ("image samples/a @ 500, damaged": its
   * bytes no longer match their content id), or null when every file it names is there and whole.
   */
  static String missing(LogRecord record) {
    for (Map.Entry<String, Object> e : record.metrics().entrySet()) {
      if (e.getValue() instanceof Images images) {
        Throwable why = firstUnreadable(images);
        if (why != null) {
          return "image " + e.getKey() + " @ " + record.step() + (causedBy(why, DamagedBlobException.class) ? DAMAGED : "");
        }
      } else if (e.getValue() instanceof Artifact artifact && !Files.exists(artifact.file())) {
        return "artifact " + artifact.name() + " @ " + record.step();
      }
    }
    return null;
  }

  /** {@code record} without the images and artifacts whose files are gone, so the rest can be kept. */
  static LogRecord withoutGone(LogRecord record) {
    Map<String, Object> kept = new LinkedHashMap<>();
    record.metrics().forEach((key, value) -> {
      boolean gone = value instanceof Images images && anyUnreadable(images)
          || value instanceof Artifact artifact && !Files.exists(artifact.file());
      if (!gone) {
        kept.put(key, value);
      }
    });
    return record.withMetrics(kept);
  }

  private static boolean anyUnreadable(Images images) {
    return firstUnreadable(images) != null;
  }

  /** Why the first of {@code images} that cannot be read for good cannot, or null. */
  private static Throwable firstUnreadable(Images images) {
    for (Image image : images) {
      try {
        image.bytes();
      } catch (UncheckedIOException e) {
        if (suspected(e)) {
          return e;
        }
      }
    }
    return null;
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> kind) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (kind.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
