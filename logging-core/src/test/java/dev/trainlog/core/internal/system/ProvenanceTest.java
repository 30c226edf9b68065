package dev.trainlog.core.internal.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provenance of a process started in a real temporary git repository (git run as a process). */
class ProvenanceTest {

  @TempDir Path repo;
  private String commit;

  private String git(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @BeforeEach
  void repository() throws Exception {
    git("init", "-q", "-b", "lora-sweep");
    git("config", "user.email", "t@example.com");
    git("config", "user.name", "T");
    git("config", "commit.gpgsign", "false");
    git("remote", "add", "origin", "https://alice:ghp_s3cr3t@github.com/acme/trainer.git");
    Files.writeString(repo.resolve("train.py"), "print(1)\n");
    git("add", "train.py");
    git("commit", "-q", "-m", "first");
    commit = git("rev-parse", "HEAD");
  }

  private Map<String, String> provenance(String command) {
    return Provenance.collect(repo, "uri: mongodb://bob:hunter2@db:27017\n", Map.of(), command);
  }

  @Test
  void theConfigYamlHidesASecretsEnvironmentReferenceWholeAndKeepsItsCommentsAsWritten() {
    String yaml = "hf_token: ${HF_TOKEN:-hf_this_is_redacted_everywhere}   # a secret: every backend sees ****\n"
        + "max_tokens: 4096\n";

    Map<String, String> p = Provenance.collect(repo, yaml, Map.of(), "dev.acme.Train");

    assertThat(p.get("config_yaml"))
        .isEqualTo("hf_token: ****   # a secret: every backend sees ****\nmax_tokens: 4096\n");
  }

  @Test
  void aCleanCheckoutRecordsItsCommitBranchAndRemoteWithoutCredentials() {
    Map<String, String> p = provenance("dev.acme.Train --epochs 3");

    assertThat(p).containsEntry("git_commit", commit).containsEntry("git_branch", "lora-sweep")
        .containsEntry("git_dirty", "false").containsEntry("git_remote", "https://github.com/acme/trainer.git")
        .containsEntry("command", "dev.acme.Train --epochs 3").containsEntry("working_dir", repo.toString())
        .containsKeys("host", "user", "os", "java_version", "trainlog_version", "jvm_args");
    assertThat(p.get("config_yaml")).isEqualTo("uri: mongodb://bob:****@db:27017\n");
    assertThat(p).doesNotContainKeys("nvidia_driver", "cuda_version");
  }

  @Test
  void aChangedTrackedFileMakesTheCheckoutDirty() throws IOException {
    Files.writeString(repo.resolve("train.py"), "print(2)\n");

    assertThat(provenance("x")).containsEntry("git_dirty", "true").containsEntry("git_commit", commit);
  }

  @Test
  void aDetachedHeadSaysSo() throws Exception {
    git("checkout", "-q", "--detach");

    assertThat(provenance("x")).containsEntry("git_branch", "(detached HEAD)").containsEntry("git_commit", commit);
  }

  @Test
  void aDirectoryWithoutGitSaysSo(@TempDir Path plain) {
    Map<String, String> p = Provenance.collect(plain, null, Map.of(), "x");

    assertThat(p).doesNotContainKeys("git_commit", "git_branch", "config_yaml")
        .containsEntry("git", "no git repository at " + plain + " (or git not installed)");
  }

  @Test
  void secretsOnTheCommandLineAreRedacted() {
    assertThat(Provenance.redactArgs("app.jar --hf-token=hf_abc123 --lr 1e-4 --password pw1 -Ddb.password=x"))
        .isEqualTo("app.jar --hf-token=**** --lr 1e-4 --password **** -Ddb.password=****");
  }
}
