package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run's provenance read back from the real MLflow server as its reserved source tags and trainlog tags. */
class RealServerProvenanceTest extends RealServerTestBase {

  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void gitStateIsInMlflowsSourceTagsAndTheRestIsTaggedWithTheTokenRedacted() throws Exception {
    RunInfo run = run("with-provenance").toBuilder().provenance(Map.of("git_commit", COMMIT,
        "git_branch", "lora-sweep", "git_remote", "https://github.com/acme/trainer.git", "git_dirty", "true",
        "command", "train.jar --hf-token=hf_abcSECRET --epochs 3")).build();
    MlflowBackend backend = open(config(), run);
    backend.close(RunStatus.FINISHED);

    JsonNode got = runsGet(backend.runId());
    Map<String, String> tags = pairs(got, "tags");
    assertThat(tags).containsEntry("mlflow.source.git.commit", COMMIT)
        .containsEntry("mlflow.source.git.branch", "lora-sweep")
        .containsEntry("mlflow.source.git.repoURL", "https://github.com/acme/trainer.git")
        .containsEntry("trainlog.provenance.git_dirty", "true")
        .containsEntry("trainlog.provenance.command", "train.jar --hf-token=**** --epochs 3")
        .containsKeys("mlflow.source.name", "mlflow.user");
    assertThat(got.toString()).doesNotContain("hf_abcSECRET");
  }
}
