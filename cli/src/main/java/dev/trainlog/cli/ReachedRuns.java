package dev.trainlog.cli;

import dev.trainlog.cli.common.CliException;
import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.cli.ui.ReachedExpression;
import dev.trainlog.query.spec.Reached;
import dev.trainlog.query.spec.RunRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code runs --reached 'loss<0.05' --within 10000}: the seed's question over the runs the other options picked. */
final class ReachedRuns {

  private ReachedRuns() {}

  static int print(TrainlogCli root, Store store, List<RunView> picked, String reachedText, String withinText,
      boolean json) {
    if (reachedText == null || withinText == null) {
      throw CliException.usage("--reached and --within go together, e.g. --reached 'loss<0.05' --within 10000");
    }
    ReachedExpression reached;
    long within;
    try {
      reached = ReachedExpression.parse(reachedText);
      within = ReachedExpression.within(withinText, "--within");
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage().startsWith("reached") ? "--" + e.getMessage() : e.getMessage());
    }
    List<RunRecord> candidates = picked.stream().map(RunView::record).toList();
    List<Reached> found = store.query().reachedWithin(reached.metric(), reached.threshold(), within, candidates);
    if (found.isEmpty()) {
      root.err.println("no run reached " + reachedText.trim() + " within "
          + within + " steps (of " + candidates.size() + " run(s) asked)");
      return ExitCodes.NOTHING_MATCHED;
    }
    if (json) {
      root.out.println(Json.write(found.stream().map(ReachedRuns::asMap).toList(), true));
      return ExitCodes.OK;
    }
    Table table = new Table("EXPERIMENT", "NAME", "RUN", "FIRST STEP", "REACHED AT", reached.metric().toUpperCase(
        java.util.Locale.ROOT));
    for (Reached r : found) {
      table.row(r.run().experiment(), r.run().name(), r.run().run(), r.step(), Format.time(r.time()),
          Format.number(r.value()));
    }
    table.print(root.out);
    return ExitCodes.OK;
  }

  private static Map<String, Object> asMap(Reached r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("experiment", r.run().experiment());
    m.put("name", r.run().name());
    m.put("run", r.run().run());
    m.put("metric", r.metric());
    m.put("step", r.step());
    m.put("time", r.time().toString());
    m.put("value", Format.json(r.value()));
    return m;
  }
}
