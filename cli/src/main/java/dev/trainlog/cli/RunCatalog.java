package dev.trainlog.cli;

import dev.trainlog.cli.common.CliException;
import dev.trainlog.query.spec.RunFilter;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The runs of a store, read from the runs collection alone, and how a name on the command line picks some. */
final class RunCatalog {

  private final List<RunView> runs;

  private RunCatalog(List<RunView> runs) {
    this.runs = runs;
  }

  /** The runs {@code filter} selects, oldest first. */
  static RunCatalog load(Store store, RunFilter filter) {
    return new RunCatalog(store.query().runs(filter).stream().map(RunView::new).toList());
  }

  /** Every run, or exit 1 saying the store is empty. */
  static RunCatalog loadAll(Store store) {
    RunCatalog all = load(store, RunFilter.ALL);
    if (all.runs.isEmpty()) {
      throw CliException.nothing("the store " + store.description() + " has no runs yet (" + store.spec().database()
          + "." + store.spec().runsCollection() + " is empty)");
    }
    return all;
  }

  List<RunView> runs() {
    return runs;
  }

  /**
   * The one run {@code target} names: its id, its name (when unique) or a unique prefix of its id.
   * Exit 1 with suggestions when none does.
   */
  RunView run(String target) {
    List<RunView> found = matchRun(target);
    if (found.size() == 1) {
      return found.get(0);
    }
    if (found.size() > 1) {
      throw CliException.usage("'" + target + "' names " + found.size() + " runs: "
          + found.stream().map(RunView::runId).collect(Collectors.joining(", ")) + "; give a run id");
    }
    throw CliException.nothing(noRun(target));
  }

  /** The runs of an experiment named {@code target}, or the one run it names. */
  List<RunView> runsOrExperiment(String target) {
    List<RunView> experiment = runs.stream().filter(r -> target.equals(r.experiment())).toList();
    if (!experiment.isEmpty()) {
      return experiment;
    }
    return List.of(run(target));
  }

  private List<RunView> matchRun(String target) {
    List<RunView> byId = runs.stream().filter(r -> target.equals(r.runId())).toList();
    if (!byId.isEmpty()) {
      return byId;
    }
    List<RunView> byName = runs.stream().filter(r -> target.equals(r.name())).toList();
    if (!byName.isEmpty()) {
      return byName;
    }
    return runs.stream().filter(r -> r.runId().startsWith(target)).toList();
  }

  private String noRun(String target) {
    Set<String> names = new LinkedHashSet<>();
    runs.forEach(r -> {
      names.add(r.runId());
      names.add(r.name());
      names.add(r.experiment());
    });
    names.remove(null);
    List<String> close = names.stream()
        .filter(n -> Suggestions.distance(target, n) <= Math.max(2, target.length() / 3) || n.contains(target))
        .sorted(Comparator.comparingInt((String n) -> Suggestions.distance(target, n)).thenComparing(n -> n))
        .limit(3).toList();
    if (!close.isEmpty()) {
      return "no run '" + target + "'; did you mean " + close.stream().map(n -> "'" + n + "'")
          .collect(Collectors.joining(" or ")) + "?";
    }
    if (runs.isEmpty()) {
      return "no run '" + target + "'; the store has no runs";
    }
    return "no run '" + target + "'; the store has " + runs.size() + " runs, e.g. "
        + runs.stream().limit(3).map(r -> "'" + r.runId() + "'").collect(Collectors.joining(", "))
        + " (see trainlog runs)";
  }
}
