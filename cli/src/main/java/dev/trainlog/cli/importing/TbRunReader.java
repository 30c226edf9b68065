package dev.trainlog.cli.importing;

import dev.trainlog.tensorboard.read.EventFileReader;
import dev.trainlog.tensorboard.read.TbRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TensorBoard run directory being read: its files' readers, where each stands (kept in the
 * {@link FollowState}), its sender, and what it read. A follower keeps it across looks; an import
 * reads it to the end once and closes it.
 */
final class TbRunReader {

  /** Events read between two looks at the stop signal and two progress updates: {@value}. */
  static final int CHECK_EVERY = 4096;

  private static final Logger LOG = LoggerFactory.getLogger(TbRunReader.class);

  final Path directory;
  final RunSender sender;
  /** What this run read: events, steps and scalars as read; damage and skipped kinds as its readers close. */
  final ImportTotals totals = new ImportTotals();
  private final FollowState state;
  private final Map<Path, EventFileReader> readers = new LinkedHashMap<>();
  private final Map<Path, Integer> indexes = new LinkedHashMap<>();
  private final Map<Path, Long> positions = new LinkedHashMap<>();
  /** Where the step a file's reader starts in must be cut, as the state says: consumed by its first read. */
  private final Map<Path, Long> cuts = new LinkedHashMap<>();
  private final SaveAhead saveAhead;
  long lastActivity;
  private boolean probed;

  /** Saves the follower's state before a step is sent that may not be whole, unless it must not be saved now. */
  interface SaveAhead {
    void save() throws IOException;
  }

  TbRunReader(Path directory, RunSender sender, FollowState state, long now, SaveAhead saveAhead) {
    this.directory = directory;
    this.saveAhead = saveAhead;
    this.sender = sender;
    this.state = state;
    this.lastActivity = now;
    totals.runs = 1;
  }

  /**
   * Sends what is new in {@code files}, asking {@code stop} every {@value #CHECK_EVERY} events and stopping when
   * it says so. A file that cannot be read is warned about and tried again at the next look, unless {@code once}
   * (an import), when the error ends the pass.
   */
  void read(List<Path> files, long now, StickyStop stop, PassProgress progress, boolean once) throws IOException {
    sender.noteFiles(files);
    if (!probed) {
      // what is already on disk at first sight may hold its hyperparameters after its first steps
      probed = true;
      sender.presetHparams(HParamsProbe.find(files));
    }
    for (Path file : files) {
      if (stop.stopped()) {
        return;
      }
      try {
        if (readNew(file, stop, progress)) {
          lastActivity = now;
        }
      } catch (IOException e) {
        closeReader(file);
        if (once) {
          throw e;
        }
        LOG.warn("Could not read TensorBoard event file {}: {}; trying again at the next look", file, e.toString());
      }
    }
  }

  /** Sends what is new in {@code file}; true if there was something. */
  private boolean readNew(Path file, StickyStop stop, PassProgress progress) throws IOException {
    EventFileReader reader = readers.get(file);
    if (reader == null) {
      String name = key(file);
      long[] mark = state.mark(directory, name);
      int index = mark != null ? (int) mark[0] : state.nextIndex(directory);
      long position = mark != null ? mark[1] : 0;
      reader = EventFileReader.open(file, position);
      readers.put(file, reader);
      indexes.put(file, index);
      if (mark != null && mark.length > 2) {
        cuts.put(file, mark[2]);
      } else {
        state.put(directory, name, index, position);
      }
    }
    StepGrouper grouper = new StepGrouper(indexes.get(file));
    Long cut = cuts.remove(file);
    if (cut != null) {
      grouper.cutAt(cut);
    }
    boolean any = false;
    for (TbRecord r; !stop.stopped() && (r = reader.next()) != null; ) {
      any = true;
      totals.events++;
      sender.observe(file, r);
      if (r.hasValues()) {
        send(file, grouper.add(r));
      }
      if (totals.events % CHECK_EVERY == 0) {
        positions.put(file, reader.position());
        progress.advance(bytesRead(), totals.steps);
        stop.getAsBoolean();
      }
    }
    // what is there now is sent now, even if the step's next event is still to come; the state saved first says
    // so, so that a follower killed after the send, before the look's save, sends this part again under the same
    // id and the rest of the step under another (the stores take an id once: sent whole under the first id, the
    // rest would be lost)
    long start = grouper.start();
    ImportedStep last = grouper.flush();
    totals.scalars += grouper.scalars();
    positions.put(file, reader.position());
    if (last != null && stop.stopped()) {
      // an import stopped (follow's looks are never stopped) may have cut this step: sent now, the import that reads
      // it again whole would send it under the same id, which the stores take once, keeping only this part
      last = null;
    }
    if (last != null) {
      state.putCut(directory, key(file), indexes.get(file), start, reader.position());
      saveAhead.save();
      send(file, last);
    }
    // sent: the look's save moves past it (unless a dispatcher refused events, when the state stays as saved)
    state.put(directory, key(file), indexes.get(file), reader.position());
    return any;
  }

  /**
   * A file's key in the state: its path under the run directory, since an {@code add_hparams} directory merged
   * into its run may hold a file of the same name as the run's own (tensorboardX names both alike).
   */
  private String key(Path file) {
    return directory.relativize(file).toString();
  }

  private long bytesRead() {
    return positions.values().stream().mapToLong(Long::longValue).sum();
  }

  private void send(Path file, ImportedStep s) {
    if (s != null) {
      sender.send(file, s);
      totals.steps++;
    }
  }

  private void closeReader(Path file) {
    EventFileReader r = readers.remove(file);
    if (r != null) {
      totals.crcErrors += r.crcErrors();
      totals.truncatedTails += r.truncatedTail() ? 1 : 0;
      r.skippedKinds().forEach((k, n) -> totals.skipped.merge(k, n, Long::sum));
      try {
        r.close();
      } catch (IOException e) {
        LOG.debug("Closing {}: {}", file, e.toString());
      }
    }
  }

  /** Lets go of every file, counting what their readers skipped. */
  void closeReaders() {
    for (Path file : new ArrayList<>(readers.keySet())) {
      closeReader(file);
    }
  }
}
