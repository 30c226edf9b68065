package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Python scripts against the real TensorBoard package, for the tests that read files back with it. */
final class RealTensorBoard {

  private static final String REASON = "no Python with tensorboard (set TRAINLOG_TB_PYTHON, or python3 -m venv"
      + " /tmp/tbv && /tmp/tbv/bin/pip install tensorboard)";

  private RealTensorBoard() {}

  /**
   * A Python that imports tensorboard: $TRAINLOG_TB_PYTHON (.ci/run sets it), else a venv at /tmp/tbv. Without one
   * the test is skipped, saying so, except in CI, which installs it: there its absence fails.
   */
  static Path python(String test) throws Exception {
    List<String> candidates = new ArrayList<>();
    String env = System.getenv("TRAINLOG_TB_PYTHON");
    if (env != null) {
      candidates.add(env);
    }
    candidates.add("/tmp/tbv/bin/python");
    for (String c : candidates) {
      Path p = Path.of(c);
      if (Files.isExecutable(p)) {
        Process check = new ProcessBuilder(c, "-c", "import tensorboard").redirectErrorStream(true).start();
        check.getInputStream().readAllBytes();
        if (check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0) {
          return p;
        }
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("CI: " + REASON);
    }
    System.out.println("SKIPPED " + test + ": " + REASON);
    assumeTrue(false, REASON);
    return null;
  }

  /** What {@code script} prints to standard output when run with {@code args}; it must exit with 0. */
  static String run(Path python, String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(python.toString(), "-c", script));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /**
   * The HParams status of each run of {@code logDir} as TensorBoard's HParams plugin takes it (the session end
   * of the run's time series metadata), one {@code <run> <STATUS_...>} line per run, or {@code <run> none}.
   */
  static List<String> sessionStatuses(Path python, Path logDir) throws Exception {
    String script = String.join("\n",
        "import sys, logging",
        "logging.disable(logging.WARNING)",
        "from tensorboard.backend.event_processing import plugin_event_multiplexer as pem, data_provider as dp",
        "from tensorboard import context",
        "from tensorboard.plugins.hparams import metadata, api_pb2",
        "m = pem.EventMultiplexer()",
        "m.AddRunsFromDirectory(sys.argv[1])",
        "m.Reload()",
        "p = dp.MultiplexerDataProvider(m, sys.argv[1])",
        "runs = p.list_tensors(context.RequestContext(), experiment_id='', plugin_name=metadata.PLUGIN_NAME)",
        "for run, tags in sorted(runs.items()):",
        "    end = tags.get(metadata.SESSION_END_INFO_TAG)",
        "    status = metadata.parse_session_end_info_plugin_data(end.plugin_content).status if end else None",
        "    print(run, api_pb2.Status.Name(status) if end else 'none')",
        "");
    return run(python, script, logDir.toString()).lines().toList();
  }
}
