package dev.trainlog.cli.ui;

import dev.trainlog.query.spec.AlertCheck;
import dev.trainlog.query.spec.LivePoint;
import dev.trainlog.query.spec.MetricSeries;
import dev.trainlog.query.spec.Reached;
import dev.trainlog.query.spec.RunFilter;
import dev.trainlog.query.spec.RunRecord;
import dev.trainlog.query.spec.Subscription;
import dev.trainlog.query.TrainlogStore;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The read-only JSON API the pages use, and scripts may: runs, one run, a series, the reached query, a diff, a stream. */
final class ApiHandlers {

  /** Points of a series unless {@code points} says otherwise: {@value}. */
  static final int DEFAULT_POINTS = 2000;

  /** The most points one request may ask for: {@value}. */
  static final int MAX_POINTS = 1_000_000;

  private final TrainlogStore store;
  private final Duration pollInterval;

  ApiHandlers(TrainlogStore store, Duration pollInterval) {
    this.store = store;
    this.pollInterval = pollInterval;
  }

  void runs(Context ctx) {
    Instant now = store.clock().instant();
    String metric = orDefault(ctx.queryParam("metric"), "loss");
    List<Map<String, Object>> out = new ArrayList<>();
    for (RunRecord r : store.runs(filter(ctx))) {
      out.add(RunJson.row(r, now, metric));
    }
    json(ctx, out);
  }

  void run(Context ctx) {
    RunRecord run = find(ctx.pathParam("run"));
    json(ctx, RunJson.full(run, store.clock().instant(), store.delivery(run)));
  }

  /**
   * Which alert rules ({@code ?rule=loss>2&rule=nan(loss)}, the words of {@code watch --alert}) fired over
   * the run's stored points; without a rule, {@code nan(m)} for each scalar metric m. The store keeps no
   * record of alerts, so they are worked out again from the points.
   */
  void alerts(Context ctx) {
    RunRecord run = find(ctx.pathParam("run"));
    List<AlertCheck> checks = new ArrayList<>();
    for (String rule : ctx.queryParams("rule")) {
      if (!rule.isBlank()) {
        try {
          checks.add(AlertCheck.parse(rule));
        } catch (IllegalArgumentException e) {
          throw ApiError.badRequest("rule was '" + rule + "' but it must read " + AlertCheck.GRAMMAR);
        }
      }
    }
    if (checks.isEmpty()) {
      run.summary().keySet().forEach(m -> checks.add(new AlertCheck("nan(" + m + ")", AlertCheck.Kind.NON_FINITE, m,
          Double.NaN, null)));
    }
    json(ctx, store.alerts(run, checks).stream().map(RunJson::alert).toList());
  }

  void series(Context ctx) {
    RunRecord run = find(ctx.pathParam("run"));
    String metric = ctx.queryParam("metric");
    if (metric == null || metric.isBlank()) {
      throw ApiError.badRequest("metric is missing: add ?metric=NAME (the run has " + metricNames(run) + ")");
    }
    int points = points(ctx.queryParam("points"));
    MetricSeries s = store.series(run, metric, points);
    if (s.size() == 0 && run.metric(metric).isEmpty()) {
      throw ApiError.notFound("run '" + run.run() + "' has no metric '" + metric + "' (it has " + metricNames(run) + ")");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run", run.run());
    out.put("metric", metric);
    out.put("stored_points", s.storedPoints());
    out.put("steps", s.steps());
    out.put("times", s.times());
    out.put("values", Json.numbers(s.values()));
    json(ctx, out);
  }

  void query(Context ctx) {
    ReachedExpression reached = ReachedExpression.parse(ctx.queryParam("reached"));
    String within = ctx.queryParam("within");
    if (within == null) {
      throw ApiError.badRequest("within is missing: add &within=STEPS, e.g. &within=10000");
    }
    long limit = ReachedExpression.within(within, "within");
    List<Map<String, Object>> out = new ArrayList<>();
    for (Reached r : store.reachedWithin(reached.metric(), reached.threshold(), limit, filter(ctx))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("run", r.run().run());
      m.put("name", r.run().name());
      m.put("experiment", r.run().experiment());
      m.put("metric", r.metric());
      m.put("step", r.step());
      m.put("time", r.time().toString());
      m.put("value", Json.number(r.value()));
      out.add(m);
    }
    json(ctx, out);
  }

  void diff(Context ctx) {
    List<RunRecord> runs = new ArrayList<>();
    for (String id : orDefault(ctx.queryParam("runs"), "").split(",")) {
      if (!id.isBlank()) {
        runs.add(find(id.trim()));
      }
    }
    json(ctx, Map.of("runs", runs.stream().map(RunRecord::run).toList(), "diff", TrainlogStore.configDiff(runs)));
  }

  /** Server-Sent Events "points": {@code {metric: {steps, values}}} as new points of the run reach the store. */
  void stream(Context ctx) throws Exception {
    String id = ctx.queryParam("run");
    if (id == null) {
      throw ApiError.badRequest("run is missing: add ?run=RUN_ID");
    }
    RunRecord run = find(id);
    String after = ctx.queryParam("after");
    long afterStep = after == null ? -1 : ReachedExpression.within(after, "after");
    new SseHandler(client -> feed(client, run, afterStep)).handle(ctx);
  }

  private void feed(SseClient client, RunRecord run, long afterStep) {
    client.keepAlive();
    // only the feed's thread writes to the client: Jetty refuses a write while another is in progress
    Subscription sub = store.subscribe(run, afterStep, pollInterval, points -> send(client, points));
    client.onClose(sub::close);
  }

  private static void send(SseClient client, List<LivePoint> points) {
    Map<String, Map<String, List<Object>>> byMetric = new LinkedHashMap<>();
    for (LivePoint p : points) {
      Map<String, List<Object>> m = byMetric.computeIfAbsent(p.metric(), k -> {
        Map<String, List<Object>> s = new LinkedHashMap<>();
        s.put("steps", new ArrayList<>());
        s.put("values", new ArrayList<>());
        return s;
      });
      m.get("steps").add(p.step());
      m.get("values").add(Json.number(p.value()));
    }
    synchronized (client) {
      if (!client.terminated()) {
        client.sendEvent("points", Json.write(byMetric));
      }
    }
  }

  private RunRecord find(String id) {
    return store.run(id).orElseThrow(() -> ApiError.notFound("no run '" + id + "' in the store (see /api/runs)"));
  }

  private static String metricNames(RunRecord run) {
    return run.summary().isEmpty() ? "no scalar metric yet" : String.join(", ", run.summary().keySet());
  }

  private RunFilter filter(Context ctx) {
    RunFilter f = RunFilter.ALL.withExperiment(blankToNull(ctx.queryParam("experiment")))
        .withStatus(blankToNull(ctx.queryParam("status"))).withText(blankToNull(ctx.queryParam("text")));
    String since = blankToNull(ctx.queryParam("since"));
    if (since != null) {
      f = f.withSince(store.clock().instant().minus(ReachedExpression.age(since, "since")));
    }
    for (String where : ctx.queryParams("where")) {
      if (where.isBlank()) {
        continue;
      }
      int eq = where.indexOf('=');
      if (!where.startsWith("config.") || eq < 0) {
        throw ApiError.badRequest("where was '" + where + "' but it must read config.KEY=VALUE");
      }
      f = f.withConfig(where.substring("config.".length(), eq), where.substring(eq + 1));
    }
    return f;
  }

  private static int points(String text) {
    if (text == null) {
      return DEFAULT_POINTS;
    }
    try {
      int n = Integer.parseInt(text.trim());
      if (n >= 3 && n <= MAX_POINTS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // one message below
    }
    throw ApiError.badRequest("points was '" + text + "' but it must be a whole number from 3 to " + MAX_POINTS);
  }

  private static String orDefault(String v, String fallback) {
    return v == null || v.isBlank() ? fallback : v;
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v;
  }

  static void json(Context ctx, Object value) {
    ctx.contentType("application/json").result(Json.write(value));
  }
}
