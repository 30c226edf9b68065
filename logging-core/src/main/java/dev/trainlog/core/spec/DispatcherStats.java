package dev.trainlog.core.spec;

import java.util.Map;

/**
 * What a dispatcher did: records logged, steps rejected for going backwards, records refused (logged
 * after close, or that the journal could not take), images and artifacts refused (left out of their records
 * because the journal's store could not write them, a full device: the rest of each record was logged), and
 * per-backend counters. Backends write in the background: call {@code flush(timeout)} first for final counts.
 */
public record DispatcherStats(long logged, long rejectedSteps, long refused, long refusedFiles,
    Map<String, BackendStats> backends) {

  /** Without refused files (none). */
  public DispatcherStats(long logged, long rejectedSteps, long refused, Map<String, BackendStats> backends) {
    this(logged, rejectedSteps, refused, 0, backends);
  }

  /** A small table, one line per backend, for printing at the end of a run. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-12s %9s %11s %9s %8s %10s %8s %7s %7s %8s%n", "backend", "accepted", "sampled-out",
        "written", "retried", "behind(B)", "dropped", "failed", "queued", "pending"));
    long pending = 0;
    for (BackendStats s : backends.values()) {
      sb.append(String.format("%-12s %9d %11d %9d %8d %10d %8d %7d %7d %8d%n", s.backend(), s.accepted(),
          s.sampledOut(), s.written(), s.retried(), s.behindBytes(), s.dropped(), s.failed(), s.queued(),
          s.pending()));
      pending += s.pending() + s.queued();
    }
    if (pending > 0) {
      sb.append(String.format("(%d record(s) still on their way: call flush(timeout) before stats() for final"
          + " counts)%n", pending));
    }
    if (refused > 0 || refusedFiles > 0) {
      sb.append(String.format("(not logged: %d record(s) and %d image(s) or artifact(s) the journal could not"
          + " store; see the warnings)%n", refused, refusedFiles));
    }
    return sb.toString();
  }
}
