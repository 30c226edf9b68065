package dev.trainlog.cli.importing;

import dev.trainlog.core.ConfigCheck;
import dev.trainlog.core.spec.BackendStats;
import dev.trainlog.core.spec.DispatcherStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * Watches, for a follower, whether each backend delivers: one that has taken nothing for {@link
 * #STALL} while records wait says so in one line (with why, when its server does not answer), then at
 * most once per {@link #REPEAT} while it lasts, and once when it delivers again. This replaces the
 * per-attempt warnings of the backends and drivers on the command line.
 */
final class BackendHealth implements AutoCloseable {

  /** How long a backend may take nothing while records wait before it is reported: {@code 15 s}. */
  static final Duration STALL = Duration.ofSeconds(15);
  /** How often a backend that still takes nothing is reported again: {@code 1 min}. */
  static final Duration REPEAT = Duration.ofMinutes(1);

  private final PrintWriter err;
  private final Map<String, ConfigCheck.Backend> backends = new HashMap<>();
  private final BiFunction<String, Map<String, Object>, String> reach;
  private final Map<String, State> states = new HashMap<>();
  private final ExecutorService probes = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "trainlog-backend-health");
    t.setDaemon(true);
    return t;
  });

  /** {@code reach} tells why a backend's server does not answer (type, settings), or null: {@link ServerReach}. */
  BackendHealth(PrintWriter err, List<ConfigCheck.Backend> configured,
      BiFunction<String, Map<String, Object>, String> reach) {
    this.err = err;
    this.reach = reach;
    configured.forEach(b -> backends.put(b.name(), b));
  }

  /** Looks at the open runs' counters at {@code nowMillis}; prints what changed. */
  void check(List<DispatcherStats> open, long nowMillis) {
    Map<String, long[]> sums = new HashMap<>();
    for (DispatcherStats d : open) {
      for (BackendStats b : d.backends().values()) {
        long[] s = sums.computeIfAbsent(b.backend(), k -> new long[2]);
        s[0] += b.written() + b.failed();
        s[1] += Deliveries.waiting(b);
      }
    }
    sums.forEach((name, s) -> states.computeIfAbsent(name, n -> new State(nowMillis)).update(name, s[0], s[1],
        nowMillis));
  }

  @Override
  public void close() {
    probes.shutdownNow();
  }

  /** One backend: when it last took something, and what was said about it. */
  private final class State {
    long taken = -1;
    long progressMillis;
    long reportedMillis = -1;
    CompletableFuture<String> probe;

    State(long nowMillis) {
      progressMillis = nowMillis;
    }

    void update(String name, long takenNow, long waiting, long nowMillis) {
      if (takenNow != taken || waiting == 0) {
        if (reportedMillis >= 0 && takenNow > taken && taken >= 0) {
          err.println("trainlog: backend '" + name + "' delivers again");
          err.flush();
          reportedMillis = -1;
        }
        taken = takenNow;
        progressMillis = nowMillis;
        probe = null;
        return;
      }
      boolean due = reportedMillis < 0 ? nowMillis - progressMillis >= STALL.toMillis()
          : nowMillis - reportedMillis >= REPEAT.toMillis();
      if (!due) {
        return;
      }
      ConfigCheck.Backend b = backends.get(name);
      if (probe == null && b != null) {
        probe = CompletableFuture.supplyAsync(() -> reach.apply(b.type(), b.settings()), probes);
      }
      if (probe != null && !probe.isDone()) {
        return; // said at the next look, with the answer
      }
      String why = probe == null ? null : probe.getNow(null);
      probe = null;
      err.println("trainlog: backend '" + name + "'" + (b == null ? "" : " (" + b.type() + ")") + " has delivered"
          + " nothing for " + (nowMillis - progressMillis) / 1000 + " s"
          + (why == null ? "" : ": " + why) + "; " + waiting + " records wait in the journal"
          + (reportedMillis < 0 ? " (said again every minute while it lasts)" : ""));
      err.flush();
      reportedMillis = nowMillis;
    }
  }
}
