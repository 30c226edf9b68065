package dev.trainlog.mlflow.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives test classes a real MLflow 2.17 tracking server as a {@link Peer} parameter: the one {@code
 * .ci/run} started ({@code MLFLOW_PEER_URI}), or one started here from {@code ../shared/peers/mlflow}
 * (relative to the repository root) once per test JVM and stopped when the JUnit engine finishes or,
 * failing that, when the JVM exits. Without that folder the classes are skipped, except when {@code
 * CI=true}: a CI run must not pass by skipping them.
 */
final class RealMlflowServer implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

  private static final Logger LOG = LoggerFactory.getLogger(RealMlflowServer.class);

  /** The peer's folder relative to the repository root, as the shared README names it. */
  static final String PEER_DIR = "../shared/peers/mlflow";

  /** A first start on a fresh machine installs Debian packages with apt; later ones take seconds. */
  private static final long START_TIMEOUT_MINUTES = 15;

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealMlflowServer.class);

  /** A running server's base URL, e.g. {@code http://127.0.0.1:5055}. */
  record Peer(String trackingUri) {}

  /** One per JVM: the peer, or why there is none (thrown again to every class that asks). */
  private static Peer peer;
  private static RuntimeException unavailable;

  /** Whether the reason for skipping was printed (once per JVM: every test of every class says it in its report). */
  private static boolean said;

  @Override
  public void beforeAll(ExtensionContext context) {
    find(context.getRoot().getStore(NAMESPACE));
  }

  /**
   * Without a server each test is skipped (or in CI fails) on its own, with the reason, so the count says how
   * many did not run; skipping the whole class showed "Tests run: 0" and no reason.
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    if (find(context.getRoot().getStore(NAMESPACE)) == null) {
      throw unavailable;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Peer.class;
  }

  /** The server, or without one a peer of no URI: each test is then skipped in {@link #beforeEach}. */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Peer found = find(context.getRoot().getStore(NAMESPACE));
    return found != null ? found : new Peer(null);
  }

  private static synchronized Peer find(ExtensionContext.Store root) {
    if (peer == null && unavailable == null) {
      try {
        peer = start(root);
      } catch (RuntimeException e) {
        unavailable = e;
      }
    }
    if (unavailable != null && !said) {
      said = true;
      // on the console of the Maven run, not only in the reports
      System.err.println("[SKIPPED] the real-MLflow tests of backend-mlflow: " + unavailable.getMessage());
    }
    return peer;
  }

  private static Peer start(ExtensionContext.Store root) {
    String given = System.getenv("MLFLOW_PEER_URI");
    if (given != null && !given.isBlank()) {
      LOG.info("Using the MLflow peer at {} (MLFLOW_PEER_URI)", given);
      return new Peer(given.trim());
    }
    Path dir = repositoryRoot().resolve(PEER_DIR).normalize();
    if (!Files.isExecutable(dir.resolve("start"))) {
      String why = "the real MLflow server is not available: " + dir + "/start is missing";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(why + ", and CI=true: a CI run must test against it");
      }
      Assumptions.abort(why + " (these tests are skipped outside CI)");
    }
    Started started = Started.start(dir);
    root.put(Started.class, started);
    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "mlflow-peer-stop"));
    return new Peer(started.uri);
  }

  /** The nearest folder above the working directory that holds {@code .ci/run}. */
  private static Path repositoryRoot() {
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(".ci/run"))) {
        return p;
      }
    }
    throw new IllegalStateException("no folder above " + start + " holds .ci/run: where is the repository root?");
  }

  /** A server started by this JVM; closing it (from the engine's root store or a shutdown hook) stops it once. */
  private static final class Started implements AutoCloseable {

    private final Path dir;
    private final String uri;
    private final String pid;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Started(Path dir, String uri, String pid) {
      this.dir = dir;
      this.uri = uri;
      this.pid = pid;
    }

    static Started start(Path dir) {
      LOG.info("Starting the MLflow peer from {} (the first start on a machine installs Debian packages)", dir);
      try {
        Path log = Files.createTempFile("mlflow-peer-start", ".log");
        Process p = new ProcessBuilder(dir.resolve("start").toString())
            .redirectError(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(START_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw new IllegalStateException(dir + "/start did not finish within " + START_TIMEOUT_MINUTES
              + " minutes; its log: " + tail(log));
        }
        String uri = value(out, "MLFLOW_TRACKING_URI=");
        String pid = value(out, "MLFLOW_PEER_PID=");
        if (p.exitValue() != 0 || uri == null || pid == null) {
          throw new IllegalStateException(dir + "/start failed with exit code " + p.exitValue() + " and printed '"
              + out.strip() + "'; its log: " + tail(log));
        }
        Files.deleteIfExists(log);
        LOG.info("MLflow peer {} started (pid {})", uri, pid);
        return new Started(dir, uri, pid);
      } catch (IOException e) {
        throw new IllegalStateException("could not run " + dir + "/start: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + dir + "/start ran", e);
      }
    }

    private static String value(String output, String prefix) {
      return output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).trim())
          .findFirst().orElse(null);
    }

    private static String tail(Path log) throws IOException {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() {
      if (!stopped.compareAndSet(false, true)) {
        return;
      }
      try {
        Process p = new ProcessBuilder(dir.resolve("stop").toString(), pid).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
          LOG.warn("stop {} did not succeed: {}", pid, out.strip());
        }
      } catch (IOException e) {
        LOG.warn("could not stop the MLflow peer {}: {}", pid, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
