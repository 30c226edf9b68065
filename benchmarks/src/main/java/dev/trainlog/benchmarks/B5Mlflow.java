package dev.trainlog.benchmarks;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.mlflow.internal.MlflowBackendProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * B5: 100k metrics (20k steps × 5 scalars, every step kept) sent to an MLflow-like server: requests
 * and wall time of the TrainLog backend (log-batch) against a naive client posting one {@code
 * runs/log-metric} per metric. The naive client is timed on a tenth of the metrics and scaled up.
 *
 * <p>Arguments: steps (20000), repeats (5), output JSON file.
 */
public final class B5Mlflow {

  private static final String[] KEYS = {"loss", "lr", "grad_norm", "tokens_per_s", "epoch"};
  private static final int NAIVE_SHARE = 10;

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    int steps = Harness.intArg(args, 0, 20_000);
    int repeats = Harness.intArg(args, 1, 5);
    Path out = Harness.pathArg(args, 2, "benchmarks/target/results/b5.json");
    int metrics = steps * KEYS.length;
    try (MlflowStub server = new MlflowStub()) {
      HttpClient http = HttpClient.newHttpClient();
      trainlog(server, steps);
      trainlog(server, steps);
      naive(server, http, metrics / 20);
      List<Double> tlTime = new ArrayList<>();
      List<Double> tlRequests = new ArrayList<>();
      List<Double> naiveTime = new ArrayList<>();
      List<Double> naiveRequests = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        double[] t = trainlog(server, steps);
        tlTime.add(t[0]);
        tlRequests.add(t[1]);
        double[] n = naive(server, http, metrics / NAIVE_SHARE);
        naiveTime.add(n[0] * NAIVE_SHARE);
        naiveRequests.add((n[1] - 4) * NAIVE_SHARE + 4);
        System.out.printf("B5 repeat %d: TrainLog %.0f requests %.2f s; naive %.0f requests %.2f s (×%d)%n", r + 1,
            t[1], t[0], naiveRequests.get(r), naiveTime.get(r), NAIVE_SHARE);
      }
      String k = metrics / 1000 + "k";
      String naiveName = "naive log-metric per metric (" + metrics / NAIVE_SHARE / 1000 + "k timed, ×"
          + NAIVE_SHARE + ")";
      Row.write(out, List.of(
          Row.of("B5", "MLflow, " + k + " metrics: HTTP requests", "TrainLog (log-batch)",
              Harness.toArray(tlRequests), naiveName, Harness.toArray(naiveRequests), Row.Target.none(),
              "requests include the run's setup (experiment look-up/create, runs/create, params, runs/update)"),
          Row.of("B5", "MLflow, " + k + " metrics: wall time (s)", "TrainLog (log-batch)", Harness.toArray(tlTime),
              naiveName, Harness.toArray(naiveTime), Row.Target.none(), "")));
    }
  }

  /** Logs {@code steps} records of five scalars and closes; returns {seconds, requests}. */
  private static double[] trainlog(MlflowStub server, int steps) throws Exception {
    Path dir = Fixtures.tempDir("b5");
    RunInfo run = Fixtures.run("b5");
    server.reset();
    long t0 = System.nanoTime();
    LogDispatcher dispatcher = LogDispatcher.builder(run)
        .backend("mlflow", Harness.backend(new MlflowBackendProvider(), "mlflow", run,
            Map.of("tracking-uri", server.uri(), "experiment", "b5"), dir.resolve("data")), SampleSpec.always(),
            ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (int s = 0; s < steps; s++) {
      dispatcher.step(s).scalar("loss", Fixtures.loss(s)).scalar("lr", 1e-4).scalar("grad_norm", 0.5)
          .scalar("tokens_per_s", 5120.0).scalar("epoch", s / 1000.0).log();
    }
    if (!dispatcher.close(RunStatus.FINISHED, Duration.ofMinutes(5))) {
      throw new IllegalStateException("MLflow backend did not deliver: " + dispatcher.stats());
    }
    long t1 = System.nanoTime();
    if (server.metrics.get() != (long) steps * KEYS.length) {
      throw new IllegalStateException("server got " + server.metrics.get() + " metrics, expected " + steps * 5L);
    }
    Fixtures.deleteTree(dir);
    return new double[] {Harness.seconds(t1 - t0), server.requests.get()};
  }

  /** One POST per metric after creating the run, then finishing it; returns {seconds, requests}. */
  private static double[] naive(MlflowStub server, HttpClient http, int metrics) throws Exception {
    server.reset();
    String api = server.uri() + "/api/2.0/mlflow/";
    long t0 = System.nanoTime();
    String experiment = "naive-" + System.nanoTime();
    send(http, HttpRequest.newBuilder(URI.create(api + "experiments/get-by-name?experiment_name=" + experiment))
        .GET().build());
    String created = send(http, post(api + "experiments/create", "{\"name\":\"" + experiment + "\"}"));
    String experimentId = created.replaceAll(".*\"experiment_id\":\"([^\"]+)\".*", "$1");
    String run = send(http, post(api + "runs/create", "{\"experiment_id\":\"" + experimentId + "\"}"))
        .replaceAll(".*\"run_id\":\"([^\"]+)\".*", "$1");
    for (int i = 0; i < metrics; i++) {
      long step = i / KEYS.length;
      String body = "{\"run_id\":\"" + run + "\",\"key\":\"" + KEYS[i % KEYS.length] + "\",\"value\":"
          + Fixtures.loss(step) + ",\"timestamp\":" + System.currentTimeMillis() + ",\"step\":" + step + "}";
      send(http, post(api + "runs/log-metric", body));
    }
    send(http, post(api + "runs/update", "{\"run_id\":\"" + run + "\",\"status\":\"FINISHED\"}"));
    long t1 = System.nanoTime();
    if (server.metrics.get() != metrics) {
      throw new IllegalStateException("server got " + server.metrics.get() + " metrics, expected " + metrics);
    }
    return new double[] {Harness.seconds(t1 - t0), server.requests.get()};
  }

  private static HttpRequest post(String uri, String body) {
    return HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static String send(HttpClient http, HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }
}
