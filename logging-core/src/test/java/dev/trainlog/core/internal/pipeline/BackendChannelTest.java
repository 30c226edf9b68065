package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.GatedBackends;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.journal.JournalReplay;
import dev.trainlog.core.spec.BackendStats;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendChannelTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "run");
  private LogDispatcher dispatcher;

  private static final ChannelSettings FAST = ChannelSettings.defaults()
      .withFlushInterval(Duration.ofMillis(20))
      .withRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

  private LogDispatcher dispatcher(RecordingBackend backend, ChannelSettings settings) {
    dispatcher = LogDispatcher.builder(run)
        .backend("rec", backend, SampleSpec.always(), settings)
        .journalDir(dir.resolve("journal"))
        .deadLetterDir(dir.resolve("dead"))
        .shutdownHook(false)
        .build();
    return dispatcher;
  }

  @AfterEach
  void closeDispatcher() {
    if (dispatcher != null) {
      dispatcher.close(RunStatus.FINISHED, Duration.ofSeconds(5));
    }
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().collect(Collectors.toList());
  }

  private static void logSteps(LogDispatcher d, long from, long to) {
    for (long s = from; s < to; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
  }

  @Test
  void aBackendFailingForAWhileGetsEveryRecordExactlyOnceInOrder() {
    RecordingBackend backend = new RecordingBackend();
    backend.failNextWrites.set(7);
    LogDispatcher d = dispatcher(backend, FAST.withBatchSize(50));

    logSteps(d, 0, 1000);

    assertThat(d.flush(Duration.ofSeconds(20))).isTrue();
    assertThat(backend.steps()).containsExactlyElementsOf(range(0, 1000));
    assertThat(backend.failedWrites.get()).isEqualTo(7);
    assertThat(d.stats().backends().get("rec").retried()).isEqualTo(7);
    assertThat(d.stats().backends().get("rec").written()).isEqualTo(1000);
  }

  @Test
  void aHungBackendNeverMakesLogWaitAndLosesNothing() {
    RecordingBackend backend = new RecordingBackend();
    backend.writeGate = new CountDownLatch(1); // the backend hangs until released
    LogDispatcher d = dispatcher(backend, FAST.withBatchSize(20));

    logSteps(d, 0, 20_000); // returns although the backend has taken nothing: log() does not wait

    BackendStats during = d.stats().backends().get("rec");
    assertThat(during.pending()).isGreaterThan(19_000);
    assertThat(during.behindBytes()).isPositive();
    assertThat(during.dropped()).isZero();
    backend.writeGate.countDown();
    assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
    assertThat(backend.steps()).containsExactlyElementsOf(range(0, 20_000));
    assertThat(d.stats().backends().get("rec").pending()).isZero();
  }

  @Test
  void whatATimedOutCloseLeftIsDeliveredFirstAndInOrderByTheNextDispatcherOfTheRun() {
    RecordingBackend first = new RecordingBackend();
    first.permits = new java.util.concurrent.Semaphore(0);
    LogDispatcher d1 = dispatcher(first, FAST.withBatchSize(5));
    logSteps(d1, 0, 20);
    await().atMost(Duration.ofSeconds(10)).until(() -> first.permits.hasQueuedThreads());
    first.permits.release();
    await().atMost(Duration.ofSeconds(10)).until(() -> first.stored.size() == 5);
    logSteps(d1, 20, 25);
    first.down = true;
    first.permits.release(1_000_000);
    assertThat(d1.close(RunStatus.FINISHED, Duration.ofMillis(300))).isFalse();

    RecordingBackend second = new RecordingBackend();
    LogDispatcher d2 = dispatcher(second, FAST);
    logSteps(d2, 25, 30);

    assertThat(d2.flush(Duration.ofSeconds(20))).isTrue();
    assertThat(second.steps()).containsExactlyElementsOf(range(5, 30));
    assertThat(second.stored.get(20).sequence())
        .as("the sequence goes on after the 25 records and the one the first close reserved").isEqualTo(26);
  }

  @Test
  void aBackendThatLagsPastMaxSizeDropsTheOldestSegmentsWhileTheOthersGetEverything() {
    RecordingBackend down = new RecordingBackend();
    down.down = true;
    RecordingBackend up = new RecordingBackend();
    dispatcher = LogDispatcher.builder(run)
        .backend("down", down, SampleSpec.always(), FAST)
        .backend("up", up, SampleSpec.always(), FAST.withOnFull(OnFull.BLOCK)) // it keeps up, or log() waits for it
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead"))
        .journalSegmentSize(8192).journalLimit(3 * 8192, OnFull.DROP_OLDEST)
        .shutdownHook(false).build();

    logSteps(dispatcher, 0, 3000); // about 50 bytes a record: some 20 segments of 8 KiB

    await().atMost(Duration.ofSeconds(20)).until(() -> up.stored.size() == 3000);
    assertThat(up.steps()).containsExactlyElementsOf(range(0, 3000));
    down.down = false;
    assertThat(dispatcher.flush(Duration.ofSeconds(20))).isTrue();
    BackendStats s = dispatcher.stats().backends().get("down");
    assertThat(s.dropped()).isGreaterThan(2000);
    assertThat(s.written() + s.dropped()).as("every record is delivered or counted as dropped").isEqualTo(3000);
    List<Long> got = down.steps();
    assertThat(got).as("what it kept is the newest, in order").isSorted().endsWith(2999L);
    assertThat(dispatcher.stats().backends().get("up").dropped()).isZero();
  }

  @Test
  void aBlockingBackendMakesLogWaitAtMaxSizeAndLosesNothing() throws Exception {
    RecordingBackend backend = new RecordingBackend();
    backend.openGate = new CountDownLatch(1);
    LogDispatcher d = LogDispatcher.builder(run)
        .backend("rec", backend, SampleSpec.always(), FAST.withOnFull(OnFull.BLOCK))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead"))
        .journalSegmentSize(8192).journalLimit(2 * 8192, OnFull.DROP_OLDEST)
        .shutdownHook(false).build();
    dispatcher = d;
    Thread trainer = new Thread(() -> logSteps(d, 0, 2000));
    trainer.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> trainer.getState() == Thread.State.TIMED_WAITING);
    assertThat(d.stats().logged()).isLessThan(2000);
    backend.openGate.countDown();
    trainer.join(20_000);

    assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(backend.steps()).containsExactlyElementsOf(range(0, 2000));
    assertThat(d.stats().backends().get("rec").dropped()).isZero();
  }

  @Test
  void errorsThrownByTheBackendAreRetriedAndNeverLeaveACallerWaitingForRoom() {
    RecordingBackend backend = new RecordingBackend();
    backend.openErrors.set(2);
    backend.writeErrors.set(3);
    backend.failNextWrites.set(2);
    backend.retryCheckThrows = true;
    LogDispatcher d = dispatcher(backend, FAST.withBatchSize(5).withOnFull(OnFull.BLOCK));
    AtomicBoolean trained = new AtomicBoolean();
    Thread trainer = new Thread(() -> {
      logSteps(d, 0, 60);
      trained.set(true);
    });
    trainer.setDaemon(true);
    trainer.start();

    // a worker that died on the first Error would leave the trainer blocked on the full queue for good
    await().atMost(Duration.ofSeconds(20)).untilTrue(trained);
    assertThat(d.flush(Duration.ofSeconds(20))).isTrue();
    assertThat(backend.steps()).containsExactlyElementsOf(range(0, 60));
    assertThat(backend.failedWrites.get()).isEqualTo(5);
    assertThat(d.stats().backends().get("rec").dropped()).isZero();
  }

  @Test
  void closeWithAHungBackendReturnsByItsDeadlineAndKeepsEverythingForTheNextDispatcher() throws Exception {
    RecordingBackend hung = new RecordingBackend();
    hung.permits = new java.util.concurrent.Semaphore(0);
    dispatcher = GatedBackends.add(LogDispatcher.builder(run), "rec", hung, new LogRecordGate(), FAST.withBatchSize(5))
        .journalDir(dir.resolve("journal"))
        .deadLetterDir(dir.resolve("dead"))
        .shutdownHook(false)
        .build();
    LogDispatcher d = dispatcher;
    logSteps(d, 0, 5);
    await().atMost(Duration.ofSeconds(10)).until(() -> hung.permits.hasQueuedThreads()); // 0-4 in the hung write
    logSteps(d, 5, 10);

    AtomicBoolean closed = new AtomicBoolean();
    AtomicBoolean delivered = new AtomicBoolean(true);
    Thread closer = new Thread(() -> {
      delivered.set(d.close(RunStatus.FINISHED, Duration.ofMillis(200)));
      closed.set(true);
    });
    closer.setDaemon(true);
    closer.start();

    await().atMost(Duration.ofSeconds(20)).untilTrue(closed);
    assertThat(delivered.get()).isFalse();
    // the abandoned worker is interrupted out of its hung write and ends without writing anything
    await().atMost(Duration.ofSeconds(20)).until(() -> !hung.writer.isAlive());
    assertThat(hung.stored).isEmpty();

    RecordingBackend next = new RecordingBackend();
    LogDispatcher d2 = dispatcher(next, FAST);
    assertThat(d2.flush(Duration.ofSeconds(20))).isTrue();
    assertThat(next.steps()).as("everything logged, in order").containsExactlyElementsOf(range(0, 10));
  }

  @Test
  void aSamplerThatThrowsNeverReachesTheTrainingLoopAndTheRecordsItFailsOnAreKept() {
    RecordingBackend backend = new RecordingBackend();
    Gate broken = new Gate() {
      @Override
      public LogRecord offer(LogRecord record) {
        if (record.step() % 2 == 1) {
          throw new IllegalStateException("sampler bug on odd steps");
        }
        return record.step() % 4 == 0 ? record : null;
      }

      @Override
      public LogRecord drainPending(long sequence) {
        throw new IllegalStateException("sampler bug at close");
      }
    };
    dispatcher = GatedBackends.add(LogDispatcher.builder(run), "rec", backend, broken, FAST)
        .journalDir(dir.resolve("journal"))
        .deadLetterDir(dir.resolve("dead"))
        .shutdownHook(false)
        .build();

    logSteps(dispatcher, 0, 10);

    assertThat(dispatcher.close(RunStatus.FINISHED, Duration.ofSeconds(10))).isTrue();
    assertThat(backend.steps()).containsExactly(0L, 1L, 3L, 4L, 5L, 7L, 8L, 9L);
    assertThat(backend.closedWith).isEqualTo(RunStatus.FINISHED);
  }

  /** Keeps every record and, at close, holds one folded record numbered step 10. */
  private static final class LogRecordGate implements Gate {
    private volatile LogRecord lastSeen;

    @Override
    public LogRecord offer(LogRecord record) {
      lastSeen = record;
      return record;
    }

    @Override
    public LogRecord drainPending(long sequence) {
      LogRecord last = lastSeen;
      return new LogRecord(last.run(), 10, sequence, last.timestampMillis(), last.metrics(), false);
    }
  }

  @Test
  void closeDrainsEverythingAndClosesTheBackendWithTheStatus() {
    RecordingBackend backend = new RecordingBackend();
    LogDispatcher d = dispatcher(backend, ChannelSettings.defaults()); // 2 s flush interval: close must not wait for it

    logSteps(d, 0, 700);

    assertThat(d.close(RunStatus.FAILED, Duration.ofSeconds(20))).isTrue();
    assertThat(backend.steps()).containsExactlyElementsOf(range(0, 700));
    assertThat(backend.closedWith).isEqualTo(RunStatus.FAILED);
    assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(1))).as("idempotent").isTrue();
    assertThat(backend.closes.get()).isEqualTo(1);
  }

  @Test
  void flushReportsATimeoutWhenTheBackendCannotKeepUp() {
    RecordingBackend backend = new RecordingBackend();
    backend.openGate = new CountDownLatch(1);
    LogDispatcher d = dispatcher(backend, FAST);
    logSteps(d, 0, 10);

    assertThat(d.flush(Duration.ofMillis(50))).isFalse();

    backend.openGate.countDown();
    assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(backend.flushes.get()).isPositive();
  }

  /** A dispatcher over {@code backend}, which refuses step 3 for good, that logged steps 0 to 5. */
  private LogDispatcher stepsZeroToFiveWithStepThreeRefused(RecordingBackend backend) {
    backend.refusedSteps.add(3L);
    LogDispatcher d = dispatcher(backend, FAST);
    logSteps(d, 0, 6);
    return d;
  }

  @Test
  void aPermanentFailureDeadLettersOnlyTheRefusedRecordsWithTheReasonAndTheyCanBeResent() throws Exception {
    RecordingBackend backend = new RecordingBackend();
    LogDispatcher d = stepsZeroToFiveWithStepThreeRefused(backend);

    assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(backend.steps()).containsExactly(0L, 1L, 2L, 4L, 5L);
    assertThat(d.stats().backends().get("rec").failed()).isEqualTo(1);
    d.close(RunStatus.FINISHED, Duration.ofSeconds(5));

    Path dead = dir.resolve("dead").resolve("rec-rank0");
    assertThat(Files.readString(dead.resolve("reasons.log")))
        .contains("1 record(s) exp-run-id/0/3/3: BackendException: value rejected by the store: step 3");
    RecordingBackend other = new RecordingBackend();
    assertThat(JournalReplay.resend(dead, other)).isEqualTo(1);
    assertThat(other.steps()).containsExactly(3L);
    assertThat(other.stored.get(0).metrics()).containsEntry("loss", 0.25);
  }

  @Test
  void aDispatcherBuiltToResendDeliversTheDeadLettersFirstPastTheSamplerAndDeletesThem() throws Exception {
    RecordingBackend backend = new RecordingBackend();
    LogDispatcher first = stepsZeroToFiveWithStepThreeRefused(backend);
    assertThat(first.close(RunStatus.FINISHED, Duration.ofSeconds(5))).isTrue();
    Path dead = dir.resolve("dead").resolve("rec-rank0");
    RecordingBackend fixed = new RecordingBackend(); // the cause is fixed
    fixed.refusedSteps.add(7L); // a later refusal is kept again

    LogDispatcher d = LogDispatcher.builder(run)
        .backend("rec", fixed, SampleSpec.every(1000), FAST)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false)
        .resend(dead, "rec").build();
    dispatcher = d;
    assertThat(d.resentRecords()).isEqualTo(1);
    assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(fixed.steps()).containsExactly(3L);
    assertThat(dead).doesNotExist();

    d.logForced(7, Map.of("loss", 0.125));
    assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    d.close(RunStatus.FINISHED, Duration.ofSeconds(5));
    assertThat(Files.readString(dead.resolve("reasons.log")))
        .as("the resent directory was deleted: a later refusal starts it anew").contains("step 7")
        .doesNotContain("step 3");
  }

  @Test
  void aResendToABackendTheDispatcherDoesNotHaveNamesTheOnesItHas() throws Exception {
    RecordingBackend backend = new RecordingBackend();
    assertThat(stepsZeroToFiveWithStepThreeRefused(backend).close(RunStatus.FINISHED, Duration.ofSeconds(5))).isTrue();
    dispatcher = null;

    assertThatThrownBy(() -> LogDispatcher.builder(run).backend("rec", new RecordingBackend())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false)
        .resend(dir.resolve("dead").resolve("rec-rank0"), "mongo").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no backend named 'mongo'; backends: [rec]");
  }

  @Test
  void whatABackendDownForTheWholeRunDidNotGetIsResentByTheNextDispatcherFirst() {
    RecordingBackend down = new RecordingBackend();
    down.down = true;
    LogDispatcher first = dispatcher(down, FAST.withBatchSize(10));
    logSteps(first, 0, 300);
    assertThat(first.close(RunStatus.FINISHED, Duration.ofMillis(200))).isFalse();
    assertThat(down.stored).isEmpty();

    RecordingBackend up = new RecordingBackend();
    LogDispatcher second = dispatcher(up, FAST.withBatchSize(10));
    logSteps(second, 300, 310);

    assertThat(second.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(up.steps().stream().map(Long::intValue).collect(Collectors.toList()))
        .as("old records first, in order, each once")
        .containsExactlyElementsOf(range(0, 310).stream().map(Long::intValue).collect(Collectors.toList()));
  }

  @Test
  void statsCountEveryStage() {
    RecordingBackend backend = new RecordingBackend();
    LogDispatcher d = GatedBackends.add(LogDispatcher.builder(run), "every3", backend, new EveryThird(), FAST)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false)
        .build();
    dispatcher = d;
    logSteps(d, 0, 30);

    assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    BackendStats s = d.stats().backends().get("every3");
    assertThat(s.accepted()).isEqualTo(30);
    assertThat(s.sampledOut()).isEqualTo(20);
    assertThat(s.written()).isEqualTo(10);
    assertThat(s.queued()).isZero();
    assertThat(s.pending()).isZero();
    assertThat(d.stats().logged()).isEqualTo(30);
  }

  @Test
  void recordsASamplerSkipsFromTheirHeadersAreCountedAsSampledOut() {
    RecordingBackend backend = new RecordingBackend();
    LogDispatcher d = LogDispatcher.builder(run).backend("every10", backend, SampleSpec.every(10), FAST)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    dispatcher = d;
    logSteps(d, 0, 995);
    d.log(995, Map.of("loss", Double.NaN)); // kept: non-finite
    d.step(996).scalar("loss", 0.5).force().log(); // kept: forced

    assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    List<Long> expected = LongStream.range(0, 995).filter(s -> s % 10 == 0).boxed().collect(Collectors.toList());
    expected.add(995L);
    expected.add(996L);
    assertThat(backend.steps()).containsExactlyElementsOf(expected);
    BackendStats s = d.stats().backends().get("every10");
    assertThat(s.accepted()).isEqualTo(997);
    assertThat(s.sampledOut()).isEqualTo(997 - expected.size());
    assertThat(s.written()).isEqualTo(expected.size());
  }

  private static final class EveryThird implements Gate {
    @Override
    public dev.trainlog.api.LogRecord offer(dev.trainlog.api.LogRecord record) {
      return record.step() % 3 == 0 ? record : null;
    }

    @Override
    public dev.trainlog.api.LogRecord drainPending(long sequence) {
      return null;
    }
  }

  @Test
  void aBackendThatRefusesToOpenForGoodSendsItsRecordsToTheDeadLettersWithTheReason() throws Exception {
    RecordingBackend backend = new RecordingBackend();
    backend.openRefused = true;
    LogDispatcher d = dispatcher(backend, FAST);
    logSteps(d, 0, 3);

    assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(d.stats().backends().get("rec").failed()).isEqualTo(3);
    assertThat(backend.stored).isEmpty();
    d.close(RunStatus.FINISHED, Duration.ofSeconds(5));
    assertThat(Files.readString(dir.resolve("dead").resolve("rec-rank0").resolve("reasons.log")))
        .contains("3 record(s) exp-run-id/0/0/0 .. exp-run-id/0/2/2: BackendException: authentication failed for user"
            + " 'trainer'");
  }
}
