package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.Secrets;
import dev.trainlog.core.internal.journal.HeaderCheck;
import dev.trainlog.core.internal.journal.JournalTailer;
import dev.trainlog.core.internal.journal.UndecodableRecordException;
import dev.trainlog.core.spec.ChannelSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that reads the journal for one backend and talks to it: it takes records from its
 * sources' tailers, applies the sampler, batches, writes with retries and the write timeout ({@link
 * BackendCalls}) and moves the cursor once a batch is written. It owns all of that state and
 * publishes what others may read as one {@link Progress} snapshot.
 */
final class BackendWorker implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(BackendChannel.class);

  /**
   * What the worker read, sampled out and holds, published at once: read by any thread. {@code closed}: the
   * backend's close returned, so the run's end status reached its store.
   */
  record Progress(long accepted, long sampledOut, int queued, long undecodable, long written, long retried,
      long failed, boolean deliveredAll, boolean closed) {}

  private final String name;
  private final ChannelSettings settings;
  private final Clock clock;
  private final DeadLetters deadLetters;
  private final ReaderRequests requests;
  private final GuardedGate gate;
  /** The sampler asked about each record's header first, so a record it skips from that is never made. */
  private final HeaderCheck headerCheck;
  final Sources sources;
  private final BackendCalls calls;
  private final List<LogRecord> batch = new ArrayList<>();
  /** For each record in {@link #batch}, the tailer it came from and the journal position after it. */
  private final List<JournalTailer> batchTailers = new ArrayList<>();
  private long[] batchEnds = new long[64];
  /** The tailers that hold files for records in {@link #batch} ({@link JournalTailer#holdFiles}). */
  private final java.util.Set<JournalTailer> holding =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /** Whether the worker stopped inside a write of {@link #batch} ({@link BackendCalls#unwrittenAtAbort}). */
  private boolean writeAborted;
  /**
   * The journal position after the first record the sampler folded into what it holds now; -1 when it holds
   * nothing. Once the journal gives that record's place up, the next process cannot fold it again.
   */
  private long windowFirstEnd = -1;
  private long batchSince;
  private long lastBackendFlush;
  private long accepted;
  private long sampledOut;
  private long undecodable;
  private boolean deliveredAll;
  private boolean closed;
  private volatile Progress progress = new Progress(0, 0, 0, 0, 0, 0, 0, false, false);

  BackendWorker(String name, BackendCalls calls, Gate gate, List<Source> sources, ChannelSettings settings,
      DeadLetters deadLetters, ReaderRequests requests, Clock clock) {
    this.name = name;
    this.calls = calls;
    this.settings = settings;
    this.clock = clock;
    this.deadLetters = deadLetters;
    this.requests = requests;
    this.gate = new GuardedGate(name, gate);
    this.headerCheck = this.gate::decide;
    this.sources = new Sources(sources);
    calls.onCounted(this::publish);
  }

  /** From any thread: the last snapshot the worker published. */
  Progress progress() {
    return progress;
  }

  private void publish() {
    progress = new Progress(accepted, sampledOut, batch.size(), undecodable, calls.written(), calls.retried(),
        calls.failed(), deliveredAll, closed);
  }

  @Override
  public void run() {
    WorkerPriority.lowerCurrentThread(name); // the training thread first, where they share cores
    lastBackendFlush = clock.millis();
    try {
      while (true) {
        try {
          if (calls.open()) {
            loop();
          }
          return;
        } catch (RuntimeException | Error e) {
          // a fault of this loop, not of the backend: what was read is read again after a pause
          log.error("Backend '{}': its reader failed unexpectedly ({}); going on after a pause", name,
              Secrets.redactText(e.toString()));
          if (!calls.pauseAfterFault()) {
            return;
          }
        }
      }
    } finally {
      finish();
    }
  }

  private void loop() {
    long interval = settings.flushInterval().toMillis();
    while (!requests.aborted()) {
      // whether this round's read begins after close asked to stop: one that began before may miss the last records
      boolean stopSeen = requests.stopping();
      Source src = sources.next();
      boolean full = fill(src);
      if (full) {
        if (!deliver(src)) {
          return;
        }
        answerFlush(src);
        continue;
      }
      if (!src.live) {
        if (!finishSource(src)) {
          return;
        }
        continue;
      }
      boolean flushWanted = requests.flushWanted();
      long now = clock.millis();
      if (!batch.isEmpty()) {
        if (flushWanted || requests.stopping() || now - batchSince >= interval) {
          if (!deliver(src)) {
            return;
          }
          answerFlush(src);
          continue;
        }
        requests.await(batchSince + interval);
        continue;
      }
      src.tailer.persist();
      if (requests.stopping()) {
        if (!stopSeen) {
          continue; // close asked after this round's read found nothing: what was logged before it is read first
        }
        stop(src);
        return;
      }
      if (flushWanted) {
        flushBackend();
        requests.flushed(src.tailer.position());
        continue;
      }
      if (now - lastBackendFlush >= interval) {
        flushBackend();
      }
      requests.await(now + interval);
    }
  }

  /**
   * Right after a write, the batch empty: a flush that asked for no more than what the live journal is read to is
   * answered. Left to a read that finds nothing new, it waited while every read found something (records logged
   * during each write).
   */
  private void answerFlush(Source src) {
    if (src.live && requests.flushWantedUpTo(src.tailer.position())) {
      flushBackend();
      requests.flushed(src.tailer.position());
    }
  }

  /** Whether everything up to {@code head} of the live journal, and every finite source before it, is written. */
  boolean flushedTo(long head) {
    return requests.flushedUpTo() >= head && sources.onLive();
  }

  /** Reads until a batch is full (true) or the source has nothing more now (false). */
  private boolean fill(Source src) {
    JournalTailer tailer = src.tailer;
    try {
      while (batch.size() < settings.batchSize()) {
        long skippedBefore = tailer.skippedByHeader();
        LogRecord r = src.sampled ? tailer.next(headerCheck) : tailer.next();
        long skipped = tailer.skippedByHeader() - skippedBefore;
        if (skipped > 0) {
          accepted += skipped;
          sampledOut += skipped;
        }
        if (r == null) {
          if (skipped > 0 && !gate.holdsPending()) {
            tailer.markSafe(); // only skipped records since the last mark
          }
          return false;
        }
        accepted++;
        if (src.end != null) {
          src.lastRun = r.run(); // whose end to tell the backend once the journal is delivered
        }
        LogRecord kept;
        try {
          boolean decided = src.sampled && tailer.decision() == HeaderCheck.KEEP;
          kept = JournalTailer.decoded(src.sampled && !decided ? gate.offer(r, tailer.flags()) : r);
        } catch (UndecodableRecordException e) {
          undecodable++; // counted with what this backend never gets (stats().dropped())
          log.warn("Backend '{}': record {} in {} does not decode ({}); it is skipped{}", name, r.id(),
              tailer.directory(), e.getMessage(), keepUndecodable(r, e));
          continue;
        }
        if (kept == null) {
          sampledOut++;
        } else {
          if (batch.isEmpty()) {
            batchSince = clock.millis();
          }
          add(kept, tailer);
          if (tailer.holdFiles(kept)) {
            holding.add(tailer);
          }
        }
        if (!src.sampled || !gate.holdsPending()) {
          tailer.markSafe();
          windowFirstEnd = -1;
        } else if (windowFirstEnd < 0) {
          windowFirstEnd = tailer.position();
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      publish();
    }
  }

  /** Keeps an undecodable record's bytes with the dead letters; says where, for the warning. */
  private String keepUndecodable(LogRecord r, UndecodableRecordException e) {
    try {
      Path file = deadLetters.addUndecodable(r.id(), e.payload(), e.getMessage(), Instant.ofEpochMilli(clock.millis()));
      return file == null ? "" : " and its bytes kept in " + file;
    } catch (IOException | RuntimeException io) {
      return " (its bytes could not be kept: " + io + ")";
    }
  }

  /** A finished finite source: its sampler remainder is written, its cursor moved to its end. */
  private boolean finishSource(Source src) {
    if (!deliverToEnd(src, src.sampled ? src.tailer.reserveSequence() : -1)) {
      return false;
    }
    src.tailer.endOfJournal();
    if (src.end != null) { // the run of its records, else (none read here) the identity its end kept
      calls.otherRunEnded(src.lastRun != null ? src.lastRun : src.end.run(), src.end.status(),
          src.end.endTimeMillis());
    }
    sources.finished();
    try {
      src.done.delivered(src);
    } catch (RuntimeException e) {
      log.warn("Backend '{}': could not let go of {}: {}", name, src.tailer.directory(), e.toString());
    }
    return true;
  }

  /** At close, with the live journal read to its head: the remainder, a flush, the backend closed. */
  private void stop(Source src) {
    if (deliverToEnd(src, requests.closeSequence())) {
      flushBackend();
      requests.flushed(src.tailer.position());
      deliveredAll = true;
      publish();
    }
  }

  /**
   * Writes what is batched and what the sampler still folds (numbered {@code sequence}; none when
   * negative), then moves the cursor to where the source was read to; false when aborted.
   */
  private boolean deliverToEnd(Source src, long sequence) {
    LogRecord rest = sequence < 0 ? null : gate.drain(sequence);
    windowFirstEnd = -1;
    if (rest != null) {
      add(rest, src.tailer);
    }
    if (!batch.isEmpty() && !deliver(src)) {
      return false;
    }
    src.tailer.markSafe();
    src.tailer.persist();
    return true;
  }

  /** Writes the batch (with retries, see {@link BackendCalls#write}) and persists the cursor; false when aborted. */
  private boolean deliver(Source src) {
    if (!calls.write(new ArrayList<>(batch))) {
      writeAborted = true;
      return false;
    }
    clearBatch();
    letGoOfFiles();
    publish();
    src.tailer.persist();
    return true;
  }

  private void flushBackend() {
    lastBackendFlush = clock.millis();
    calls.flush();
  }

  private void add(LogRecord record, JournalTailer from) {
    if (batch.size() == batchEnds.length) {
      batchEnds = java.util.Arrays.copyOf(batchEnds, batchEnds.length * 2);
    }
    batchEnds[batch.size()] = from.position();
    batch.add(record);
    batchTailers.add(from);
  }

  private void clearBatch() {
    batch.clear();
    batchTailers.clear();
  }

  /**
   * At an abort, the records still held unwritten whose place the journal gave up meanwhile (drop-oldest moved the
   * cursor past them): the next process cannot read them again, so they are kept as dead letters, with their files
   * (still held). So is what the sampler still folds once the first record it folded is given up: as one record
   * numbered as a close would have written it. The others the next process reads again from the cursor; those of
   * the batch a partly successful write took, or kept as dead letters already, are left out.
   */
  private void keepWhatTheJournalGaveUp() {
    java.util.Set<LogRecord> unwritten = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    unwritten.addAll(writeAborted ? calls.unwrittenAtAbort() : batch);
    List<LogRecord> givenUp = new ArrayList<>();
    java.util.Set<JournalTailer> tailers = new java.util.HashSet<>(batchTailers);
    for (int i = 0; i < batch.size(); i++) {
      if (unwritten.contains(batch.get(i)) && batchTailers.get(i).gaveUpTo(batchEnds[i])) {
        givenUp.add(batch.get(i));
      }
    }
    Source src = sources.current();
    if (windowFirstEnd >= 0 && src != null && gate.holdsPending() && src.tailer.gaveUpTo(windowFirstEnd)) {
      LogRecord window = gate.drain(requests.closeSequence());
      if (window != null) {
        givenUp.add(window);
      }
      tailers.add(src.tailer);
    }
    if (!givenUp.isEmpty()) {
      calls.keepGivenUp(givenUp);
    }
    tailers.forEach(JournalTailer::keptWhatWasGivenUp); // no note left for the next process
  }

  private void letGoOfFiles() {
    holding.forEach(JournalTailer::letGoOfFiles);
    holding.clear();
  }

  private void finish() {
    keepWhatTheJournalGaveUp();
    letGoOfFiles();
    sources.reportDrops();
    closed = calls.close(requests.status(), requests::aborted);
    publish();
    calls.releaseDeadLetters();
    requests.wake();
  }
}
