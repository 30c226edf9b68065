package dev.trainlog.cli.importing;

import dev.trainlog.api.RunInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Names an imported run the way Aim's converter does: the experiment is the run directory's parent
 * directory name (unless one is given), the run name the directory's own name. The run id is a hash
 * of the directory's absolute path, so importing or following the same directory again logs records
 * of the same ids, which stores that key on them (MongoDB's {@code _id}) do not take twice.
 */
public final class RunNaming {

  /** What a run id starts with: {@value}. */
  public static final String RUN_ID_PREFIX = "tb-";
  /** The node of an imported run when its event file names no host: {@value}. */
  public static final String UNKNOWN_NODE = "tensorboard";

  private final String experiment;

  /** With {@code experiment} null, each run's parent directory names its experiment. */
  public RunNaming(String experiment) {
    this.experiment = experiment;
  }

  /** The run logged for {@code runDirectory}, whose first event file is {@code firstFile}. */
  public RunInfo run(Path runDirectory, Path firstFile, Map<String, Object> hparams, long startMillis) {
    Path dir = runDirectory.toAbsolutePath().normalize();
    return RunInfo.builder()
        .experiment(experiment != null ? experiment : nameOf(dir.getParent(), "tensorboard"))
        .runName(nameOf(dir, "run"))
        .runId(runId(dir))
        .node(node(firstFile))
        .config(hparams)
        .tag("source", "tensorboard")
        .startTimeMillis(startMillis)
        .build();
  }

  /** {@value #RUN_ID_PREFIX} and the first 16 hex digits of the SHA-256 of the absolute path. */
  public static String runId(Path runDirectory) {
    String path = runDirectory.toAbsolutePath().normalize().toString();
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
      return RUN_ID_PREFIX + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The host label in {@code events.out.tfevents.<seconds>.<host>[.<pid>.<n>]}: its first dot-separated part. */
  static String node(Path eventFile) {
    if (eventFile == null) {
      return UNKNOWN_NODE;
    }
    String[] parts = eventFile.getFileName().toString().split("\\.");
    return parts.length > 4 && !parts[4].isBlank() ? parts[4] : UNKNOWN_NODE;
  }

  private static String nameOf(Path dir, String fallback) {
    Path name = dir == null ? null : dir.getFileName();
    return name == null || name.toString().isBlank() ? fallback : name.toString();
  }
}
