package dev.trainlog.benchmarks;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.trainlog.api.RunInfo;
import dev.trainlog.core.internal.config.SettingsView;
import dev.trainlog.mongodb.internal.MongoBackendProvider;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.tensorboard.internal.TensorBoardBackendProvider;
import dev.trainlog.testkit.TestBackendContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** What the harness mains share: argument parsing, quiet logging, the in-process server, backends. */
final class Harness {

  private Harness() {}

  /** Keeps the benchmark output to results: servers and drivers log at warn and above only. */
  static void quietLogs() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.de.bwaldvogel", "off");
  }

  static int intArg(String[] args, int index, int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }

  static Path pathArg(String[] args, int index, String fallback) {
    return Path.of(args.length > index ? args[index] : fallback);
  }

  /** An in-memory mongo-java-server on a free local port, spoken to over TCP like a real one. */
  static MongoServer startMongo() {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", 0);
    return server;
  }

  static String uri(MongoServer server) {
    InetSocketAddress address = server.getLocalAddress();
    return "mongodb://127.0.0.1:" + address.getPort();
  }

  static LogBackend mongoBackend(RunInfo run, String uri, String database, String collection, Path dir)
      throws Exception {
    return backend(new MongoBackendProvider(), "mongo", run,
        Map.of("uri", uri, "database", database, "collection", collection), dir);
  }

  static LogBackend tensorBoardBackend(RunInfo run, Path logDir, Path dir) throws Exception {
    return backend(new TensorBoardBackendProvider(), "tensorboard", run, Map.of("log-dir", logDir.toString()), dir);
  }

  /** A backend from YAML-shaped {@code settings} through its provider, as the core builds it; throws bad settings. */
  static LogBackend backend(BackendProvider provider, String name, RunInfo run, Map<String, ?> settings, Path dir)
      throws Exception {
    SettingsView view = SettingsView.of("backends." + name, settings);
    LogBackend backend = provider.create(new TestBackendContext(name, run, view, Map.of(), dir, Clock.systemUTC()));
    view.throwIfAny();
    return backend;
  }

  /** The document the MongoDB backend stores for a record, built by hand as a raw-driver user would. */
  static Document seedDocument(RunInfo run, long step, long sequence, long millis, Map<String, Object> metrics) {
    Document m = new Document();
    for (Map.Entry<String, Object> e : metrics.entrySet()) {
      Object v = e.getValue();
      if (v instanceof double[]) {
        List<Double> list = new ArrayList<>();
        for (double d : (double[]) v) {
          list.add(d);
        }
        v = list;
      }
      m.append(e.getKey(), v);
    }
    return new Document("_id", run.runId() + "/" + run.rank() + "/" + step + "/" + sequence)
        .append("exp_name", run.experiment())
        .append("run", run.runId())
        .append("step", step)
        .append("rank", run.rank())
        .append("node", run.node())
        .append("metrics", m)
        .append("config", new Document(run.config()))
        .append("timestamp", new Date(millis));
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
