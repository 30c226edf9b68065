package dev.trainlog.core.pipeline;

import dev.trainlog.api.LogRecord;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a channel still holds in memory when its worker stops (at close, or left behind after the
 * close deadline), written to its spool so that the next dispatcher with the same spool directory
 * resends it first, in the order it was logged.
 */
final class Leftovers {

  private static final Logger log = LoggerFactory.getLogger(ChannelWorker.class);

  private Leftovers() {}

  /**
   * Puts {@code inflight} (the batch the backend had not taken) at the head of the spool and each
   * queued record where the spool's markers say it belongs, empties the queue, then closes the spool
   * and the dead-letter directory, whatever failed before. Caller holds the channel's lock.
   */
  static void save(Channel ch, List<LogRecord> inflight) {
    try {
      List<LogRecord> head = new ArrayList<>(inflight);
      List<LogRecord> slice = head;
      long position = 0;
      long index = ch.dequeued;
      Iterator<Channel.Marker> markers = ch.markers.iterator();
      Channel.Marker next = markers.hasNext() ? markers.next() : null;
      for (LogRecord r : ch.queue) {
        while (next != null && next.queueIndex() <= index) {
          if (slice != head && !slice.isEmpty()) {
            ch.spool.insertAfter(position, slice);
          }
          slice = new ArrayList<>();
          position = next.position();
          next = markers.hasNext() ? markers.next() : null;
        }
        slice.add(r);
        index++;
      }
      if (slice != head && !slice.isEmpty()) {
        ch.spool.insertAfter(position, slice);
      }
      ch.spool.prepend(head);
      ch.queue.clear();
      long pending = ch.spool.pending();
      if (pending > 0) {
        log.warn("Backend '{}': {} record(s) were not delivered and are kept in {}; a dispatcher started with the"
            + " same spool-dir resends them, or call SpoolReplay.resend(dir, backend)", ch.name, pending,
            ch.spool.directory());
      }
    } catch (Exception e) {
      log.error("Backend '{}': could not save undelivered records to {}: {}", ch.name, ch.spool.directory(),
          e.toString());
    } finally {
      // whatever failed above, the directories are let go of, for the next dispatcher
      closeQuietly(ch, ch.spool, ch.spool.directory());
      closeQuietly(ch, ch.deadLetters, ch.deadLetters.directory());
      ch.spaceAvailable.signalAll();
    }
  }

  private static void closeQuietly(Channel ch, Closeable c, Path dir) {
    try {
      c.close();
    } catch (Exception e) {
      log.warn("Backend '{}': could not close {}: {}", ch.name, dir, e.toString());
    }
  }
}
