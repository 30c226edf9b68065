package dev.trainlog.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void passwordsInUrisAreHiddenButTheUserAndHostStay() {
    assertThat(Secrets.redactText("connect to mongodb://mongo-user:mongo-pass@192.168.1.100:27017/ failed"))
        .isEqualTo("connect to mongodb://mongo-user:****@192.168.1.100:27017/ failed");
    assertThat(Secrets.redactText("https://ghp_abc123@example.com/x")).isEqualTo("https://****@example.com/x");
    assertThat(Secrets.redactText("mongodb://localhost:27017")).isEqualTo("mongodb://localhost:27017");
  }

  @Test
  void secretLookingPairsInTextLoseTheirValue() {
    assertThat(Secrets.redactText("token=abc123 user=bob")).isEqualTo("token=**** user=bob");
    assertThat(Secrets.redactText("{api_key: 'xyz', step: 3}")).isEqualTo("{api_key: ****, step: 3}");
  }

  @Test
  void secretKeysAreRedactedAtEveryLevelAndOtherValuesKept() {
    Map<String, Object> db = new LinkedHashMap<>();
    db.put("uri", "mongodb://u:p@h/db");
    db.put("password", "hunter2");
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("lora_rank", 64);
    config.put("HF_TOKEN", "hf_secret");
    config.put("db", db);
    config.put("hosts", List.of("http://a:b@h1", "h2"));

    Map<String, Object> redacted = Secrets.redact(config);

    assertThat(redacted).containsEntry("lora_rank", 64).containsEntry("HF_TOKEN", "****")
        .containsEntry("hosts", List.of("http://a:****@h1", "h2"));
    assertThat(redacted.get("db")).isEqualTo(Map.of("uri", "mongodb://u:****@h/db", "password", "****"));
    assertThat(config.get("HF_TOKEN")).as("the input is not modified").isEqualTo("hf_secret");
  }

  @Test
  void ordinaryKeysAreNotMistakenForSecrets() {
    assertThat(Secrets.isSecretKey("learning_rate")).isFalse();
    assertThat(Secrets.isSecretKey("keyboard")).isFalse();
    assertThat(Secrets.isSecretKey("max_tokens")).as("a hyperparameter, not a secret").isFalse();
    assertThat(Secrets.isSecretKey("hfToken")).isTrue();
    assertThat(Secrets.isSecretKey("db.password")).isTrue();
    assertThat(Secrets.isSecretKey("aws_access_key_id")).isTrue();
  }

  @Test
  void aSecretKeyHidesAMapOrListValueWholeInsteadOfSearchingIt() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("credentials", Map.of("user", "u-alice", "key", "k-secret"));
    config.put("token", List.of("tok-x"));
    config.put("api_keys", List.of("ak-1", Map.of("name", "ak-2")));
    config.put("empty_token", null);
    config.put("db", Map.of("auth", Map.of("user", "u-bob", "pass", "p-bob")));

    Map<String, Object> redacted = Secrets.redact(config);

    assertThat(redacted).containsEntry("credentials", "****").containsEntry("token", "****")
        .containsEntry("api_keys", "****").containsEntry("empty_token", null)
        .containsEntry("db", Map.of("auth", "****"));
    assertThat(redacted.toString()).doesNotContain("u-alice", "k-secret", "tok-x", "ak-", "u-bob", "p-bob");
  }

  @Test
  void credentialKeysInEveryStyleAreSecret() {
    for (String key : List.of("passphrase", "ssh_passphrase", "GPG_PASSPHRASE", "auth", "http_auth", "basicAuth",
        "proxy-auth", "oauth", "wandb_key", "hf_key", "WANDB_KEY", "wandb-key", "hfKey", "db.key", "key",
        "private_key_pem", "privateKeyPem", "tls.key_pem", "api_keys", "apiKeys", "secret_keys", "secrets",
        "passwords", "auth_tokens", "access_tokens", "credential", "aws_access_key_id", "Authorization")) {
      assertThat(Secrets.isSecretKey(key)).as(key).isTrue();
    }
  }

  @Test
  void hyperparametersThatMerelyContainACredentialWordStayVisible() {
    for (String key : List.of("key_dim", "num_keys", "monkey", "keyframes", "keyboard", "hotkey", "max_tokens",
        "tokens_per_s", "tokenizer", "token_budget", "num_tokens", "special_tokens", "author", "authors",
        "author_name", "authorized_users", "passes", "num_heads", "secretary_count", "credential_helper_path")) {
      assertThat(Secrets.isSecretKey(key)).as(key).isFalse();
    }
    assertThat(Secrets.isSecretKey("sort_key")).as("any key ending in a separate 'key': an accepted false positive")
        .isTrue();
  }

  @Test
  void nonStringKeysInNestedMapsAreKeptAndDoNotFail() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("class_weights", Map.of(0, 1.0, 1, 2.5));

    assertThat(Secrets.redact(config)).containsEntry("class_weights", Map.of(0, 1.0, 1, 2.5));
  }

  @Test
  void jsonPairsWithQuotedKeysLoseTheirValue() {
    assertThat(Secrets.redactText("{\"password\": \"hunter2\", \"step\": 3}"))
        .isEqualTo("{\"password\": ****, \"step\": 3}");
    assertThat(Secrets.redactText("{'db_password':'hunter2'}")).isEqualTo("{'db_password':****}");
    assertThat(Secrets.redactText("{\"token\":\"a\\\"b, c\"}")).as("an escaped quote inside the value")
        .isEqualTo("{\"token\":****}");
  }

  @Test
  void morePairsInTextLoseTheirValue() {
    assertThat(Secrets.redactText("pwd=hunter2 step=3")).isEqualTo("pwd=**** step=3");
    assertThat(Secrets.redactText("credentials=alice:hunter2")).isEqualTo("credentials=****");
    assertThat(Secrets.redactText("passphrase: correct-horse")).isEqualTo("passphrase: ****");
    assertThat(Secrets.redactText("wandb_key=abc123 http_auth=u:p")).isEqualTo("wandb_key=**** http_auth=****");
    assertThat(Secrets.redactText("author: Bob, dup key: 7")).isEqualTo("author: Bob, dup key: 7");
  }

  @Test
  void anAuthorizationHeaderKeepsItsSchemeButNotTheCredential() {
    assertThat(Secrets.redactText("Authorization: Bearer eyJhbGciOi.x.y sent"))
        .isEqualTo("Authorization: Bearer **** sent");
    assertThat(Secrets.redactText("authorization: Basic dXNlcjpodW50ZXIy")).isEqualTo("authorization: Basic ****");
    assertThat(Secrets.redactText("Proxy-Authorization: Digest abc123")).isEqualTo("Proxy-Authorization: Digest ****");
    assertThat(Secrets.redactText("Authorization: hunter2")).isEqualTo("Authorization: ****");
    assertThat(Secrets.redactText("{\"Authorization\": \"Bearer abc123\"}")).isEqualTo("{\"Authorization\": ****}");
    assertThat(Secrets.redactText("token: Bearer abc123")).isEqualTo("token: Bearer ****");
  }

  @Test
  void aUriWithAnEmptyUserOrAnAtSignInThePasswordIsHiddenWhole() {
    assertThat(Secrets.redactText("redis://:hunter2@cache:6379/0")).isEqualTo("redis://:****@cache:6379/0");
    assertThat(Secrets.redactText("mongodb://u:p@ss@h/db")).isEqualTo("mongodb://u:****@h/db");
    assertThat(Secrets.redactText("mongodb://u:p@s:s@h1,h2/db?authSource=admin"))
        .isEqualTo("mongodb://u:****@h1,h2/db?authSource=admin");
    assertThat(Secrets.redactText("https://ghp_a@b@github.com/x.git")).isEqualTo("https://****@github.com/x.git");
    assertThat(Secrets.redactText("mongodb://u:p@ss@h failed, see http://x:y@z"))
        .isEqualTo("mongodb://u:****@h failed, see http://x:****@z");
  }

  @Test
  void anAtSignAfterTheHostIsNotUserinfo() {
    assertThat(Secrets.redactText("https://host/users/a@b.com")).isEqualTo("https://host/users/a@b.com");
    assertThat(Secrets.redactText("https://host:8080?mail=a@b")).isEqualTo("https://host:8080?mail=a@b");
    assertThat(Secrets.redactText("https://host#a@b")).isEqualTo("https://host#a@b");
    assertThat(Secrets.redactText("http://@host/x")).isEqualTo("http://@host/x");
  }

  @Test
  void redactingTwiceChangesNothingMore() {
    for (String text : List.of("mongodb://u:p@ss@h/db", "redis://:pw@h", "https://tok@h", "token=abc",
        "Authorization: Bearer abc", "{\"password\": \"x\"}", "api_key: 'xyz'")) {
      String once = Secrets.redactText(text);
      assertThat(Secrets.redactText(once)).as(text).isEqualTo(once);
    }
  }

  @Test
  void aValueWrittenAsAnEnvironmentReferenceIsHiddenWhole() {
    assertThat(Secrets.redactText("token=${HF_TOKEN:-hf_abc} step=3")).isEqualTo("token=**** step=3");
    assertThat(Secrets.redactText("{password: ${DB_PASSWORD:-a b}, port: 1}")).isEqualTo("{password: ****, port: 1}");
    assertThat(Secrets.redactText("api_key: ${A:-${B:-x}}")).isEqualTo("api_key: ****");
  }
}
