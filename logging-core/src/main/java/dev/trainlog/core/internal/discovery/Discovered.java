package dev.trainlog.core.internal.discovery;

import dev.trainlog.spi.Spi;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers of one kind (backend or sampler) sorted by type: the usable ones, and for every other
 * type the reason it cannot be used (built for another SPI, or claimed by two providers). Reasons are
 * logged once here and raised only if a configuration asks for that type.
 */
final class Discovered<P> {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

  private final Map<String, P> usable = new TreeMap<>();
  private final Map<String, String> refused = new TreeMap<>();

  Discovered(String kind, List<P> providers, Function<P, String> type, ToIntFunction<P> spiVersion) {
    Map<String, List<P>> byType = new TreeMap<>();
    for (P p : providers) {
      String t;
      int version;
      try {
        t = type.apply(p);
        version = spiVersion.applyAsInt(p);
      } catch (RuntimeException | LinkageError e) {
        // a plugin compiled against an older API may lack the methods entirely
        LOG.warn("{} provider {} is ignored: it does not implement this TrainLog SPI ({})", kind,
            p.getClass().getName(), e.toString());
        continue;
      }
      if (version != Spi.VERSION) {
        String reason = kind + " provider " + p.getClass().getName() + " (type '" + t + "') was built for TrainLog SPI "
            + version + ", but this trainlog-core implements SPI " + Spi.VERSION
            + "; use a version of that plugin built for SPI " + Spi.VERSION;
        LOG.warn(reason);
        refused.putIfAbsent(t, reason);
        continue;
      }
      byType.computeIfAbsent(t, k -> new ArrayList<>()).add(p);
    }
    for (Map.Entry<String, List<P>> e : byType.entrySet()) {
      List<P> claimants = e.getValue();
      if (claimants.size() == 1) {
        usable.put(e.getKey(), claimants.get(0));
        refused.remove(e.getKey());
      } else {
        List<String> classes = new ArrayList<>();
        claimants.forEach(p -> classes.add(p.getClass().getName()));
        String reason = classes.size() + " " + kind + " providers claim type '" + e.getKey() + "': "
            + String.join(" and ", classes) + "; keep only one of them on the classpath";
        LOG.warn(reason);
        refused.put(e.getKey(), reason);
      }
    }
  }

  Map<String, P> usable() {
    return Collections.unmodifiableMap(usable);
  }

  /** Why {@code type} cannot be used, or {@code null} when it is usable or unknown. */
  String refusal(String type) {
    return refused.get(type);
  }

  /** Every type a provider is installed for, usable or not, sorted. */
  List<String> installedTypes() {
    TreeMap<String, Boolean> all = new TreeMap<>();
    usable.keySet().forEach(t -> all.put(t, true));
    refused.keySet().forEach(t -> all.put(t, true));
    return List.copyOf(all.keySet());
  }
}
