package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer restarted from a checkpoint that opens its metrics file with {@code "w"} writes it anew, shorter than
 * what the follower had read: its lines are read from the file's start again, as new records numbered after the
 * earlier ones, by this follower and by one started again from its saved state.
 */
class FollowRewrittenJsonLinesTest {

  @TempDir Path tmp;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
  private final List<String> logged = new ArrayList<>();
  private final List<Long> sequences = new ArrayList<>();
  private final JsonLinesFollower follower = new JsonLinesFollower((step, wallTimeMillis, sequence, metrics) -> {
    logged.add(step + "@" + wallTimeMillis + "=" + metrics.get("loss"));
    sequences.add(sequence);
  });

  @Test
  void aFileWrittenAnewAfterARestartIsReadFromItsStartAsNewRecords() throws Exception {
    Path metrics = tmp.resolve("metrics.jsonl");
    write(metrics, line(0, 1000, 1.0) + line(1, 1001, 0.9) + line(2, 1002, 0.8));
    JsonLinesTail tail = new JsonLinesTail(metrics, follower, clock, state(metrics));
    tail.look(Duration.ofMinutes(10));

    // restarted from the checkpoint of step 1: the file is truncated and written again
    write(metrics, line(1, 2001, 0.7) + line(2, 2002, 0.6));
    tail.look(Duration.ofMinutes(10));
    Files.writeString(metrics, line(3, 2003, 0.5), StandardOpenOption.APPEND);
    tail.look(Duration.ofMinutes(10));

    assertThat(logged).containsExactly("0@1000000=1.0", "1@1001000=0.9", "2@1002000=0.8",
        "1@2001000=0.7", "2@2002000=0.6", "3@2003000=0.5");
    assertThat(sequences).isSorted().doesNotHaveDuplicates();
    assertThat(sequences.get(3)).isEqualTo(Sequences.of(1, 0));
  }

  @Test
  void aFollowerStartedAgainAfterTheRewriteGoesOnInTheNewFile() throws Exception {
    Path metrics = tmp.resolve("metrics.jsonl");
    write(metrics, line(0, 1000, 1.0) + line(1, 1001, 0.9) + line(2, 1002, 0.8));
    new JsonLinesTail(metrics, follower, clock, state(metrics)).look(Duration.ofMinutes(10));
    write(metrics, line(1, 2001, 0.7));
    new JsonLinesTail(metrics, follower, clock, state(metrics)).look(Duration.ofMinutes(10));

    Files.writeString(metrics, line(2, 2002, 0.6), StandardOpenOption.APPEND);
    new JsonLinesTail(metrics, follower, clock, state(metrics)).look(Duration.ofMinutes(10));

    assertThat(logged).containsExactly("0@1000000=1.0", "1@1001000=0.9", "2@1002000=0.8",
        "1@2001000=0.7", "2@2002000=0.6");
    assertThat(sequences).isSorted().doesNotHaveDuplicates();
  }

  private FollowState state(Path metrics) throws Exception {
    return FollowState.load(tmp.resolve("journal"), "jsonl", metrics);
  }

  private static String line(long step, long wallTimeSecs, double loss) {
    return "{\"step\": " + step + ", \"wall_time\": " + wallTimeSecs + ".0, \"loss\": " + loss + "}\n";
  }

  private static void write(Path file, String text) throws Exception {
    Files.writeString(file, text); // CREATE, TRUNCATE_EXISTING: as Python's open(path, "w")
  }
}
