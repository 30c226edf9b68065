package dev.trainlog.mlflow.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's provenance as MLflow tags: git commit, branch and remote under MLflow's reserved
 * {@code mlflow.source.git.*} tags (its UI links them), and every field as {@code trainlog.provenance.<key>}.
 * {@code mlflow.source.name} and {@code mlflow.user} are set when the run is created.
 */
final class ProvenanceTags {

  static final String PREFIX = "trainlog.provenance.";
  private static final Map<String, String> RESERVED = Map.of("git_commit", "mlflow.source.git.commit",
      "git_branch", "mlflow.source.git.branch", "git_remote", "mlflow.source.git.repoURL");

  private ProvenanceTags() {}

  static Map<String, String> of(Map<String, String> provenance) {
    Map<String, String> tags = new LinkedHashMap<>();
    provenance.forEach((k, v) -> {
      String reserved = RESERVED.get(k);
      if (reserved != null) {
        tags.put(reserved, v);
      }
    });
    provenance.forEach((k, v) -> tags.put(PREFIX + k, v));
    return tags;
  }
}
