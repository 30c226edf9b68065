package dev.trainlog.examples.promise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training processes of different runs (the ranks of one run, as a launcher starts them) started at the same moment
 * on one journal-dir: each gets its own journal and delivers its own steps. (A journal directory was made before
 * it was locked, so a process starting then could take another's for one left by a process that is gone: the other
 * failed to start, "in use by process ...", or its steps went through the wrong process.)
 */
class SimultaneousStartTest {

  @TempDir Path dir;

  private Path yaml(Path journal, String runId) throws Exception {
    return Files.writeString(dir.resolve(runId + ".yaml"), String.join("\n",
        "run: {experiment: promise, name: " + runId + ", id: " + runId + "}",
        "dispatcher: {journal-dir: " + journal + ", dead-letter-dir: " + dir.resolve("dead") + ", close-timeout: 60s}",
        "defaults: {flush-interval: 20ms}",
        "backends:",
        "  jsonl: {type: jsonl, path: " + dir.resolve(runId + ".jsonl") + "}",
        ""));
  }

  @Test
  void processesStartedTogetherOnOneJournalDirEachDeliverTheirOwnSteps() throws Exception {
    for (int round = 0; round < 6; round++) {
      Path journal = dir.resolve("journal-" + round);
      List<Process> ranks = new ArrayList<>();
      for (int rank = 0; rank < 4; rank++) {
        String runId = "r" + round + "-" + rank;
        ranks.add(PromiseSupport.child(dir, runId, PromiseImageChild.class.getName(), yaml(journal, runId).toString(),
            "scalars", "0", "5", "close"));
      }
      for (int rank = 0; rank < 4; rank++) {
        String runId = "r" + round + "-" + rank;
        Process p = ranks.get(rank);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("%s started and closed with everything delivered; its log: %s", runId,
            Files.readString(dir.resolve("child-" + runId + ".err"))).contains("closed true");
        assertThat(Files.readAllLines(dir.resolve(runId + ".jsonl"))).as(runId).hasSize(5)
            .allMatch(l -> l.contains("\"run\":\"" + runId + "\""));
      }
    }
  }
}
