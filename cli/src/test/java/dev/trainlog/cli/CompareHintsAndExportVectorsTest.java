package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunStatus;
import dev.trainlog.cli.report.Curve;
import dev.trainlog.cli.report.HtmlReport;
import dev.trainlog.cli.report.ReportInput;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smaller things a new user trips over in compare and export: an unknown metric gets suggestions
 * and the run's metrics, a vector is said to be one, export writes vectors, "best" only where it means
 * something, and the licence out of the way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompareHintsAndExportVectorsTest {

  @TempDir Path tmp;
  private String store;

  @BeforeAll
  void logARun() throws Exception {
    Path root = Files.createTempDirectory("trainlog-cli-hints");
    store = "embedded:" + root.resolve("mongo");
    LogDispatcher run = new LoggedRuns(store, root)
        .dispatcher(LoggedRuns.run("gpu_exp", "gpu", "gpu-run", 32), new MutableClock(LoggedRuns.T0));
    for (long s = 1; s <= 5; s++) {
      run.step(s).scalar("loss", 1.0 / s).scalar("lr", 0.1).vector("gpu_util", new double[] {0.5, 0.25 * s})
          .log();
    }
    run.close(RunStatus.FINISHED);
  }

  private Cli.Result run(String... args) {
    return new Cli(CommandsContract.LATER, List.of("--store", store)).run(args);
  }

  @Test
  void anUnknownMetricGetsSuggestionsAndTheRunsMetrics() {
    Cli.Result r = run("compare", "gpu-run", "--metric", "los", "--out", tmp.resolve("x.html").toString());

    assertThat(r.code()).isEqualTo(ExitCodes.NOTHING_MATCHED);
    assertThat(r.err()).isEqualTo("missing (no points): gpu-run: los\n"
        + "no metric los; did you mean 'loss'? The runs' scalars: loss, lr; vectors (export writes them): gpu_util\n"
        + "trainlog: no points of los and no images in 1 run(s); nothing to draw\n");
  }

  @Test
  void aVectorMetricIsSaidToBeOneAndWhatWritesIt() {
    Cli.Result r = run("compare", "gpu-run", "--metric", "loss,gpu_util", "--out", tmp.resolve("v.html").toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEqualTo("missing (no points): gpu-run: gpu_util\n"
        + "gpu_util is a vector (one value per element a step), which compare does not draw: 'trainlog export --metric"
        + " gpu_util' writes it\n");
  }

  @Test
  void exportWritesVectorsByDefault() {
    Cli.Result csv = run("export", "gpu-run", "--format", "csv");
    Cli.Result jsonl = run("export", "gpu-run", "--format", "jsonl");

    assertThat(csv.out().lines().toList()).startsWith("experiment,run,name,rank,step,timestamp,loss,lr,gpu_util",
        "gpu_exp,gpu-run,gpu,0,1,2026-11-20T10:00:00Z,1.0,0.1,\"[0.5, 0.25]\"");
    assertThat(jsonl.out().lines().findFirst().orElseThrow()).contains("\"gpu_util\":[0.5,0.25]");
  }

  @Test
  void bestIsShownOnlyForLossLikeAndAccuracyLikeMetricsAndTheLicenceIsBehindALink() {
    List<Curve> curves = List.of(
        new Curve("e", "r", "n", "loss", new long[] {1, 2}, new long[] {0, 1}, new double[] {0.5, 0.25}),
        new Curve("e", "r", "n", "eval/acc", new long[] {1, 2}, new long[] {0, 1}, new double[] {0.5, 0.75}),
        new Curve("e", "r", "n", "lr", new long[] {1, 2}, new long[] {0, 1}, new double[] {0.1, 0.05}));
    String page = HtmlReport.render(new ReportInput("t", List.of("loss", "eval/acc", "lr"), curves,
        Map.of("r", Map.of()), List.of(), "step", 0));

    assertThat(page).contains("<td>loss (min)</td>", "<td>eval/acc (max)</td>", "<td>lr</td>")
        .contains("<td class=\"num\">0.0500000</td><td class=\"num\">-</td><td class=\"num\">-</td>");
    assertThat(page).contains("<details id=\"licences\"><summary>licences</summary><pre class=\"licence\">")
        .contains("Leon Sorokin");
  }
}
