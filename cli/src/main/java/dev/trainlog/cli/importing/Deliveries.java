package dev.trainlog.cli.importing;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.spec.BackendStats;
import dev.trainlog.core.spec.DispatcherStats;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells a command's output what happened to its runs: a line when a run opens and when it closes
 * (with {@code announce}), and per backend, over every closed run, the records it took and those left
 * waiting in the journal, so "sent" says what each backend got. Runs close on several threads at once.
 */
final class Deliveries implements RunEvents {

  private final PrintWriter out;
  private final boolean announce;
  private final Map<String, long[]> byBackend = new LinkedHashMap<>();

  /** With {@code announce}, a line per run opened and closed goes to {@code out}. */
  Deliveries(PrintWriter out, boolean announce) {
    this.out = out;
    this.announce = announce;
  }

  @Override
  public synchronized void opened(RunInfo run, String why) {
    if (announce) {
      out.println("opened " + run.experiment() + "/" + run.runName() + (why == null ? "" : " " + why) + " (run "
          + run.runId() + ")");
      out.flush();
    }
  }

  @Override
  public synchronized void closed(RunInfo run, long steps, RunStatus status, DispatcherStats stats) {
    List<String> waiting = new ArrayList<>();
    for (BackendStats b : stats.backends().values()) {
      long[] t = byBackend.computeIfAbsent(b.backend(), k -> new long[3]);
      long left = waiting(b);
      t[0] += b.written();
      t[1] += left;
      t[2] += b.failed();
      if (left > 0) {
        waiting.add(left + " for " + b.backend());
      }
    }
    if (announce) {
      out.println("closed " + run.experiment() + "/" + run.runName() + ": " + steps + (steps == 1 ? " step, " : " steps, ")
          + status.name().toLowerCase(java.util.Locale.ROOT)
          + (waiting.isEmpty() ? "" : "; waiting in the journal: " + String.join(", ", waiting)));
      out.flush();
    }
  }

  /** Records of a closed run a backend has not taken: not yet read from the journal, or in the batch it was writing. */
  static long waiting(BackendStats b) {
    return b.pending() + b.queued();
  }

  /**
   * Per backend, what it took and what waits: {@code "sent: mongo 3 records, lines 1 record"}, or with records
   * left {@code "sent: mongo 0 records (21 waiting in the journal), ..."}; {@code "sent: nothing (no run)"} if none.
   */
  synchronized String describe() {
    if (byBackend.isEmpty()) {
      return "sent: nothing (no run)";
    }
    List<String> parts = new ArrayList<>();
    byBackend.forEach((name, t) -> parts.add(name + " " + t[0] + (t[0] == 1 ? " record" : " records")
        + (t[1] > 0 ? " (" + t[1] + " waiting in the journal)" : "")
        + (t[2] > 0 ? " (" + t[2] + " refused, in the dead letters)" : "")));
    return "sent: " + String.join(", ", parts);
  }

  /** Records left waiting in the journal, over every backend. */
  synchronized long waiting() {
    return byBackend.values().stream().mapToLong(t -> t[1]).sum();
  }
}
