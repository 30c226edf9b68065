package dev.trainlog.cli.importing;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainlog follow}: sends what another program writes through the backends of a YAML as it
 * is written: TensorBoard event files ({@code follow tensorboard DIR}) or lines of JSON metrics
 * ({@code follow jsonl FILE|-}; {@code follow --jsonl FILE|-} is its older, deprecated spelling).
 */
@Command(name = "follow", mixinStandardHelpOptions = true, sortOptions = false,
    subcommands = {FollowTensorBoardCommand.class, FollowJsonLinesCommand.class},
    description = {"Send what a trainer writes through the backends of a TrainLog YAML while it writes it: "
        + "'follow tensorboard DIR' for TensorBoard event files, 'follow jsonl FILE|-' for lines of JSON such as "
        + "{\"step\": 10, \"loss\": 0.31}."})
public final class FollowCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--jsonl", paramLabel = "FILE|-",
      description = "Deprecated: 'follow jsonl FILE|-' does the same with the same options.")
  String jsonl;

  @Mixin JsonLinesOptions options;

  @Override
  public Integer call() throws Exception {
    if (jsonl == null) {
      throw new IllegalArgumentException("say what to follow: 'trainlog follow tensorboard DIR --config FILE.yaml'"
          + " or 'trainlog follow jsonl FILE|- --config FILE.yaml'");
    }
    // scripts written for the first spelling keep working; the note goes to stderr, which they rarely parse
    spec.commandLine().getErr().println("trainlog: 'follow --jsonl FILE|-' is deprecated: use 'follow jsonl FILE|-'"
        + " (the same options)");
    spec.commandLine().getErr().flush();
    return FollowJsonLines.run(spec, jsonl, options);
  }
}
