package dev.trainlog.cli;

import static dev.trainlog.mongodb.schema.StoreSchema.RUN;

import dev.trainlog.cli.common.CliException;
import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.mongodb.SeriesBackfill;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code trainlog store rollups [--run R]}: rebuilds the series rollups (what charts and reached-within read
 * instead of every step) of each run stored without them, or of the named run, from its step documents.
 */
@Command(name = "rollups", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Rebuild the series rollups of every run that has none (runs written before TrainLog kept them),"
        + " or of one run, from its step documents; charts and reached-within then read buckets, not every step."
        + " Safe to run again.")
final class StoreRollupsCommand implements Callable<Integer> {

  @ParentCommand StoreCommand store;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--run", paramLabel = "RUN", description = "Rebuild this run's rollups, even if it has some.")
  String run;

  @Override
  public Integer call() {
    StoreSpec spec = storeOptions.spec();
    PrintWriter out = store.root.out;
    try (Store source = Store.open(spec)) {
      SeriesBackfill backfill = SeriesBackfill.on(source.database(), spec.collection());
      Set<String> runs = source.runs().distinct(RUN, String.class).into(new LinkedHashSet<>());
      List<String> todo = new ArrayList<>();
      if (run != null) {
        todo.add(run);
      } else {
        Set<String> have = backfill.runsWithRollups();
        runs.stream().filter(r -> !have.contains(r)).forEach(todo::add);
        if (todo.isEmpty()) {
          out.println("every run of " + source.description() + " has series rollups (" + runs.size()
              + " run(s)); nothing to do");
          return ExitCodes.OK;
        }
        out.println("rebuilding the series rollups of " + todo.size() + " of " + runs.size() + " run(s) of "
            + source.description());
      }
      long buckets = 0;
      long steps = 0;
      for (String r : todo) {
        SeriesBackfill.Rebuilt done = backfill.rebuild(r);
        if (done.steps() == 0 && run != null) {
          throw new CliException(ExitCodes.NOTHING_MATCHED, "run " + r + " has no step documents in "
              + source.description() + " (collection " + spec.collection() + ")");
        }
        out.println(r + ": " + done.steps() + " step(s), " + done.points() + " point(s), " + done.buckets()
            + " bucket(s)" + (done.removed() > 0 ? ", " + done.removed() + " stale bucket(s) removed" : ""));
        out.flush();
        buckets += done.buckets();
        steps += done.steps();
      }
      out.println("rebuilt " + todo.size() + " run(s): " + buckets + " bucket(s) from " + steps + " step document(s)");
      return ExitCodes.OK;
    }
  }
}
