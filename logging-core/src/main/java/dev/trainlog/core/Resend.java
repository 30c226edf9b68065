package dev.trainlog.core;

import dev.trainlog.core.internal.journal.Cursor;
import dev.trainlog.core.internal.journal.Journal;
import dev.trainlog.core.internal.journal.JournalReplay;
import dev.trainlog.core.internal.pipeline.BackendChannel;
import dev.trainlog.core.internal.pipeline.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link LogDispatcher#resend}: a directory of kept records handed to one backend's worker as a finite source. */
final class Resend {

  private static final Logger log = LoggerFactory.getLogger(LogDispatcher.class);

  private Resend() {}

  static long into(List<BackendChannel> channels, Path dir, String backendName) throws Exception {
    BackendChannel channel = channels.stream().filter(c -> c.name().equals(backendName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no backend named '" + backendName + "'; backends: "
            + channels.stream().map(BackendChannel::name).toList()));
    for (BackendChannel c : channels) {
      c.releaseDeadLetters(dir);
    }
    Journal source = JournalReplay.open(dir);
    Cursor cursor = source.cursorNames().contains(backendName) ? source.cursor(backendName, source.start()) : null;
    Source resend = Source.resend(source, cursor, s -> {
      try {
        s.journal().deleteAll();
      } catch (IOException e) {
        log.warn("Resent the records of {} but could not delete it: {}", dir, e.toString());
      }
    });
    long count = resend.behindAtStart();
    channel.resend(resend, count);
    return count;
  }
}
