package dev.trainlog.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run never holds a secret, however it was built. */
class RunInfoTest {

  private static final String TOKEN = "hf_abc123";
  private static final String TAG_TOKEN = "tok-4f9e2a";
  private static final String PASSWORD = "hunter2-s3cret";

  private static RunInfo.Builder base() {
    return RunInfo.builder().experiment("exp").runName("run").runId("run-id").node("node-0");
  }

  private static Map<String, Object> config() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model", "SDXL");
    config.put("max_tokens", 77);
    config.put("hf_token", TOKEN);
    config.put("credentials", Map.of("user", "alice", "pass", PASSWORD));
    config.put("data", Map.of("uri", "mongodb://alice:" + PASSWORD + "@db:27017/logs"));
    config.put("mirrors", List.of("https://" + TOKEN + "@hub.example/x"));
    return config;
  }

  @Test
  void aRunBuiltWithoutIdOrNodeGetsARandomIdAndThisMachinesName() {
    RunInfo a = RunInfo.builder().experiment("exp").runName("r1").build();
    RunInfo b = RunInfo.builder().experiment("exp").runName("r1").build();

    assertThat(a.runId()).matches("[0-9a-f]{32}").isNotEqualTo(b.runId());
    assertThat(a.node()).isEqualTo(RunInfo.localHostName()).isNotBlank();
  }

  @Test
  void aBlankIdOrNodeGivenOnPurposeIsRefused() {
    assertThatThrownBy(() -> RunInfo.builder().experiment("exp").runName("r1").runId(" ").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("runId must not be blank");
    assertThatThrownBy(() -> RunInfo.builder().experiment("exp").runName("r1").node("").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("node must not be blank");
  }

  @Test
  void tagsAndConfigGivenToTheBuilderAreRedacted() {
    Map<String, Object> config = config();
    RunInfo run = base().tag("team", "vision").tag("api_token", TAG_TOKEN)
        .tag("remote", "https://bot:" + PASSWORD + "@git.example/repo.git").config(config).build();

    assertThat(run.tags()).containsEntry("team", "vision").containsEntry("api_token", "****")
        .containsEntry("remote", "https://bot:****@git.example/repo.git");
    assertThat(run.config()).containsEntry("model", "SDXL").containsEntry("max_tokens", 77)
        .containsEntry("hf_token", "****").containsEntry("credentials", "****")
        .containsEntry("data", Map.of("uri", "mongodb://alice:****@db:27017/logs"))
        .containsEntry("mirrors", List.of("https://****@hub.example/x"));
    assertThat(run.toString()).contains("api_token=****").doesNotContain(TOKEN, TAG_TOKEN, PASSWORD);
    assertThat(config.get("hf_token")).as("the caller's map is not modified").isEqualTo(TOKEN);
  }

  @Test
  void tagsGivenAsAMapAreRedactedToo() {
    RunInfo run = base().tags(Map.of("api_token", TAG_TOKEN)).build();

    assertThat(run.tags()).containsExactlyEntriesOf(Map.of("api_token", "****"));
  }

  @Test
  void aRunDerivedWithToBuilderStaysRedactedAndEqual() {
    RunInfo run = base().tag("api_token", TAG_TOKEN).config(config()).build();

    RunInfo again = run.toBuilder().build();
    RunInfo otherRank = run.toBuilder().worldSize(2).rank(1).tag("wandb_key", "wk-77").build();

    assertThat(again).isEqualTo(run);
    assertThat(again.config()).isEqualTo(run.config());
    assertThat(otherRank.tags()).containsEntry("api_token", "****").containsEntry("wandb_key", "****");
  }
}
