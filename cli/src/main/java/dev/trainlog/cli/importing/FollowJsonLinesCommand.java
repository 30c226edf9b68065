package dev.trainlog.cli.importing;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trainlog follow jsonl FILE|- --config FILE.yaml}: lines of JSON metrics, as a script prints them. */
@Command(name = "jsonl", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Follow lines of JSON metrics such as {\"step\": 10, \"loss\": 0.31} in FILE as it grows (or on"
        + " standard input with '-') into one run through the backends of the YAML. Where the file was read to is"
        + " kept beside the journal, so a restart neither skips nor repeats. Ends when FILE did not grow for --idle,"
        + " at the end of standard input, or on Ctrl-C or SIGTERM."})
final class FollowJsonLinesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE|-", description = "The file of JSON lines, or '-' for standard input.")
  String source;

  @Mixin JsonLinesOptions options;

  @Override
  public Integer call() throws Exception {
    return FollowJsonLines.run(spec, source, options);
  }
}
