package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records whose image or artifact file is gone from the journal (deleted by hand, or lost with a
 * damaged disk): no retry brings the file back, so such a record goes to the dead letters at once
 * rather than holding up every later record of its backend.
 */
final class GoneFiles {

  private GoneFiles() {}

  /** Whether {@code failure} could come from a file that is gone: only then are the records looked at. */
  static boolean suspected(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof NoSuchFileException) {
        return true;
      }
    }
    return false;
  }

  /** What of {@code record} is gone ("image samples/a @ 500"), or null when every file it names is there. */
  static String missing(LogRecord record) {
    for (Map.Entry<String, Object> e : record.metrics().entrySet()) {
      if (e.getValue() instanceof Images images) {
        if (anyUnreadable(images)) {
          return "image " + e.getKey() + " @ " + record.step();
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
    for (Image image : images) {
      if (unreadable(image)) {
        return true;
      }
    }
    return false;
  }

  private static boolean unreadable(Image image) {
    try {
      image.bytes();
      return false;
    } catch (UncheckedIOException e) {
      return suspected(e);
    }
  }
}
