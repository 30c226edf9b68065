package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.mongodb.store.ServerFile;
import dev.trainlog.mongodb.internal.service.ServiceLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} and {@code watch} next to a training process (a child JVM) on one embedded store: watch
 * started before the trainer follows it through the store service, shows every point once, the run's
 * final status, exits 0 when the trainer is gone, and rides out a service killed with SIGKILL.
 */
class WatchThroughServiceTest {

  private static final int STEPS = 400;

  @TempDir Path tmp;
  private Process trainer;

  @AfterEach
  void stop() {
    if (trainer != null) {
      trainer.destroyForcibly();
    }
    EmbeddedMongo.stop(tmp.resolve("mongo"), Duration.ofSeconds(30));
  }

  @Test
  void watchStartedBeforeATrainerShowsEveryPointAndTheFinalStatusAndExitsZero() throws Exception {
    Path store = tmp.resolve("mongo");
    List<String> storeArgs = List.of("--store", "embedded:" + store);
    Cli.Result served = new Cli(Clock.systemUTC(), storeArgs).run("serve");
    assertThat(served.code()).as(served.err()).isZero();
    Cli watcher = new Cli(Clock.systemUTC(), storeArgs);
    CompletableFuture<Cli.Result> watch = CompletableFuture.supplyAsync(
        () -> watcher.run("watch", "watched-run", "--wait", "--interval", "50ms"));
    await().atMost(30, TimeUnit.SECONDS).until(() -> watcher.outSoFar().contains("waiting for run watched-run"));

    trainer = trainer(store, 1000);
    String out = new String(trainer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(trainer.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).endsWith("closed true\n");

    Cli.Result watched = watch.get(60, TimeUnit.SECONDS);
    assertThat(watched.code()).as(watched.err()).isZero();
    assertEveryStepOnceThenTheEnd(watched.out());
  }

  @Test
  void watchReconnectsWhenTheServiceIsKilledAndTheTrainerStartsItAgain() throws Exception {
    Path store = tmp.resolve("mongo");
    List<String> storeArgs = List.of("--store", "embedded:" + store);
    ServiceLauncher.ensureRunning(store);
    trainer = trainer(store, 10_000);
    BufferedReader trainerOut = new BufferedReader(new InputStreamReader(trainer.getInputStream(),
        StandardCharsets.UTF_8));
    Cli watcher = new Cli(Clock.systemUTC(), storeArgs);
    CompletableFuture<Cli.Result> watch = CompletableFuture.supplyAsync(
        () -> watcher.run("watch", "watched-run", "--wait", "--interval", "50ms"));
    await().atMost(60, TimeUnit.SECONDS).until(() -> watcher.outSoFar().contains("\nstep 20 "));

    ServerFile killed = ServerFile.read(store).orElseThrow();
    ProcessHandle service = ProcessHandle.of(killed.pid()).orElseThrow();
    service.destroyForcibly();
    service.onExit().get(30, TimeUnit.SECONDS);
    // its port taken meanwhile, the next service listens elsewhere: clients must follow server.json
    try (ServerSocket taken = new ServerSocket(killed.port(), 50, InetAddress.getLoopbackAddress())) {
      assertThat(awaitLine(trainerOut, "closed ")).isEqualTo("closed true");
    }
    assertThat(ServerFile.read(store).orElseThrow().port()).isNotEqualTo(killed.port());

    Cli.Result watched = watch.get(90, TimeUnit.SECONDS);
    assertThat(watched.code()).as(watched.err()).isZero();
    assertThat(watched.err()).contains("trainlog: lost the store (");
    assertEveryStepOnceThenTheEnd(watched.out());
  }

  private static void assertEveryStepOnceThenTheEnd(String out) {
    List<String> stepLines = out.lines().filter(l -> l.startsWith("step ")).map(l -> l.split(" ")[1]).toList();
    assertThat(stepLines).containsExactlyElementsOf(IntStream.range(0, STEPS).mapToObj(Integer::toString).toList());
    assertThat(out).endsWith("step " + (STEPS - 1) + "  loss=" + Format.number(1.0 / STEPS)
        + "\nrun watched-run ended: FINISHED\n");
  }

  private Process trainer(Path store, long stepMicros) throws IOException {
    Path yaml = Files.writeString(tmp.resolve("trainlog.yaml"), String.join("\n",
        "run: {experiment: watched, name: watched, id: watched-run}",
        "dispatcher: {journal-dir: " + tmp.resolve("journal") + ", dead-letter-dir: " + tmp.resolve("dead")
            + ", close-timeout: 120s}",
        "defaults: {flush-interval: 100ms, retry-initial-backoff: 50ms, retry-max-backoff: 500ms}",
        "backends:",
        "  mongo: {type: mongodb, uri: 'embedded:" + store + "', server-selection-timeout: 1s}",
        ""));
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m",
        "-XX:+UseSerialGC", "-D" + ServiceLauncher.IDLE_PROPERTY + "=20s", "-cp", System.getProperty("java.class.path"),
        StoreTrainerChild.class.getName(), yaml.toString(), Integer.toString(STEPS), Long.toString(stepMicros))
        .redirectError(tmp.resolve("trainer-stderr.log").toFile()).start();
  }

  private static String awaitLine(BufferedReader out, String prefix) throws IOException {
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new AssertionError("the trainer ended without a line starting '" + prefix + "'");
  }
}
