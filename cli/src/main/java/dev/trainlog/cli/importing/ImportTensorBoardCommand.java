package dev.trainlog.cli.importing;

import dev.trainlog.cli.common.CommandEnv;
import dev.trainlog.cli.common.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trainlog import tensorboard DIR --config FILE}: every run under DIR, once. */
@Command(name = "tensorboard", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Import every TensorBoard run under DIR (any directory holding event files) through the "
        + "backends of the YAML, each with its own sampling. Experiment: --experiment or the run directory's "
        + "parent directory name; run name: the run directory's name. Importing again adds nothing."})
final class ImportTensorBoardCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "The TensorBoard log directory.")
  Path dir;

  @Mixin TensorBoardTarget target;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("DIR " + dir + " is not a directory");
    }
    PrintWriter out = spec.commandLine().getOut();
    YamlDispatchers dispatchers = new YamlDispatchers(target.config, Map.of());
    if (!dispatchers.deliverLeftovers(out)) {
      out.println("not all of it could be written yet: it stays in " + dispatchers.journalDir() + " for the next run"
          + " sent");
    }
    ImportProgress progress = new ImportProgress(out, System.console() != null);
    long started = System.nanoTime();
    Deliveries deliveries = new Deliveries(out, false);
    TbImporter importer = new TbImporter(target.naming(), dispatchers, progress, deliveries,
        CommandEnv.stop(spec)::requested);
    ImportTotals totals = importer.importAll(dir);
    double seconds = (System.nanoTime() - started) / 1e9;
    out.println(String.format(Locale.ROOT, "%simported %s in %.1f s (%.0f scalars/s)",
        importer.stopped() ? "stopped (the run being read is closed as killed): " : "", totals.describe(), seconds,
        totals.scalars() / Math.max(seconds, 1e-9)));
    out.println(deliveries.describe());
    out.flush();
    return totals.undeliveredRuns() > 0 ? ExitCodes.USAGE : ExitCodes.OK;
  }
}
