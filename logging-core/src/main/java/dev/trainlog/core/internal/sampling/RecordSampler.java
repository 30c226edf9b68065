package dev.trainlog.core.internal.sampling;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.MetricValues;
import dev.trainlog.core.internal.journal.HeaderCheck;
import dev.trainlog.core.internal.pipeline.Gate;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.Sampler;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Decides, for one backend's worker, what that backend keeps of each logged step. Made by {@link
 * #of(SampleSpec)}; it holds per-backend state, is not thread-safe and is called on the
 * backend's worker thread for every record it reads, so the common "skip, no reduce" path allocates nothing.
 *
 * <p>Each offered record goes through these stages, in order:
 *
 * <ol>
 *   <li><b>Key filter.</b> Top-level metric keys not passed by the backend's {@code include:} /
 *       {@code exclude:} globs are dropped; a record with no key left is skipped.
 *   <li><b>Pass-through.</b> A forced record ({@link LogRecord#forced()}) and, unless {@code
 *       non-finite: sample}, a record whose remaining values hold NaN or ±Infinity are kept whole.
 *       No sampler sees them and they are not folded into any reduce window (the window carries on).
 *   <li><b>Sampling.</b> Keys matching an {@code overrides:} glob (first match in declaration order)
 *       are decided by that override's own sampler, with its own state and reduce window; the other
 *       keys by the base rule. A sampler is asked only about records that hold at least one of its
 *       keys. The kept parts are merged into one record; when nothing is kept the result is {@code
 *       null}. Globs are matched against top-level keys only.
 *   <li><b>Reduce.</b> With {@code reduce: last|mean|min|max} (an override inherits its parent's
 *       unless it sets its own), every step a group skips is folded into the group's window, and
 *       the next kept step emits the window: every step offered after the previous emit up to and
 *       including the kept one. Scalars reduce over the values present; vectors element-wise when
 *       their lengths agree, else the last vector; texts keep the last value; nested maps reduce key
 *       by key. A key seen only in skipped steps is still emitted with its reduced value. Without
 *       reduce, skipped steps are dropped.
 * </ol>
 *
 * <p>An emitted record keeps the kept step's step, sequence and timestamp; its keys come in the order
 * the kept step logged them, followed by keys seen only in skipped steps in the order they first
 * appeared. A record kept whole and unchanged is returned as the same instance. The record drained
 * at close ({@link #drainPending}) has the last folded step's step and time but a sequence of its own.
 */
public final class RecordSampler implements Gate {

  private static final int DROPPED = KeyRoutes.DROPPED;
  private static final int BASE = KeyRoutes.BASE;

  private final boolean nonFinitePassThrough;
  private final Sampler[] samplers;
  private final ReduceWindow[] windows;
  private final KeyRoutes routes;
  private final boolean routeKeys;
  private final boolean anyReduce;
  private final int imagesGroup;
  private final boolean[] present;
  private final boolean[] keep;
  private LogRecord lastFolded;

  // Per-offer scratch state, kept in fields so the map visitors below need no allocation.
  private final NonFiniteScan nonFiniteScan = new NonFiniteScan();
  private final BiConsumer<String, Object> routeScan = this::scanKey;
  private final BiConsumer<String, Object> foldScan = this::foldKey;
  private int keptKeys;
  private boolean droppedKeys;
  private boolean keptNonFinite;
  private LogRecord folding;

  /** A fresh sampler for one backend's worker, as {@code spec} says; see {@link SamplerFactory}. */
  public static RecordSampler of(SampleSpec spec) {
    return SamplerFactory.recordSampler(spec);
  }

  /**
   * Group 0 is the base rule; group {@code i + 1} is the override matched by {@code overrideGlobs[i]}; the
   * last two groups decide images and artifacts that no override matched.
   */
  RecordSampler(KeyFilter filter, boolean nonFinitePassThrough, Sampler[] samplers, Reduce[] reduces,
      Glob[] overrideGlobs) {
    this.nonFinitePassThrough = nonFinitePassThrough;
    this.samplers = samplers.clone();
    this.windows = new ReduceWindow[samplers.length];
    boolean reduced = false;
    for (int g = 0; g < samplers.length; g++) {
      windows[g] = reduces[g] == Reduce.NONE || samplers[g] == null ? null : new ReduceWindow(reduces[g]);
      reduced |= windows[g] != null;
    }
    this.anyReduce = reduced;
    this.routeKeys = !filter.acceptsAll() || overrideGlobs.length > 0;
    this.imagesGroup = samplers.length - 2;
    this.routes = new KeyRoutes(filter, overrideGlobs, samplers[imagesGroup] != null, samplers.length - 1);
    this.present = new boolean[samplers.length];
    this.keep = new boolean[samplers.length];
  }

  /**
   * What this backend queues for {@code record}: the record itself, a record with fewer keys or
   * reduced values, or {@code null} when the backend skips the step.
   */
  @Override
  public LogRecord offer(LogRecord record) {
    return offer(record, UNKNOWN);
  }

  /** As {@link #offer(LogRecord)}, with what the journal record's header says ({@link Gate#NON_FINITE} ...). */
  @Override
  public LogRecord offer(LogRecord record, int flags) {
    boolean files = flags == UNKNOWN ? MetricValues.hasFiles(record.metrics()) : (flags & HAS_FILES) != 0;
    return routeKeys || files ? offerRouted(record) : offerWhole(record, flags);
  }

  /**
   * From a journal record's header: with neither key routes, files nor a reduce window, the base rule
   * decides the record whole, exactly as {@link #offer(LogRecord, int)} would (and is asked once).
   */
  @Override
  public int decide(long step, long timestampMillis, int flags, boolean forced) {
    if (routeKeys || (flags & HAS_FILES) != 0 || windows[BASE] != null) {
      return HeaderCheck.LOOK;
    }
    if (forced || (nonFinitePassThrough && (flags & NON_FINITE) != 0)) {
      return HeaderCheck.KEEP;
    }
    return samplers[BASE].shouldLog(step, timestampMillis) ? HeaderCheck.KEEP : HeaderCheck.SKIP;
  }

  private static boolean isFile(Object value) {
    return value instanceof Images || value instanceof Artifact;
  }

  /**
   * Whether this backend would keep {@code key} at {@code step} if logged at {@code nowMillis}; safe from any
   * thread: it reads only the immutable routing and what time rules publish.
   */
  @Override
  public boolean wants(String key, long step, long nowMillis, boolean image) {
    int g = routes.compute(key);
    if (g == DROPPED) {
      return false;
    }
    if (g == BASE && image && samplers[imagesGroup] != null) {
      g = imagesGroup;
    }
    return Predicting.wouldLog(samplers[g], step, nowMillis);
  }

  /**
   * Folded steps never emitted, as one record with the last folded step's step and time and the
   * given {@code sequence}, or {@code null}; the windows are emptied. Call on close so a reduced
   * backend loses nothing. With overrides, that step may already have been emitted in part (e.g. its
   * {@code eval/*} keys): the fresh sequence keeps the two records' ids apart, so a backend that
   * refuses duplicate ids (MongoDB) stores both.
   */
  @Override
  public LogRecord drainPending(long sequence) {
    if (lastFolded == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : lastFolded.metrics().keySet()) {
      int g = routeKeys ? routes.of(key, lastFolded.metrics().get(key)) : BASE;
      if (g != DROPPED && windows[g] != null && windows[g].contains(key)) {
        out.put(key, windows[g].result(key));
      }
    }
    for (ReduceWindow w : windows) {
      if (w != null) {
        w.appendMissing(out);
        w.clear();
      }
    }
    LogRecord last = lastFolded;
    lastFolded = null;
    if (out.isEmpty()) {
      return null;
    }
    return new LogRecord(last.run(), last.step(), sequence, last.timestampMillis(), MetricMap.copyOf(out),
        last.forced());
  }

  @Override
  public boolean holdsPending() {
    return lastFolded != null;
  }

  private LogRecord offerWhole(LogRecord r, int flags) {
    Map<String, Object> metrics = r.metrics();
    if (metrics.isEmpty()) {
      return null;
    }
    if (r.forced() || (nonFinitePassThrough
        && (flags == UNKNOWN ? nonFiniteScan.in(metrics) : (flags & NON_FINITE) != 0))) {
      return r;
    }
    boolean kept = samplers[BASE].shouldLog(r.step(), r.timestampMillis());
    ReduceWindow w = windows[BASE];
    if (w == null) {
      return kept ? r : null;
    }
    metrics.forEach(w::fold);
    lastFolded = r;
    if (!kept) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : metrics.keySet()) {
      out.put(key, w.result(key));
    }
    w.appendMissing(out);
    w.clear();
    lastFolded = null;
    return r.withMetrics(MetricMap.copyOf(out));
  }

  private LogRecord offerRouted(LogRecord r) {
    Arrays.fill(present, false);
    keptKeys = 0;
    droppedKeys = false;
    keptNonFinite = false;
    r.metrics().forEach(routeScan);
    boolean dropped = droppedKeys;
    if (keptKeys == 0) {
      return null;
    }
    if (r.forced() || keptNonFinite) {
      return dropped ? r.withMetrics(filtered(r)) : r;
    }
    boolean anyKept = false;
    boolean changed = dropped;
    for (int g = 0; g < samplers.length; g++) {
      keep[g] = present[g] && samplers[g].shouldLog(r.step(), r.timestampMillis());
      anyKept |= keep[g];
      changed |= (present[g] && !keep[g]) || (keep[g] && windows[g] != null);
    }
    if (anyReduce) {
      fold(r);
    }
    if (!anyKept) {
      return null;
    }
    if (!changed) {
      return r;
    }
    return r.withMetrics(merge(r));
  }

  private void fold(LogRecord r) {
    folding = r;
    r.metrics().forEach(foldScan);
    folding = null;
  }

  /** Routes one key of the offered record: counts what the filter keeps and which groups appear. */
  private void scanKey(String key, Object value) {
    int g = routes.of(key, value);
    if (g == DROPPED) {
      droppedKeys = true;
      return;
    }
    keptKeys++;
    present[g] = true;
    keptNonFinite = keptNonFinite || (nonFinitePassThrough && nonFiniteScan.in(value));
  }

  private void foldKey(String key, Object value) {
    int g = routes.of(key, value);
    // an image or artifact is never folded: a skipped one is dropped, even under a reducing override
    if (g != DROPPED && windows[g] != null && !isFile(value)) {
      windows[g].fold(key, value);
      lastFolded = folding;
    }
  }

  private Map<String, Object> merge(LogRecord r) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : r.metrics().entrySet()) {
      int g = routes.of(e.getKey(), e.getValue());
      if (g != DROPPED && keep[g]) {
        boolean asIs = windows[g] == null || isFile(e.getValue());
        out.put(e.getKey(), asIs ? e.getValue() : windows[g].result(e.getKey()));
      }
    }
    boolean pending = false;
    for (int g = 0; g < windows.length; g++) {
      if (windows[g] != null) {
        if (keep[g]) {
          windows[g].appendMissing(out);
          windows[g].clear();
        }
        pending |= !windows[g].isEmpty();
      }
    }
    if (!pending) {
      lastFolded = null;
    }
    return MetricMap.copyOf(out);
  }

  private Map<String, Object> filtered(LogRecord r) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : r.metrics().entrySet()) {
      if (routes.of(e.getKey(), e.getValue()) != DROPPED) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return MetricMap.copyOf(out);
  }
}
