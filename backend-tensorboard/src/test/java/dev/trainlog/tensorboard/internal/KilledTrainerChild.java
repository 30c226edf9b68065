package dev.trainlog.tensorboard.internal;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * The training process {@link KilledRunSessionEndTest} kills: run {@code args[2]} of experiment "sd-lora", named
 * "lora-r64", logs steps 0 to {@code args[3]} into the TensorBoard backend on log dir {@code args[0]} with journal
 * dir {@code args[1]}. That backend's worker writes the steps before {@code args[4]} and then hangs, so the rest
 * stays in the journal; the process prints "stuck" and "logged" and waits to be killed.
 */
public final class KilledTrainerChild {

  private KilledTrainerChild() {}

  public static void main(String[] args) throws InterruptedException {
    Path logDir = Path.of(args[0]);
    Path journal = Path.of(args[1]);
    long steps = Long.parseLong(args[3]);
    long hangFrom = Long.parseLong(args[4]);
    var run = TestRecords.run("sd-lora", "lora-r64").toBuilder().runId(args[2]).build();
    CountDownLatch stuck = new CountDownLatch(1);
    LogBackend hangs = new HangingBackend(Fixtures.backend(logDir, run), hangFrom, stuck);
    LogDispatcher d = LogDispatcher.builder(run)
        .backend("tb", hangs, SampleSpec.always(), ChannelSettings.defaults())
        .journalDir(journal).deadLetterDir(journal.resolveSibling("dead")).shutdownHook(false).build();
    for (long s = 0; s < steps; s++) {
      d.log(s, Map.of("loss", 1000.0 + s));
    }
    stuck.await();
    System.out.println("stuck");
    System.out.println("logged " + steps);
    System.out.flush();
    while (true) {
      LockSupport.park(); // until SIGKILL
    }
  }

  /** Writes the records before step {@code hangFrom}, then never returns: the kill finds them journaled, not written. */
  private record HangingBackend(TensorBoardBackend tb, long hangFrom, CountDownLatch stuck) implements LogBackend {

    @Override
    public void open() throws Exception {
      tb.open();
    }

    @Override
    public void write(List<LogRecord> batch) throws Exception {
      List<LogRecord> before = batch.stream().filter(r -> r.step() < hangFrom).toList();
      if (!before.isEmpty()) {
        tb.write(before);
      }
      if (before.size() < batch.size()) {
        stuck.countDown();
        while (true) {
          LockSupport.park();
        }
      }
    }

    @Override
    public void close(RunStatus status) throws Exception {
      tb.close(status);
    }
  }
}
