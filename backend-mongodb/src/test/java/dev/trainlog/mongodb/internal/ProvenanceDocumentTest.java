package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The run's provenance is the {@code provenance} field of its {@code runs} document, secrets redacted. */
class ProvenanceDocumentTest extends RunsDocumentTestBase {

  @Test
  void theRunsDocumentHoldsTheProvenanceWithTheCommandLineTokenRedacted() throws Exception {
    RunInfo run = TestRecords.run("sd-lora", "rank64").toBuilder().provenance(Map.of(
        "git_commit", "0123456789abcdef0123456789abcdef01234567", "git_branch", "main", "git_dirty", "false",
        "command", "train.jar --hf-token=hf_abcSECRET --epochs 3")).build();
    LogBackend backend = Fixtures.backend(Fixtures.config(server.uri()), run, dir, clock);
    backend.open();
    backend.close(RunStatus.FINISHED);

    Document provenance = runs.find().first().get("provenance", Document.class);
    assertThat(provenance).containsEntry("git_commit", "0123456789abcdef0123456789abcdef01234567")
        .containsEntry("git_branch", "main").containsEntry("git_dirty", "false")
        .containsEntry("command", "train.jar --hf-token=**** --epochs 3");
    assertThat(runs.find().first().toJson()).doesNotContain("hf_abcSECRET");
  }

  @Test
  void aRunWithoutProvenanceHasNoSuchField() throws Exception {
    LogBackend backend = Fixtures.backend(Fixtures.config(server.uri()), TestRecords.run("a", "b"), dir, clock);
    backend.open();
    backend.close(RunStatus.FINISHED);

    assertThat(runs.find().first()).doesNotContainKey("provenance");
  }
}
