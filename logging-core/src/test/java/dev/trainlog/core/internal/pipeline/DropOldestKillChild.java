package dev.trainlog.core.internal.pipeline;

import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The training process of {@link DropOldestTest}'s kill: one backend whose first write never returns, a journal
 * of three 8 KiB segments that drops the oldest, 3,000 steps logged past it; then it prints what its backend
 * dropped and waits to be killed. Argument: the directory for the journal and the dead letters.
 */
public final class DropOldestKillChild {

  static final String LOGGED = "LOGGED";

  private DropOldestKillChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    CountDownLatch tried = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    LogDispatcher d = LogDispatcher.builder(TestRecords.run("exp", "run"))
        .backend("hung", batch -> {
          tried.countDown();
          never.await(); // a server that took the connection and never answers
        }, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(20)))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead"))
        .journalSegmentSize(8192).journalLimit(3 * 8192, OnFull.DROP_OLDEST)
        .shutdownHook(false).build();
    d.log(0, Map.of("loss", 1.0));
    tried.await(); // the worker holds step 0 in its batch
    for (long s = 1; s < 3000; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    System.out.println(LOGGED + " dropped=" + d.stats().backends().get("hung").dropped());
    System.out.flush();
    never.await();
  }
}
