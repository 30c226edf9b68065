package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An import is a follower's reading in one pass: both read the same events of the same files. */
class FollowAndImportShareOneLoopTest {

  @TempDir Path tmp;

  @Test
  void aFollowersFirstLookReadsWhatAnImportReadsAddHparamsFilesNamedLikeTheirRunsOwnIncluded() throws Exception {
    Path logs = Fixtures.copyLogs(tmp.resolve("runs"));
    Path yaml = Fixtures.yaml(tmp, "  lines: {type: jsonl, path: '" + tmp + "/${TRAINLOG_RUN_NAME}.jsonl'}\n");
    YamlDispatchers dispatchers = new YamlDispatchers(yaml, Map.of());

    ImportTotals imported = new TbImporter(new RunNaming(null), dispatchers,
        new ImportProgress(new PrintWriter(new StringWriter()), false), RunEvents.NONE, () -> false).importAll(logs);
    TbFollower follower = new TbFollower(logs, new RunNaming(null), dispatchers,
        FollowState.load(tmp.resolve("state"), logs), Duration.ofMinutes(10), Clock.systemUTC(), RunEvents.NONE);
    follower.look();
    follower.close();

    // tensorboardX names run/1796475924.662835/events.out.tfevents.1796475924.host like the run's own file
    assertThat(List.of(follower.totals().events(), follower.totals().steps(), follower.totals().scalars()))
        .isEqualTo(List.of(imported.events(), imported.steps(), imported.scalars()))
        .isEqualTo(List.of(72L, 40L, 50L));
    assertThat(follower.totals().skipped()).isEqualTo(imported.skipped());
  }
}
