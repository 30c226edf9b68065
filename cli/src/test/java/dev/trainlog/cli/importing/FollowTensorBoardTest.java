package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlog.cli.common.StopSignal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowTensorBoardTest {

  private static final int STEPS = 60;
  private static final int THIRD_RUN_FROM = 20;
  private static final int STOP_AFTER = 30;
  private static final int RESTART_AFTER = 35;

  /** A (re)started follower's first delivery also waits for its JVM classes and dispatchers: at most this. */
  private static final Duration STARTUP = Duration.ofSeconds(10);

  @TempDir Path tmp;
  private Path logs;
  private Path yaml;

  /** The follower running on another thread, and what stops it. */
  private record Running(StopSignal signal, CompletableFuture<Fixtures.Result> result) {
    Fixtures.Result stop() throws Exception {
      signal.request();
      return result.get(30, TimeUnit.SECONDS);
    }
  }

  private Running startFollower() {
    StopSignal stop = new StopSignal();
    CompletableFuture<Fixtures.Result> result = CompletableFuture.supplyAsync(() -> Fixtures.run(stop,
        "follow", "tensorboard", logs.toString(), "--config", yaml.toString(), "--poll", "100ms"));
    return new Running(stop, result);
  }

  @Test
  void everyEventReachesJsonLinesOnceInOrderWithinTwoSecondsThroughARestartOfTheFollower() throws Exception {
    logs = tmp.resolve("runs");
    yaml = Fixtures.yaml(tmp, "  lines: {type: jsonl, path: '" + tmp + "/out/${TRAINLOG_RUN_NAME}.jsonl'}\n");
    BlockingQueue<Integer> go = new LinkedBlockingQueue<>();
    BlockingQueue<Integer> written = new LinkedBlockingQueue<>();
    // the trainer: appends a step to runs a and b (and c, which it starts midway) each time it is told to
    CompletableFuture<Void> trainer = CompletableFuture.runAsync(() -> {
      try {
        Map<String, TbEventWriter> writers = new java.util.LinkedHashMap<>();
        for (int step = 0; step < STEPS; step++) {
          go.take();
          if (step == 0) {
            writers.put("a", new TbEventWriter(logs.resolve("a/events.out.tfevents.1764950000.gpu-1.1.0")));
            writers.put("b", new TbEventWriter(logs.resolve("b/events.out.tfevents.1764950000.gpu-1.2.0")));
          }
          if (step == THIRD_RUN_FROM) {
            writers.put("c", new TbEventWriter(logs.resolve("c/events.out.tfevents.1764950100.gpu-2.3.0")));
          }
          for (Map.Entry<String, TbEventWriter> w : writers.entrySet()) {
            w.getValue().scalars(step, 1_764_950_000.0 + step, Map.of("loss", value(w.getKey(), step)));
          }
          written.put(step);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Running follower = startFollower();
    long eventsRead = 0;

    for (int step = 0; step < STEPS; step++) {
      go.put(step);
      assertThat(written.poll(10, TimeUnit.SECONDS)).isEqualTo(step);
      if (follower != null) {
        int s = step;
        await("step " + s).atMost(step == 0 ? STARTUP : Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
            .until(() -> runsAt(s).stream().allMatch(run -> lastStep(run) == s));
      }
      if (step == STOP_AFTER) {
        Fixtures.Result first = follower.stop();
        assertThat(first.code()).as(first.err()).isZero();
        eventsRead += eventsRead(first);
        follower = null;
      }
      if (step == RESTART_AFTER) {
        follower = startFollower();
        int s = step;
        await("catching up to step " + s).atMost(STARTUP).pollInterval(Duration.ofMillis(20))
            .until(() -> runsAt(s).stream().allMatch(run -> lastStep(run) == s));
      }
    }
    trainer.get(10, TimeUnit.SECONDS);
    Fixtures.Result last = follower.stop();

    assertThat(last.code()).as(last.err()).isZero();
    // the followers together read each event once (JSON lines would also drop a repeat it can recognise)
    assertThat(eventsRead + eventsRead(last)).isEqualTo(3 + STEPS * 2 + (STEPS - THIRD_RUN_FROM));
    for (String run : List.of("a", "b", "c")) {
      long from = run.equals("c") ? THIRD_RUN_FROM : 0;
      List<JsonNode> lines = Fixtures.jsonLines(tmp.resolve("out/" + run + ".jsonl"));
      assertThat(lines).extracting(l -> l.get("step").asLong())
          .as(run).containsExactlyElementsOf(LongStream.range(from, STEPS).boxed().toList());
      for (JsonNode l : lines) {
        assertThat(l.get("metrics").get("loss").asDouble()).isEqualTo(value(run, l.get("step").asInt()));
        assertThat(l.get("exp_name").asText()).isEqualTo("runs");
      }
    }
  }

  private static long eventsRead(Fixtures.Result r) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("stopped: read (\\d+) events").matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static double value(String run, int step) {
    return (run.charAt(0) - 'a') * 1000 + step;
  }

  private static List<String> runsAt(int step) {
    List<String> runs = new ArrayList<>(List.of("a", "b"));
    if (step >= THIRD_RUN_FROM) {
      runs.add("c");
    }
    return runs;
  }

  private long lastStep(String run) {
    List<JsonNode> lines = Fixtures.jsonLines(tmp.resolve("out/" + run + ".jsonl"));
    return lines.isEmpty() ? -1 : lines.get(lines.size() - 1).get("step").asLong();
  }
}
