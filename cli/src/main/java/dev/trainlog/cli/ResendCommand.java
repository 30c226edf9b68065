package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.cli.common.Durations;
import dev.trainlog.core.LogDispatcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code trainlog resend DIR --config FILE.yaml --backend NAME}: what a dead-letter directory or a journal holds. */
@Command(name = "resend", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Resend a dead-letter directory, or a journal left behind, to one backend of a configuration;"
        + " the directory is deleted once every record is written.")
final class ResendCommand implements Callable<Integer> {

  @ParentCommand TrainlogCli root;

  @Parameters(paramLabel = "DIR", description = "A dead-letter directory (<dead-letter-dir>/<backend>-rank<r>) or a"
      + " journal (<journal-dir>/<run-id>-rank<r>).")
  Path dir;

  @Option(names = "--config", required = true, paramLabel = "FILE.yaml", description = "The configuration whose"
      + " backend receives the records.")
  Path config;

  @Option(names = "--backend", required = true, paramLabel = "NAME", description = "The backend's name in the YAML.")
  String backend;

  @Option(names = "--timeout", defaultValue = "10m", description = "How long to wait for the records to be written"
      + " (default ${DEFAULT-VALUE}).")
  String timeout;

  @Override
  public Integer call() throws Exception {
    Duration wait = Durations.parse(timeout, "--timeout");
    // only the named backend is opened: the configuration's other backends get no run of this resend; the
    // records keep their own run identity, and a MongoDB backend updates their run, not one of this process
    // (TRAINLOG_RESEND is the variable the MongoDB, MLflow and TensorBoard backends read for that)
    Map<String, String> vars = Map.of("TRAINLOG_RESEND", "true");
    try (LogDispatcher dispatcher = LogDispatcher.resendFromYaml(config, vars, backend, dir)) {
      long count = dispatcher.resentRecords();
      boolean done = dispatcher.flush(wait);
      long damaged = dispatcher.stats().backends().get(backend).dropped();
      root.out.println((done ? "resent " : "still resending ") + count + " record(s) from " + dir + " to '" + backend
          + "'" + (done ? "" : "; the rest stays in its directory")
          + (damaged == 0 ? "" : "; " + damaged + " damaged record(s) could not be read (see the warning; their bytes"
          + " are kept in " + dir.resolveSibling(dir.getFileName() + ".damaged") + ")"));
      return count == 0 && damaged == 0 ? ExitCodes.NOTHING_MATCHED : done && damaged == 0 ? ExitCodes.OK : ExitCodes.USAGE;
    }
  }
}
