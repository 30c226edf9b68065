package dev.trainlog.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Secrets#redactYaml}: the text of a YAML file as the provenance's {@code config_yaml} keeps it. */
class SecretsYamlTest {

  @Test
  void aSecretWrittenAsAnEnvironmentReferenceIsHiddenWholeAndTheCommentKeptAsWritten() {
    assertThat(Secrets.redactYaml(
        "hf_token: ${HF_TOKEN:-hf_this_is_redacted_everywhere}   # a secret: every backend sees ****\n"))
        .isEqualTo("hf_token: ****   # a secret: every backend sees ****\n");
  }

  @Test
  void aCommentIsFreeTextButCredentialsInUrisAndCommentedOutSecretLinesAreHidden() {
    assertThat(Secrets.redactYaml("uri: mongodb://localhost   # was mongodb://bob:hunter2@db/x, token: see the wiki"))
        .isEqualTo("uri: mongodb://localhost   # was mongodb://bob:****@db/x, token: see the wiki");
    assertThat(Secrets.redactYaml("# hf_token: hf_old_value\n  #  - api_key: abc # note"))
        .isEqualTo("# hf_token: ****\n  #  - api_key: ****");
    assertThat(Secrets.redactYaml("# the password: is in the vault")).isEqualTo("# the password: is in the vault");
  }

  @Test
  void valuesUnderSecretKeysAreHiddenByTheConfigMapsRuleAndHyperparametersStay() {
    String yaml = """
        run:
          config: {model: SDXL, lora_rank: 64}
          max_tokens: 4096
          hfKey: abc123
          "db_password": 'a # b'  # quoted
        backends:
          - api_key: xyz
            uri: mongodb://u:pw@h:27017/db
          - mongo: {type: mongodb, password: hunter2, port: 27017}
        """;

    assertThat(Secrets.redactYaml(yaml)).isEqualTo("""
        run:
          config: {model: SDXL, lora_rank: 64}
          max_tokens: 4096
          hfKey: ****
          "db_password": ****  # quoted
        backends:
          - api_key: ****
            uri: mongodb://u:****@h:27017/db
          - mongo: {type: mongodb, password: ****, port: 27017}
        """);
  }

  @Test
  void aBlockOrAMultiLineScalarUnderASecretKeyIsHiddenLineByLine() {
    String yaml = "credentials:\n  user: bob\n  pass: hunter2\n\nprivate_key: |\r\n  -----BEGIN KEY-----\r\n"
        + "  MIIEvQ\r\ntokens:\n- a\nsession_token: abc\n  def\nsteps: 10\nsecrets:\n- s1\n- s2\nlr: 0.1";

    assertThat(Secrets.redactYaml(yaml)).isEqualTo("credentials:\n  ****\n  ****\n\nprivate_key: |\r\n  ****\r\n"
        + "  ****\r\ntokens:\n- a\nsession_token: ****\n  ****\nsteps: 10\nsecrets:\n****\n****\nlr: 0.1");
  }

  @Test
  void redactingTwiceChangesNothingMore() {
    String yaml = "hf_token: ${HF_TOKEN:-x}  # a secret: every backend\ncredentials:\n  user: bob\nuri: http://a:b@h\n";
    String once = Secrets.redactYaml(yaml);

    assertThat(Secrets.redactYaml(once)).isEqualTo(once);
  }
}
