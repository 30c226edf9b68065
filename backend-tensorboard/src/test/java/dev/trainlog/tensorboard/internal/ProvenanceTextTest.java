package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's provenance is a text summary {@code provenance} at step 0, read back by the independent decoder. */
class ProvenanceTextTest {

  @TempDir
  Path logDir;

  @Test
  void provenanceIsOneTextSummaryAtStepZeroWithTheCommandLineTokenRedacted() throws Exception {
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("git_commit", "0123456789abcdef0123456789abcdef01234567");
    provenance.put("git_dirty", "false");
    provenance.put("command", "train.jar --hf-token=hf_abcSECRET --epochs 3");
    provenance.put("config_yaml", "run: {experiment: exp}\n");
    RunInfo run = Fixtures.RUN.toBuilder().provenance(provenance).build();
    TensorBoardBackend backend = Fixtures.backend(logDir, run, TensorBoardConfig.defaults());
    backend.open();
    backend.write(List.of(Fixtures.record(run, 5, "loss", 1.0)));
    backend.close(RunStatus.FINISHED);

    List<TbEvent> withProvenance = EventFiles.allEvents(backend.runDirectory()).stream()
        .filter(e -> e.values().stream().anyMatch(v -> v.tag().equals(ProvenanceText.TAG))).toList();
    assertThat(withProvenance).hasSize(1);
    TbEvent event = withProvenance.get(0);
    assertThat(event.step()).isZero();
    TbEvent.Value text = event.value(ProvenanceText.TAG);
    assertThat(text.pluginName()).isEqualTo("text");
    assertThat(text.tensor().stringVal()).containsExactly("| key | value |\n|---|---|\n"
        + "| git_commit | 0123456789abcdef0123456789abcdef01234567 |\n| git_dirty | false |\n"
        + "| command | train.jar --hf-token=**** --epochs 3 |\n"
        + "\n```yaml\nrun: {experiment: exp}\n```\n");
  }

  @Test
  void aRunWithoutProvenanceWritesNone() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN, TensorBoardConfig.defaults());
    backend.open();
    backend.write(List.of(Fixtures.record(Fixtures.RUN, 1, "loss", 1.0)));
    backend.close(RunStatus.FINISHED);

    assertThat(EventFiles.allEvents(backend.runDirectory()))
        .noneMatch(e -> e.values().stream().anyMatch(v -> v.tag().equals(ProvenanceText.TAG)));
  }
}
