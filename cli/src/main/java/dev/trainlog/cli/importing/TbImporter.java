package dev.trainlog.cli.importing;

import dev.trainlog.api.RunStatus;
import dev.trainlog.tensorboard.read.EventFileReader;
import dev.trainlog.tensorboard.read.TbRecord;
import dev.trainlog.tensorboard.read.TbRun;
import dev.trainlog.tensorboard.read.TensorBoardLogDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Imports every run of a TensorBoard log directory once: each run through its own dispatcher, its
 * files in name order, each closed with the status its HParams session end gives ({@code FINISHED}
 * when there is none). Sequences come from the file index and record offset, so a second import
 * logs the same record ids.
 */
final class TbImporter {

  /** Records read between two progress updates: {@value}. */
  static final int PROGRESS_EVERY = 4096;

  private final RunNaming naming;
  private final YamlDispatchers dispatchers;
  private final ImportProgress progress;
  private final RunEvents events;
  private final BooleanSupplier stop;
  private boolean stopped;

  /** {@code stop} is asked every {@value #PROGRESS_EVERY} events: Ctrl-C or SIGTERM closes the run being read as killed. */
  TbImporter(RunNaming naming, YamlDispatchers dispatchers, ImportProgress progress, RunEvents events,
      BooleanSupplier stop) {
    this.stop = stop;
    this.naming = naming;
    this.dispatchers = dispatchers;
    this.progress = progress;
    this.events = events;
  }

  ImportTotals importAll(Path root) throws IOException {
    List<TbRun> runs = AddHParams.merge(TensorBoardLogDir.scan(root));
    if (runs.isEmpty()) {
      throw new IllegalArgumentException(root + " holds no TensorBoard event files (no file name contains '"
          + TensorBoardLogDir.EVENT_FILE_MARK + "')");
    }
    ImportTotals totals = new ImportTotals();
    for (TbRun run : runs) {
      if (stopped || stop.getAsBoolean()) {
        stopped = true;
        break;
      }
      long started = System.nanoTime();
      ImportTotals one = importRun(run);
      progress.finish(one, (System.nanoTime() - started) / 1e9);
      totals.add(one);
    }
    return totals;
  }

  /** Whether Ctrl-C or SIGTERM cut the import short. */
  boolean stopped() {
    return stopped;
  }

  private ImportTotals importRun(TbRun run) throws IOException {
    long totalBytes = 0;
    for (Path f : run.eventFiles()) {
      totalBytes += Files.size(f);
    }
    progress.start(run.name(), totalBytes);
    ImportTotals t = new ImportTotals();
    t.runs = 1;
    RunSender sender = new RunSender(run.directory(), naming, dispatchers, events);
    sender.presetHparams(HParamsProbe.find(run.eventFiles()));
    long bytesBefore = 0;
    try {
      for (int i = 0; i < run.eventFiles().size() && !stopped; i++) {
        Path file = run.eventFiles().get(i);
        StepGrouper grouper = new StepGrouper(i);
        try (EventFileReader reader = EventFileReader.open(file)) {
          for (TbRecord r; !stopped && (r = reader.next()) != null; ) {
            t.events++;
            sender.observe(file, r);
            if (r.hasValues()) {
              send(sender, file, grouper.add(r), t);
            }
            if (t.events % PROGRESS_EVERY == 0) {
              progress.advance(bytesBefore + reader.position(), t.steps);
              stopped = stop.getAsBoolean();
            }
          }
          send(sender, file, grouper.flush(), t);
          t.scalars += grouper.scalars();
          t.crcErrors += reader.crcErrors();
          t.truncatedTails += reader.truncatedTail() ? 1 : 0;
          reader.skippedKinds().forEach((k, n) -> t.skipped.merge(k, n, Long::sum));
        }
        bytesBefore += Files.size(file);
      }
    } finally {
      if (!sender.isOpen()) {
        t.runsWithoutValues = 1;
      }
      RunStatus status = stopped ? RunStatus.KILLED : sender.endStatus();
      if (!sender.close(status == null ? RunStatus.FINISHED : status, stopped ? TbFollower.STOP_TIMEOUT : null)) {
        t.undeliveredRuns = 1;
      }
    }
    return t;
  }

  private static void send(RunSender sender, Path file, ImportedStep step, ImportTotals t) {
    if (step != null) {
      sender.send(file, step);
      t.steps++;
    }
  }
}
