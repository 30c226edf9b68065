package dev.trainlog.cli;

import static dev.trainlog.mongodb.StoreSchema.RUN;

import dev.trainlog.mongodb.StoreSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;
import org.bson.conversions.Bson;

/** The runs of a store, read from the runs collection alone, and how a name on the command line picks some. */
final class RunCatalog {

  private final List<RunView> runs;

  private RunCatalog(List<RunView> runs) {
    this.runs = runs;
  }

  /** The runs whose documents match {@code filter}, oldest first. */
  static RunCatalog load(Store store, Bson filter) {
    Map<String, List<Document>> byRun = new LinkedHashMap<>();
    for (Document d : store.runs().find(filter)) {
      String run = d.getString(RUN);
      if (run != null) {
        byRun.computeIfAbsent(run, r -> new ArrayList<>()).add(d);
      }
    }
    List<RunView> views = byRun.values().stream().map(RunView::new)
        .sorted(Comparator.comparing(RunView::start, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(RunView::experiment, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(RunView::name, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(RunView::runId))
        .collect(Collectors.toList());
    return new RunCatalog(views);
  }

  /** Every run, or exit 1 saying the store is empty. */
  static RunCatalog loadAll(Store store) {
    RunCatalog all = load(store, new Document());
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
