package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keys are sanitised by a fixed mapping, warned once each; long values are cut on the client. */
class KeysAndLengthsTest extends ServerTestBase {

  @Test
  void keysMapDeterministically() {
    assertThat(KeySanitizer.map("gpu_util[0]")).isEqualTo("gpu_util_0_");
    assertThat(KeySanitizer.map("../x")).isEqualTo("__/x");
    assertThat(KeySanitizer.map("/abs")).isEqualTo("abs");
    assertThat(KeySanitizer.map("a//b")).isEqualTo("a/b");
    assertThat(KeySanitizer.map("trail/")).isEqualTo("trail");
    assertThat(KeySanitizer.map("./x/./y")).isEqualTo("x/y");
    assertThat(KeySanitizer.map("a/../b")).isEqualTo("a/__/b");
    assertThat(KeySanitizer.map("héllo wörld")).isEqualTo("h_llo w_rld");
    assertThat(KeySanitizer.map("loss@train%")).isEqualTo("loss_train_");
    assertThat(KeySanitizer.map("")).isEqualTo("_");
    assertThat(KeySanitizer.map("/")).isEqualTo("_");
    assertThat(KeySanitizer.map("ok/key-1.2 x:y")).isEqualTo("ok/key-1.2 x:y");
  }

  @Test
  void keysOverTwoHundredFiftyCharactersKeepAPrefixAndAHash() {
    String mapped = KeySanitizer.map("k".repeat(300));

    assertThat(mapped).hasSize(250).startsWith("k".repeat(241) + "-").matches(".*-[0-9a-f]{8}");
    assertThat(KeySanitizer.map("k".repeat(301))).isNotEqualTo(mapped);
  }

  @Test
  void sanitisedKeysAreAcceptedByTheServerAndWarnedOnceEach() throws Exception {
    MlflowBackend backend = open();

    backend.write(List.of(
        record(run(), 0, "gpu_util[0]", 1.0, "../x", 2.0, "a//b", 3.0, "k".repeat(300), 4.0),
        record(run(), 1, "gpu_util[0]", 1.5, "../x", 2.5, "a//b", 3.5, "k".repeat(300), 4.5)));

    assertThat(reader.history(backend.runId()).keySet())
        .containsExactlyInAnyOrder("gpu_util_0_", "__/x", "a/b", KeySanitizer.map("k".repeat(300)));
    assertThat(stored(backend).points).hasSize(8);
    assertThat(backend.keyWarnings()).isEqualTo(4);
  }

  @Test
  void theServerRefusesAKeyThatNormalisesDifferently() throws Exception {
    MlflowBackend backend = open();
    String body = "{\"run_id\":\"" + backend.runId() + "\",\"metrics\":[{\"key\":\"a//b\",\"value\":1,"
        + "\"timestamp\":1,\"step\":0}]}";

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RawPost.post(server.uri(), "runs/log-batch", body))
        .hasMessage("400 {\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Invalid value \\\"a//b\\\" for"
            + " parameter 'metrics[0].name' supplied: Names may be treated as files in certain cases, and must not"
            + " resolve to other names when treated as such. This name would resolve to 'a/b'\"}");
  }

  @Test
  void longParamsAndTagsAreCutOnTheClient() throws Exception {
    RunInfo run = run().toBuilder()
        .config(Map.of("prompt", "p".repeat(7000)))
        .tag("notes", "n".repeat(7000))
        .build();

    MlflowBackend backend = open(Fixtures.config(server.uri()), run);

    assertThat(stored(backend).params.get("prompt")).hasSize(6000);
    // the measured server cuts tags at 8000 only, so 5000 proves the client cut them
    assertThat(stored(backend).tags.get("notes")).hasSize(5000);
  }

  @Test
  void configKeysAreSanitisedIntoParams() throws Exception {
    RunInfo run = run().toBuilder().config(Map.of("data", Map.of("paths[0]", "/x"))).build();

    MlflowBackend backend = open(Fixtures.config(server.uri()), run);

    assertThat(stored(backend).params).containsExactly(Map.entry("data.paths_0_", "/x"));
  }
}
