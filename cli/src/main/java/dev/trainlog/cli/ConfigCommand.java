package dev.trainlog.cli;

import dev.trainlog.cli.common.CliException;
import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.cli.common.Durations;
import dev.trainlog.cli.importing.YamlDispatchers;
import dev.trainlog.core.ConfigCheck;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.spi.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code trainlog config check FILE.yaml [--ping]}: the configuration as the dispatcher would resolve it. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Check a TrainLog YAML configuration.",
    subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

  @ParentCommand TrainlogCli root;

  @Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Validate a YAML exactly as LogDispatcher.fromYaml does and print each backend's effective"
          + " settings (secrets redacted) and its sampling in words.")
  static final class Check implements Callable<Integer> {

    @ParentCommand ConfigCommand parent;

    @Parameters(paramLabel = "FILE.yaml", description = "The configuration to check.")
    Path file;

    @Option(names = "--ping", description = "Also try each backend: MongoDB ping, MLflow /health, directories"
        + " writable.")
    boolean ping;

    @Option(names = "--for", paramLabel = "COMMAND", description = "Check it as 'follow' or 'import' use it: each"
        + " run is given (no run: section needed) and ${TRAINLOG_EXPERIMENT} and ${TRAINLOG_RUN_NAME} expand to its"
        + " names.")
    String use;

    @Override
    public Integer call() {
      var out = parent.root.out;
      if (use != null && !use.equals("follow") && !use.equals("import")) {
        throw CliException.usage("--for must be 'follow' or 'import' but was '" + use + "'");
      }
      ConfigCheck report;
      try {
        report = use == null ? ConfigCheck.of(file, Map.of()) : YamlDispatchers.check(file, Map.of());
      } catch (ConfigException e) {
        parent.root.err.println(e.getMessage());
        String hint = PluginHint.of(e);
        if (hint != null) {
          parent.root.err.println(hint);
        }
        if (use == null && fitsFollow()) {
          parent.root.err.println("(for 'trainlog follow' and 'import', which give each run its names, this file has"
              + " no problems: check it with --for follow)");
        }
        return ExitCodes.USAGE;
      }
      if (use == null) {
        out.println("run         " + report.run().experiment() + " / " + report.run().runName() + " (rank "
            + report.run().rank() + " of " + report.run().worldSize() + ")");
      } else {
        out.println("run         given per run by 'trainlog " + use + "'; ${" + YamlDispatchers.EXPERIMENT_VAR
            + "} and ${" + YamlDispatchers.RUN_NAME_VAR + "} expand to its names");
      }
      ConfigCheck.Journal journal = report.journal();
      out.println("journal     " + journal.dir() + ", durability " + journal.durability().yamlName() + ", max-size "
          + journal.maxSize() + " bytes, on-full " + journal.onFull().yamlName());
      out.println("dead letters " + journal.deadLetterDir());
      int failed = 0;
      for (ConfigCheck.Backend b : report.backends()) {
        out.println();
        out.println("backend " + b.name() + " (type " + b.type() + ")");
        out.println("  sampling  " + b.sampling());
        ChannelSettings c = b.channel();
        out.println("  writing   batches of " + c.batchSize() + ", flush every " + Durations.format(c.flushInterval())
            + ", write-timeout " + Durations.format(c.writeTimeout()) + ", retries " + Durations.format(
                c.retryInitialBackoff()) + " to " + Durations.format(c.retryMaxBackoff())
            + (c.onFull() == null ? "" : ", on-full " + c.onFull().yamlName()));
        b.settings().forEach((k, v) -> out.println("  " + k + " = " + v));
        if (ping) {
          String problem = BackendPing.ping(b);
          out.println("  ping      " + (problem == null ? "ok" : "FAILED: " + problem));
          failed += problem == null ? 0 : 1;
        }
      }
      out.flush();
      return failed == 0 ? ExitCodes.OK : ExitCodes.USAGE;
    }

    private boolean fitsFollow() {
      try {
        YamlDispatchers.check(file, Map.of());
        return true;
      } catch (ConfigException e) {
        return false;
      }
    }
  }
}
