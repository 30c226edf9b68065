package dev.trainlog.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.spi.BackendSettings;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed reads plugins get through {@link BackendSettings}, and their exact messages. */
class SettingsViewTest {

  enum TextMode { SKIP, TAG_AT_END }

  private static SettingsView view(Object... keysAndValues) {
    return view(Map.of(), keysAndValues);
  }

  private static SettingsView view(Map<String, String> env, Object... keysAndValues) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return SettingsView.of("backends.x", values, "backend type 'x'", env::get, BackendSection.RESERVED_KEYS);
  }

  private static List<String> messages(SettingsView view) {
    return view.problems().stream().map(ConfigProblem::message).toList();
  }

  @Test
  void valuesThatAreSetAreReadAndAbsentOnesTakeTheDefault() {
    SettingsView v = view("name", "runs", "count", 3, "timeout", "2s", "wait", 1500, "max", "64MiB", "small", "512KB",
        "big", "1.5GB", "bytes", 1024, "url", "https://mlflow.example:5000/", "on", "true", "mode", "tag-at-end",
        "target", "stderr", "keys", "loss", "list", List.of("a", 2));

    assertThat(v.text("name", "x")).isEqualTo("runs");
    assertThat(v.text("count", null)).as("a number is read as its text").isEqualTo("3");
    assertThat(v.text("absent", "fallback")).isEqualTo("fallback");
    assertThat(v.positiveInt("count", 1)).isEqualTo(3);
    assertThat(v.nonNegativeInt("absent", 0)).isZero();
    assertThat(v.duration("timeout", null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(v.duration("wait", null)).as("a number counts milliseconds").isEqualTo(Duration.ofMillis(1500));
    assertThat(v.size("max", 0)).isEqualTo(64L << 20);
    assertThat(v.size("small", 0)).isEqualTo(512_000);
    assertThat(v.size("big", 0)).isEqualTo(1_500_000_000L);
    assertThat(v.size("bytes", 0)).isEqualTo(1024);
    assertThat(v.size("absent", 7)).isEqualTo(7);
    assertThat(v.uri("url", null, "http", "https")).isEqualTo(URI.create("https://mlflow.example:5000/"));
    assertThat(v.bool("on", false)).isTrue();
    assertThat(v.oneOf("mode", TextMode.SKIP)).isEqualTo(TextMode.TAG_AT_END);
    assertThat(v.oneOf("target", "stdout", "stdout", "stderr")).isEqualTo("stderr");
    assertThat(v.textList("keys", List.of())).containsExactly("loss");
    assertThat(v.textList("list", List.of())).containsExactly("a", "2");
    assertThat(v.problems()).isEmpty();
    assertThat(v.hasProblems()).isFalse();
  }

  @Test
  void everyBadValueIsCollectedWithItsFullKeyAndOneWordingPerKind() {
    SettingsView v = view("count", 0, "timeout", "0s", "max", "lots", "url", "ftp://user:hunter2@h", "on", "maybe",
        "mode", "tag_at_end", "target", "printer", "name", List.of("a"));

    v.requiredText("id");
    v.positiveInt("count", 1);
    v.duration("timeout", Duration.ofSeconds(1));
    v.size("max", 1);
    v.uri("url", null, "http", "https");
    v.bool("on", false);
    v.oneOf("mode", TextMode.SKIP);
    v.oneOf("target", "stdout", "stdout", "stderr");
    v.text("name", null);

    assertThat(v.hasProblems()).isTrue();
    assertThat(messages(v)).containsExactly(
        "`backends.x.id` is required",
        "`backends.x.count` was '0' but it must be a positive integer",
        "`backends.x.timeout` was '0s' but it must be a positive duration such as 500ms, 2s or 5m",
        "`backends.x.max` was 'lots' but it must be a positive size such as 512KB, 64MiB or 2GiB",
        "`backends.x.url` was 'ftp://user:****@h' but it must be a URI starting with http:// or https://",
        "`backends.x.on` was 'maybe' but it must be true or false",
        "`backends.x.mode` was 'tag_at_end' but it must be one of skip, tag-at-end",
        "`backends.x.target` was 'printer' but it must be one of stdout, stderr",
        "`backends.x.name` was '[a]' but it must be a text value");
  }

  @Test
  void aSecretComesFromYamlElseFromTheVariableAndNeverShowsInText() {
    SettingsView v = view(Map.of("X_TOKEN", "from-env", "X_PASSWORD", "env-pw"), "password", "yaml-pw");

    Secret password = v.secret("password", "X_PASSWORD");
    Secret token = v.secret("token", "X_TOKEN");

    assertThat(password.reveal()).isEqualTo("yaml-pw");
    assertThat(token.reveal()).isEqualTo("from-env");
    assertThat(password).hasToString("****");
    assertThat(token).hasToString("****");
    assertThat(v.secret("user", "X_USER")).isNull();
    assertThat(v.secret("other", null)).isNull();
  }

  @Test
  void nestedSectionsAndListsOfSectionsReportTheirFullKeys() {
    SettingsView v = view("write-concern", Map.of("w", "majority", "timeout", "0s"),
        "indexes", List.of(Map.of("name", "a"), "oops", Map.of("nmae", "c")), "time-series", "minutes");

    BackendSettings wc = v.section("write-concern");
    assertThat(wc.key()).isEqualTo("backends.x.write-concern");
    assertThat(wc.text("w", "1")).isEqualTo("majority");
    wc.duration("timeout", null);
    List<BackendSettings> indexes = v.sections("indexes");
    indexes.forEach(i -> i.text("name", null));
    v.section("time-series");
    assertThat(v.section("absent").text("k", "d")).isEqualTo("d");

    assertThat(indexes).extracting(BackendSettings::key).containsExactly("backends.x.indexes[0]", "backends.x.indexes[2]");
    assertThat(messages(v)).containsExactly(
        "`backends.x.write-concern.timeout` was '0s' but it must be a positive duration such as 500ms, 2s or 5m",
        "`backends.x.indexes[1]` was 'oops' but it must be a mapping of settings",
        "`backends.x.time-series` was 'minutes' but it must be a mapping of settings",
        "`backends.x.indexes[2].nmae` is not a setting of backend type 'x'; did you mean `name`?");
  }

  @Test
  void keysTheProviderNeverReadsAreUnknownWithADidYouMean() {
    SettingsView v = view("colection", "steps", "batch-sise", 10, "zzz", 1, "uri", "mongodb://h");
    v.text("collection", "experiments");
    v.text("uri", null);
    v.text("database", "logs");

    assertThat(messages(v)).containsExactly(
        "`backends.x.colection` is not a setting of backend type 'x'; did you mean `collection`?",
        "`backends.x.batch-sise` is not a setting of backend type 'x'; did you mean `batch-size`?",
        "`backends.x.zzz` is not a setting of backend type 'x'; known settings: collection, database, uri");
    assertThat(messages(view("colour", "red"))).containsExactly(
        "`backends.x.colour` is not a setting of backend type 'x', which takes no settings of its own");
  }

  @Test
  void ownChecksUseTheSameShape() {
    SettingsView v = view("runs-collection", "experiments");
    v.invalid("runs-collection", v.text("runs-collection", null), "different from `collection`");
    v.problem("password", "is missing: `username` and `password` are set together");

    assertThatThrownBy(v::throwIfAny).isInstanceOf(ConfigException.class).hasMessage(
        "2 problems in the TrainLog configuration:\n"
            + "  - `backends.x.runs-collection` was 'experiments' but it must be different from `collection`\n"
            + "  - `backends.x.password` is missing: `username` and `password` are set together");
  }
}
