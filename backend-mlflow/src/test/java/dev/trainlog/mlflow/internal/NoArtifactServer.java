package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A second MLflow 2.17 server with artifact serving off, started by a copy of the peer's own {@code start}
 * (same packages, same health wait; the script takes no server options) whose launch line has {@code
 * --no-serve-artifacts --default-artifact-root ROOT} instead of {@code --serve-artifacts
 * --artifacts-destination}. Without the peer's folder it is skipped, except when {@code CI=true}.
 */
final class NoArtifactServer implements AutoCloseable {

  private static final String SERVED = "--serve-artifacts --artifacts-destination \"$DATA/artifacts\"";

  final String uri;
  private final Path peer;
  private final String pid;

  private NoArtifactServer(String uri, Path peer, String pid) {
    this.uri = uri;
    this.peer = peer;
    this.pid = pid;
  }

  /** Starts one whose runs get {@code artifactRoot} ({@code $DATA/artifacts} is the server's data folder). */
  static NoArtifactServer start(Path scratch, String artifactRoot) throws IOException, InterruptedException {
    Path peer = peerDir();
    String script = Files.readString(peer.resolve("start"));
    if (!script.contains(SERVED)) {
      fail(peer + "/start no longer launches the server with " + SERVED + "; update " + NoArtifactServer.class);
    }
    Path dir = Files.createDirectories(scratch.resolve("no-artifact-peer"));
    Path start = dir.resolve("start");
    Files.writeString(start, script.replace(SERVED, "--no-serve-artifacts --default-artifact-root " + artifactRoot));
    Files.setPosixFilePermissions(start, PosixFilePermissions.fromString("rwx------"));
    Path tarball = Files.createSymbolicLink(dir.resolve("mlflow-2.17.0-server.tar.gz"),
        peer.resolve("mlflow-2.17.0-server.tar.gz"));
    Path log = dir.resolve("start.log");
    Process p = new ProcessBuilder(start.toString()).redirectError(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      fail("the MLflow server without artifact serving did not start: " + out + Files.readString(log));
    }
    Files.delete(tarball); // read once by start (unpacked into its cache); no link left for the temp dir's cleanup
    return new NoArtifactServer(value(out, "MLFLOW_TRACKING_URI="), peer, value(out, "MLFLOW_PEER_PID="));
  }

  private static Path peerDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(".ci/run"))) {
        Path peer = p.resolve(RealMlflowServer.PEER_DIR).normalize();
        if (Files.isExecutable(peer.resolve("start"))) {
          return peer;
        }
        String why = "the real MLflow server is not available: " + peer + "/start is missing";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
          fail(why + ", and CI=true: a CI run must test against it");
        }
        Assumptions.abort(why + " (skipped outside CI)");
      }
    }
    throw new IllegalStateException("no folder above the working directory holds .ci/run");
  }

  private static String value(String output, String prefix) {
    return output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).trim())
        .findFirst().orElseThrow(() -> new IllegalStateException("start printed no " + prefix + ": " + output));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(peer.resolve("stop").toString(), pid).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor(1, TimeUnit.MINUTES);
  }
}
