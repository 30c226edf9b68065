package dev.trainlog.mongodb.internal.service;

import dev.trainlog.mongodb.store.StoreServiceException;
import dev.trainlog.mongodb.store.ServerFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.trainlog.mongodb.EmbeddedMongo;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One store service per directory, started on demand, shared, idle-stopped, replaced when dead or outdated. */
class StoreServiceTest {

  @TempDir Path tmp;
  private final Services services = new Services();

  @BeforeAll
  static void shortIdle() {
    System.setProperty(ServiceLauncher.IDLE_PROPERTY, "2s");
  }

  @AfterAll
  static void defaultIdle() {
    System.clearProperty(ServiceLauncher.IDLE_PROPERTY);
  }

  @AfterEach
  void stop() {
    services.stopAll();
  }

  @Test
  void racingClientsStartOneServiceAndAllConnectToIt() throws Exception {
    Path dir = services.dir(tmp.resolve("store"));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ServerFile>> started = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      started.add(pool.submit(() -> {
        go.await();
        return ServiceLauncher.ensureRunning(dir);
      }));
    }
    go.countDown();
    List<ServerFile> files = new ArrayList<>();
    for (Future<ServerFile> f : started) {
      files.add(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();

    assertThat(files).extracting(ServerFile::pid).containsOnly(files.get(0).pid());
    ServerFile advertised = ServerFile.read(dir).orElseThrow();
    assertThat(advertised).isEqualTo(files.get(0));
    assertThat(advertised.pid()).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(advertised.version()).isEqualTo(StoreVersion.current());
    assertThat(advertised.uri()).isEqualTo("mongodb://127.0.0.1:" + advertised.port());
    assertThat(advertised.started()).isBeforeOrEqualTo(Instant.now());
  }

  @Test
  void theServiceRunsAtNiceTenBelowTheTrainerThatStartsItOrAtThePropertysValue() throws Exception {
    Path self = Path.of("/proc/thread-self/stat");
    // a check of Linux's scheduler: CI runs on Linux, where this never skips
    assumeTrue(Files.isReadable(self), "nice values are read back from /proc, which this system does not have");
    int own = ServiceProcess.niceOf(self);
    ServerFile first = ServiceLauncher.ensureRunning(services.dir(tmp.resolve("nice")));
    assertThat(ServiceProcess.niceOf(Path.of("/proc/" + first.pid() + "/stat")))
        .isEqualTo(Math.max(own, Math.min(19, ServiceProcess.DEFAULT_NICE)));

    System.setProperty(ServiceProcess.NICE_PROPERTY, "0");
    try {
      ServerFile second = ServiceLauncher.ensureRunning(services.dir(tmp.resolve("not-nice")));
      assertThat(ServiceProcess.niceOf(Path.of("/proc/" + second.pid() + "/stat"))).isEqualTo(own);
    } finally {
      System.clearProperty(ServiceProcess.NICE_PROPERTY);
    }
  }

  @Test
  void aServiceThatABackendWorkerStartsRunsAtNiceTenNotLower() throws Exception {
    Path self = Path.of("/proc/thread-self/stat");
    // a check of Linux's scheduler: CI runs on Linux, where this never skips
    assumeTrue(Files.isReadable(self), "nice values are read back from /proc, which this system does not have");
    int own = ServiceProcess.niceOf(self);
    Path store = services.dir(tmp.resolve("trainer"));
    // the backend opens on its worker thread, which lowers itself to nice 10 first and starts the service from there
    try (dev.trainlog.core.LogDispatcher d = trainer(store, "nice")) {
      d.log(1, java.util.Map.of("loss", 0.5));
      assertThat(d.flush(java.time.Duration.ofSeconds(60))).isTrue();
    }
    ServerFile started = ServerFile.read(store).orElseThrow();
    assertThat(ServiceProcess.niceOf(Path.of("/proc/" + started.pid() + "/stat")))
        .as("10 below the trainer, not 10 below its worker").isEqualTo(Math.max(own, ServiceProcess.DEFAULT_NICE));
  }

  @Test
  void anIdleServiceStopsByItselfAndItsDataIsThereWhenTheNextOneStarts() throws Exception {
    Path dir = services.dir(tmp.resolve("idle"));
    ServerFile first;
    try (EmbeddedMongo.EmbeddedClient client = EmbeddedMongo.openClient(dir)) {
      first = ServerFile.read(dir).orElseThrow();
      steps(client.client()).insertMany(docs(0, 100));
    }
    ProcessHandle service = ProcessHandle.of(first.pid()).orElseThrow();
    await().atMost(30, TimeUnit.SECONDS).until(() -> !service.isAlive());
    assertThat(dir.resolve(ServerFile.FILE_NAME)).doesNotExist();

    try (EmbeddedMongo.EmbeddedClient client = EmbeddedMongo.openClient(dir)) {
      assertThat(steps(client.client()).countDocuments()).isEqualTo(100);
    }
  }

  @Test
  void aKilledServiceIsStartedAgainWhereItListenedAndKeepsEveryAcknowledgedWrite() throws Exception {
    Path dir = services.dir(tmp.resolve("killed"));
    ServerFile first = ServiceLauncher.ensureRunning(dir);
    try (MongoClient client = MongoClients.create(first.uri())) {
      for (int i = 0; i < 10; i++) {
        steps(client).insertMany(docs(i * 50, 50));
      }
      ProcessHandle service = ProcessHandle.of(first.pid()).orElseThrow();
      service.destroyForcibly();
      await().atMost(30, TimeUnit.SECONDS).until(() -> !service.isAlive());

      ServerFile second = ServiceLauncher.ensureRunning(dir);
      assertThat(second.pid()).isNotEqualTo(first.pid());
      assertThat(second.port()).as("the old clients find it where it was").isEqualTo(first.port());
      assertThat(steps(client).countDocuments()).isEqualTo(500);
    }
  }

  @Test
  void aBackendWhoseServiceIsKilledStartsItAgainAlsoForABatchWithImages() throws Exception {
    // a batch with an image fails first in GridFS: that failure must start the service again too (it never did,
    // and the backend retried against the dead port until close)
    Path store = services.dir(tmp.resolve("killed-under-images"));
    try (dev.trainlog.core.LogDispatcher d = trainer(store, "images")) {
      d.step(0).scalar("loss", 1.0).image("samples/grid", dev.trainlog.testkit.TestImages.png(4, 4, 1, 32)).log();
      assertThat(d.flush(java.time.Duration.ofSeconds(60))).isTrue();
      ServerFile first = ServerFile.read(store).orElseThrow();
      ProcessHandle service = ProcessHandle.of(first.pid()).orElseThrow();
      service.destroyForcibly();
      await().atMost(30, TimeUnit.SECONDS).until(() -> !service.isAlive());

      d.step(1).scalar("loss", 0.5).image("samples/grid", dev.trainlog.testkit.TestImages.png(4, 4, 2, 32)).log();

      assertThat(d.flush(java.time.Duration.ofSeconds(60))).as("written through a service started again").isTrue();
      assertThat(ServerFile.read(store).orElseThrow().pid()).isNotEqualTo(first.pid());
    }
  }

  /** A trainer's dispatcher whose one backend is MongoDB on the embedded store {@code store}. */
  private dev.trainlog.core.LogDispatcher trainer(Path store, String experiment) {
    return dev.trainlog.core.LogDispatcher.builder(dev.trainlog.testkit.TestRecords.run(experiment, "r"))
        .backend("mongo", "mongodb", java.util.Map.of("uri", "embedded:" + store),
            dev.trainlog.core.spec.SampleSpec.always(), dev.trainlog.core.spec.ChannelSettings.defaults())
        .journalDir(tmp.resolve("journal")).deadLetterDir(tmp.resolve("dead")).shutdownHook(false).build();
  }

  @Test
  void aServiceOfAnOlderVersionIsReplacedAndANewerOneIsNamedInOneLine() throws Exception {
    Path dir = services.dir(tmp.resolve("versions"));
    Files.createDirectories(dir);
    Process older = new ProcessBuilder("sleep", "300").start();
    try (ServerSocket listening = new ServerSocket(0)) {
      new ServerFile("mongodb://127.0.0.1:" + listening.getLocalPort(), listening.getLocalPort(), older.pid(), "0.0.1",
          Instant.now()).write(dir);
      ServerFile replacement = ServiceLauncher.ensureRunning(dir);
      assertThat(older.waitFor(30, TimeUnit.SECONDS)).as("the old service was asked to stop").isTrue();
      assertThat(replacement.version()).isEqualTo(StoreVersion.current());
    }
    ServiceLauncher.stop(dir, java.time.Duration.ofSeconds(30));

    Process newer = new ProcessBuilder("sleep", "300").start();
    try {
      new ServerFile("mongodb://127.0.0.1:1", 1, newer.pid(), "99.0.0", Instant.now()).write(dir);
      assertThatThrownBy(() -> ServiceLauncher.ensureRunning(dir)).isInstanceOf(StoreServiceException.class)
          .hasMessage("the store service of " + dir + " runs TrainLog 99.0.0, newer than this program's "
              + StoreVersion.current() + ": upgrade this program, or stop that service with `trainlog store stop"
              + " --store embedded:" + dir + "`");
      assertThat(newer.isAlive()).as("a newer service is left alone").isTrue();
    } finally {
      newer.destroyForcibly();
      newer.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPinnedPortThatIsTakenIsRefusedInOneLineNamingTheDirectory() throws Exception {
    Path dir = services.dir(tmp.resolve("pinned"));
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> ServiceLauncher.ensureRunning(dir, port)).isInstanceOf(StoreServiceException.class)
          .hasMessage("cannot serve " + dir + ": port 127.0.0.1:" + port + " is taken; pass another --port, or stop"
              + " what listens there");
    }
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsRefusedInOneLine() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Path dir = file.resolve("store");
    assertThatThrownBy(() -> ServiceLauncher.ensureRunning(dir)).isInstanceOf(StoreServiceException.class)
        .hasMessageStartingWith("cannot start the store service of " + dir + ": the directory is not writable (")
        .hasMessageEndingWith("); make it writable, or point `uri: embedded:<dir>` (or --store) at another directory");
  }

  @Test
  void theServiceAnnouncesTheWireVersionOfMongoDb5AndAnswersHello() {
    Path dir = services.dir(tmp.resolve("hello"));
    try (EmbeddedMongo.EmbeddedClient client = EmbeddedMongo.openClient(dir)) {
      Document hello = client.client().getDatabase("admin").runCommand(new Document("hello", 1));
      assertThat(hello.getBoolean("isWritablePrimary")).isTrue();
      assertThat(hello.getInteger("maxWireVersion")).isEqualTo(13);
      Document isMaster = client.client().getDatabase("admin").runCommand(new Document("isMaster", 1));
      assertThat(isMaster.getInteger("maxWireVersion")).isEqualTo(13);
      Document status = client.client().getDatabase("admin").runCommand(new Document(ServiceBackend.STATUS_COMMAND, 1));
      assertThat(status.getInteger("clients")).isPositive();
      assertThat(status.get("pid", Number.class).longValue()).isEqualTo(ServerFile.read(dir).orElseThrow().pid());
    }
  }

  @Test
  void changeStreamsWorkOnlyWhenTheServiceWasAskedToKeepAnOplog() throws Exception {
    StoreService plain = StoreService.start(Files.createDirectories(tmp.resolve("plain")), 0, false,
        java.time.Duration.ofMinutes(1));
    try (MongoClient client = MongoClients.create(plain.advertised().uri())) {
      assertThatThrownBy(() -> steps(client).watch().cursor().tryNext())
          .isInstanceOf(com.mongodb.MongoCommandException.class);
    } finally {
      plain.stop();
    }
    StoreService withOplog = StoreService.start(Files.createDirectories(tmp.resolve("oplog")), 0, false,
        java.time.Duration.ofMinutes(1), true);
    try (MongoClient client = MongoClients.create(withOplog.advertised().uri());
        var stream = steps(client).watch().cursor()) {
      steps(client).insertOne(new Document("_id", "s1").append("step", 1));
      await().atMost(10, TimeUnit.SECONDS).until(() -> {
        var change = stream.tryNext();
        return change != null && "s1".equals(change.getFullDocument().getString("_id"));
      });
    } finally {
      withOplog.stop();
    }
  }

  private static MongoCollection<Document> steps(MongoClient client) {
    return client.getDatabase("ai_training_logs").getCollection("experiments");
  }

  private static List<Document> docs(int from, int count) {
    return IntStream.range(from, from + count).mapToObj(i -> new Document("_id", "s" + i).append("step", i)).toList();
  }
}
