package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.internal.journal.Cursor;
import dev.trainlog.core.internal.journal.Journal;
import dev.trainlog.core.internal.journal.RunHighWater;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journals a dispatcher uses: its own, {@code <journal-dir>/<run-id>-rank<r>}, and those left
 * under the same directory by processes that are gone (their lock is free), which every configured
 * backend that has a cursor in them reads to the end first, under the run identity the records
 * carry. A journal whose holder is alive is never touched.
 */
public final class Journals {

  private static final Logger log = LoggerFactory.getLogger(Journals.class);

  private final Journal own;
  /** The run this dispatcher logs, whose journal {@link #own} is. */
  private final RunInfo run;
  private final List<Orphan> orphans;
  private final Map<String, Cursor> ownCursors = new LinkedHashMap<>();
  /** The backends whose cursor in this run's journal was short of its head at close, as the cursors say. */
  private final List<String> keptFor = new ArrayList<>();
  private boolean keptForTheEnd;

  private Journals(Journal own, List<Orphan> orphans, RunInfo run) {
    this.own = own;
    this.orphans = orphans;
    this.run = run;
  }

  /**
   * Opens this run's journal and adopts the orphans under {@code root}. Fails, naming the holder's
   * PID, when another live dispatcher already logs this run id and rank there.
   */
  public static Journals open(Path root, RunInfo run, int segmentSize, long maxSize) throws IOException {
    Path ownDir = root.resolve(run.runId() + "-rank" + run.rank());
    for (Path p : new Path[] {root, ownDir}) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        throw new NotDirectoryException(p + " is a file, but TrainLog keeps " + (p == root
            ? "its journals in dispatcher.journal-dir" : "the journal of run " + run.runId() + " rank " + run.rank())
            + " there: move the file away or set dispatcher.journal-dir to another directory");
      }
    }
    Journal own = Journal.tryOpen(ownDir, segmentSize, maxSize);
    if (own == null) {
      throw new IllegalStateException("the TrainLog journal " + ownDir + " is in use by process "
          + Journal.holderOf(ownDir) + ": a dispatcher of run " + run.runId() + " rank " + run.rank()
          + " is already running. Give this process its own run id (TRAINLOG_RUN_ID) or rank, or stop the other");
    }
    RunHighWater.of(ownDir).applyTo(own);
    try {
      // running until close says how it ended (a run resumed with its id: an earlier process's end no longer holds)
      RunEndFile.begin(ownDir, run);
    } catch (IOException full) {
      try {
        RunEndFile.clear(ownDir); // at least no earlier end: a close that cannot write one leaves the run killed
      } catch (IOException e) {
        own.close();
        throw e;
      }
    }
    own.reserveAhead();
    List<Orphan> orphans = new ArrayList<>();
    try {
      for (Path dir : Journal.journalsUnder(root)) {
        if (dir.toAbsolutePath().normalize().equals(ownDir.toAbsolutePath().normalize())) {
          continue;
        }
        Journal j = openOrphan(dir, segmentSize);
        if (j != null) {
          RunHighWater.of(dir).applyTo(j);
          orphans.add(new Orphan(j, j.cursorNames(), RunEndFile.read(dir)));
        }
      }
    } catch (IOException | RuntimeException e) {
      for (Orphan o : orphans) {
        o.journal.close();
      }
      own.close();
      throw e;
    }
    return new Journals(own, orphans, run);
  }

  /** A journal left under the same root, or null when it is in use or cannot be opened (warned, never fatal). */
  private static Journal openOrphan(Path dir, int segmentSize) {
    try {
      return Journal.tryOpenLeft(dir, segmentSize);
    } catch (java.nio.file.NoSuchFileException e) {
      return null; // delivered and deleted by its own process between the listing and now
    } catch (IOException | RuntimeException e) {
      log.warn("TrainLog skips the journal {} left by an earlier process: it cannot be opened ({}); its records stay"
          + " there for a later dispatcher or `trainlog resend {}` once it can be read and written", dir, e.toString(),
          dir);
      return null;
    }
  }

  public Journal own() {
    return own;
  }

  /**
   * The sources backend {@code name} reads, in order: the orphans it has a cursor in (all of them
   * when an orphan has no cursor at all), then the live journal from its cursor.
   */
  public List<Source> sourcesFor(String name, boolean blockWhenFull) throws IOException {
    List<Source> sources = new ArrayList<>();
    for (Orphan o : orphans) {
      if (o.cursorNames.isEmpty() || o.cursorNames.contains(name)) {
        Cursor c = o.journal.cursor(name, o.journal.start());
        o.journal.subscribe(c, false);
        o.readers++;
        sources.add(Source.orphan(o.journal, c, o.end, s -> o.finishedBy()));
      }
    }
    // a backend new to this journal starts at its head; one whose cursor was lost, at its oldest record
    Cursor live = own.cursor(name, own.head());
    own.subscribe(live, blockWhenFull);
    ownCursors.put(name, live);
    sources.add(Source.live(own, live, !blockWhenFull));
    return sources;
  }

  /** Records the sources of {@code name} hold beyond what this process appends, for stats and the start line. */
  public long recordsBehind(List<Source> sources) {
    long n = 0;
    for (Source s : sources) {
      n += s.behindAtStart();
    }
    return n;
  }

  /**
   * Cursors in the journals that no backend configured here reads: they keep their records for a
   * later dispatcher or a resend. Subscribed so that segment deletion respects them.
   */
  public void holdForeignCursors() throws IOException {
    List<Journal> all = new ArrayList<>();
    all.add(own);
    orphans.forEach(o -> all.add(o.journal));
    for (Journal j : all) {
      for (String n : j.cursorNames()) {
        if (!ownCursors.containsKey(n)) {
          j.subscribe(j.cursor(n, j.start()), false);
        }
      }
    }
    for (Orphan o : orphans) {
      if (o.readers == 0) {
        o.finish(); // nothing of ours reads it: let go of it at once
      }
    }
  }

  /**
   * Keeps how the run ended in its journal, before the backends close: if records stay behind, the process
   * that delivers them tells the backends, which would otherwise take the run for killed ({@link RunEndFile}).
   */
  public void recordEnd(dev.trainlog.api.RunStatus status, long endTimeMillis) {
    try {
      RunEndFile.write(own.directory(), status, endTimeMillis, run);
    } catch (IOException | RuntimeException e) {
      log.warn("Could not keep how run {} ended in its journal {} ({}); if records stay behind, the process that"
          + " delivers them takes the run for killed", own.directory().getFileName(), own.directory(), e.toString());
    }
  }

  /** One INFO line when there was anything to resume; empty otherwise. */
  public String resumeSummary(Map<String, List<Source>> sourcesByBackend) {
    StringJoiner parts = new StringJoiner("; ");
    List<Journal> all = new ArrayList<>();
    orphans.forEach(o -> all.add(o.journal));
    all.add(own);
    for (Journal j : all) {
      StringJoiner behind = new StringJoiner(", ");
      long total = 0;
      for (Map.Entry<String, List<Source>> e : sourcesByBackend.entrySet()) {
        for (Source s : e.getValue()) {
          if (s.journal() == j) {
            long n = s.behindAtStart();
            total += n;
            behind.add(e.getKey() + " " + n);
          }
        }
      }
      if (total > 0) {
        parts.add(j.directory() + " (" + behind + " record(s) behind)");
      }
    }
    return parts.length() == 0 ? "" : parts.toString();
  }

  /**
   * Lets go of every journal. This run's journal is deleted when everything in it is delivered to
   * every cursor it holds; otherwise it stays, and the returned text says where and how much.
   */
  public String close(boolean everythingDelivered) {
    return close(everythingDelivered, false);
  }

  /**
   * As {@link #close(boolean)}; with {@code endNotRecorded} (a backend's close did not return) a journal with
   * everything delivered is kept too, holding only the run's end ({@link #recordEnd}): the next dispatcher on the
   * same journal-dir adopts it, tells its backends how the run ended, and deletes it. {@link #keptForTheEnd} says so.
   */
  public String close(boolean everythingDelivered, boolean endNotRecorded) {
    for (Orphan o : orphans) {
      o.release();
    }
    RunHighWater.of(own.directory()).save(own);
    try {
      long behind = 0;
      for (String n : own.cursorNames()) {
        long of = own.recordsFrom(own.cursor(n, own.head()).position());
        if (of > 0) {
          keptFor.add(n);
        }
        behind += of;
      }
      if (everythingDelivered && behind == 0) {
        if (endNotRecorded) {
          own.close();
          keptForTheEnd = true;
        } else {
          own.deleteAll();
        }
        return "";
      }
      own.close();
      return behind + " record(s) not delivered are kept in " + own.directory();
    } catch (IOException | RuntimeException e) {
      log.warn("Could not close the TrainLog journal {}: {}", own.directory(), e.toString());
      return "the journal " + own.directory() + " is kept";
    }
  }

  /** After {@link #close}: whether the journal, every record delivered, is kept for the run's end alone. */
  public boolean keptForTheEnd() {
    return keptForTheEnd;
  }

  /** After {@link #close}: the backends that have records kept in this run's journal (their cursors say so). */
  public List<String> keptFor() {
    return List.copyOf(keptFor);
  }

  /** A journal left by a process that is gone, read by some of this dispatcher's backends. */
  private static final class Orphan {
    final Journal journal;
    final List<String> cursorNames;
    /** How its process closed the run, or null: killed. */
    final RunEndFile.End end;
    int readers;
    private boolean released;

    Orphan(Journal journal, List<String> cursorNames, RunEndFile.End end) {
      this.journal = journal;
      this.cursorNames = cursorNames;
      this.end = end;
    }

    synchronized void finishedBy() {
      if (--readers <= 0) {
        finish();
      }
    }

    /** Deleted when every cursor in it (ours and any other backend's) reached its end, else let go of. */
    synchronized void finish() {
      if (released) {
        return;
      }
      try {
        long behind = 0;
        for (String n : journal.cursorNames()) {
          behind += journal.recordsFrom(journal.cursor(n, journal.start()).position());
        }
        if (behind == 0) {
          RunHighWater.of(journal.directory()).save(journal);
          journal.deleteAll();
          log.info("TrainLog: the journal {} left by an earlier process is delivered and deleted", journal.directory());
        } else {
          journal.close();
          log.info("TrainLog: the journal {} keeps {} record(s) for backends not configured here", journal.directory(),
              behind);
        }
      } catch (IOException | RuntimeException e) {
        log.warn("Could not let go of the TrainLog journal {}: {}", journal.directory(), e.toString());
      }
      released = true;
    }

    synchronized void release() {
      if (!released) {
        released = true;
        try {
          journal.close();
        } catch (IOException e) {
          log.warn("Could not close the TrainLog journal {}: {}", journal.directory(), e.toString());
        }
      }
    }
  }
}
