package dev.trainlog.cli.importing;

import dev.trainlog.api.RunStatus;
import dev.trainlog.tensorboard.internal.read.EventFileReader;
import dev.trainlog.tensorboard.internal.read.TbRecord;
import dev.trainlog.tensorboard.internal.read.TbRun;
import dev.trainlog.tensorboard.internal.read.TensorBoardLogDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Imports every run of a TensorBoard log directory once: each run through its own dispatcher, its
 * files in name order, each closed with the status its HParams session end gives ({@code FINISHED}
 * when there is none). Sequences come from the file index and record offset, so a second import
 * logs the same record ids.
 */
final class TbImporter {

  /** Records read between two progress updates: {@value}. */
  private static final int PROGRESS_EVERY = 4096;

  private final RunNaming naming;
  private final YamlDispatchers dispatchers;
  private final ImportProgress progress;
  private final RunEvents events;

  TbImporter(RunNaming naming, YamlDispatchers dispatchers, ImportProgress progress, RunEvents events) {
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
      long started = System.nanoTime();
      ImportTotals one = importRun(run);
      progress.finish(one, (System.nanoTime() - started) / 1e9);
      totals.add(one);
    }
    return totals;
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
      for (int i = 0; i < run.eventFiles().size(); i++) {
        Path file = run.eventFiles().get(i);
        StepGrouper grouper = new StepGrouper(i);
        try (EventFileReader reader = EventFileReader.open(file)) {
          for (TbRecord r; (r = reader.next()) != null; ) {
            t.events++;
            sender.observe(file, r);
            if (r.hasValues()) {
              send(sender, file, grouper.add(r), t);
            }
            if (t.events % PROGRESS_EVERY == 0) {
              progress.advance(bytesBefore + reader.position(), t.steps);
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
      RunStatus status = sender.endStatus();
      if (!sender.close(status == null ? RunStatus.FINISHED : status)) {
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
