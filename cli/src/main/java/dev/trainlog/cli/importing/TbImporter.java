package dev.trainlog.cli.importing;

import dev.trainlog.tensorboard.read.TbRun;
import dev.trainlog.tensorboard.read.TensorBoardLogDir;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Imports every run of a TensorBoard log directory once: the follower's reading in one pass ({@link
 * TbFollower#pass}), each run through its own dispatcher, its files in name order, each closed with the
 * status its HParams session end gives ({@code FINISHED} when there is none). Sequences come from the file
 * index and record offset, so a second import logs the same record ids.
 */
final class TbImporter {

  /** Records read between two progress updates: {@value}. */
  static final int PROGRESS_EVERY = TbRunReader.CHECK_EVERY;

  private final RunNaming naming;
  private final YamlDispatchers dispatchers;
  private final PassProgress progress;
  private final RunEvents events;
  private final StickyStop stop;

  /** {@code stop} is asked every {@value #PROGRESS_EVERY} events: Ctrl-C or SIGTERM closes the run being read as killed. */
  TbImporter(RunNaming naming, YamlDispatchers dispatchers, PassProgress progress, RunEvents events,
      BooleanSupplier stop) {
    this.stop = new StickyStop(stop);
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
    // nothing is kept between imports: a second one reads every file from its start and logs the same ids
    TbFollower pass = new TbFollower(root, naming, dispatchers, FollowState.inMemory(), Duration.ZERO,
        Clock.systemUTC(), events);
    return pass.pass(runs, stop, progress);
  }

  /** Whether Ctrl-C or SIGTERM cut the import short. */
  boolean stopped() {
    return stop.stopped();
  }
}
