package dev.trainlog.cli.importing;

import java.util.Map;
import java.util.TreeMap;

/** What an import read and sent: counted per run and summed over runs. Not thread-safe. */
public final class ImportTotals {

  long runs;
  long runsWithoutValues;
  long events;
  long steps;
  long scalars;
  long crcErrors;
  long truncatedTails;
  long undeliveredRuns;
  final Map<String, Long> skipped = new TreeMap<>();

  void add(ImportTotals run) {
    runs += run.runs;
    runsWithoutValues += run.runsWithoutValues;
    events += run.events;
    steps += run.steps;
    scalars += run.scalars;
    crcErrors += run.crcErrors;
    truncatedTails += run.truncatedTails;
    undeliveredRuns += run.undeliveredRuns;
    run.skipped.forEach((k, n) -> skipped.merge(k, n, Long::sum));
  }

  public long runs() {
    return runs;
  }

  public long events() {
    return events;
  }

  /** Steps sent: consecutive events of one step count once. */
  public long steps() {
    return steps;
  }

  public long scalars() {
    return scalars;
  }

  /** Values of kinds not read, by kind. */
  public Map<String, Long> skipped() {
    return Map.copyOf(skipped);
  }

  public long crcErrors() {
    return crcErrors;
  }

  /** Runs whose dispatcher closed with records not delivered (they stay in the journal). */
  public long undeliveredRuns() {
    return undeliveredRuns;
  }

  /** One line: runs, events, steps, scalars, skipped kinds, damage. */
  String describe() {
    StringBuilder b = new StringBuilder();
    b.append(runs).append(runs == 1 ? " run, " : " runs, ").append(events).append(" events, ").append(steps)
        .append(" steps, ").append(scalars).append(" scalars");
    if (runsWithoutValues > 0) {
      b.append(", ").append(runsWithoutValues).append(" without values");
    }
    b.append("; skipped: ");
    if (skipped.isEmpty()) {
      b.append("none");
    } else {
      StringBuilder kinds = new StringBuilder();
      skipped.forEach((k, n) -> kinds.append(kinds.length() == 0 ? "" : ", ").append(k).append(' ').append(n));
      b.append(kinds);
    }
    if (crcErrors > 0) {
      b.append("; damaged stretches skipped: ").append(crcErrors);
    }
    if (truncatedTails > 0) {
      b.append("; files ending in an incomplete record: ").append(truncatedTails);
    }
    if (undeliveredRuns > 0) {
      b.append("; runs with records left in the journal: ").append(undeliveredRuns);
    }
    return b.toString();
  }
}
