package dev.trainlog.core.internal.config;

import static dev.trainlog.core.internal.config.ConfigLoaderTest.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {

  private static final String PASSWORD = "hunter2-s3cret";

  private static final String YAML = "run:\n  experiment: e\n  config: {db_password: " + PASSWORD + "}\n"
      + "backends:\n  mongo:\n    type: mongodb\n    uri: ${MONGO_URI}\n    password: " + PASSWORD + "\n";

  private static final Map<String, String> ENV = Map.of("MONGO_URI", "mongodb://trainer:" + PASSWORD + "@db:27017/logs");

  @Test
  void aPasswordInAMongoUriNeverShowsInToString() {
    TrainLogConfig config = loader(ENV).load(YAML, "trainlog.yaml");
    assertThat(config.backends().get(0).settings().get("uri")).isEqualTo(ENV.get("MONGO_URI"));
    assertThat(config.toString()).doesNotContain(PASSWORD).contains("mongodb://trainer:****@db:27017/logs");
    assertThat(config.backends().get(0).toString()).doesNotContain(PASSWORD);
    assertThat(config.run().toString()).doesNotContain(PASSWORD);
  }

  @Test
  void aPasswordNeverShowsInAnErrorAboutThatBackend() {
    BackendSection mongo = loader(ENV).load(YAML, "trainlog.yaml").backends().get(0);
    SettingsView wrongType = SettingsView.of(mongo.key(), mongo.settings());
    wrongType.positiveInt("uri", 1);
    assertThat(wrongType.problems().toString()).doesNotContain(PASSWORD);
    assertThat(wrongType.problems()).extracting(ConfigProblem::message).contains(
        "`backends.mongo.uri` was 'mongodb://trainer:****@db:27017/logs' but it must be a positive integer");
    SettingsView wrongUri = SettingsView.of(mongo.key(), mongo.settings());
    wrongUri.uri("uri", null, "http");
    assertThat(wrongUri.problems()).extracting(ConfigProblem::message).contains(
        "`backends.mongo.uri` was 'mongodb://trainer:****@db:27017/logs' but it must be a URI starting with http://");
    SettingsView unknown = SettingsView.of(mongo.key(), mongo.settings());
    unknown.positiveInt("port", 1);
    assertThat(unknown.problems().toString()).doesNotContain(PASSWORD).contains("`backends.mongo.uri` is not a setting");

    String badYaml = YAML + "    batch-size: https://" + PASSWORD + "@h\n    queue-capacity: mongodb://u:" + PASSWORD
        + "@h\n";
    ConfigException invalid = catchThrowableOfType(ConfigException.class,
        () -> loader(ENV).load(badYaml, "trainlog.yaml"));
    assertThat(invalid.problems()).hasSize(2);
    assertThat(invalid.getMessage()).doesNotContain(PASSWORD).contains("mongodb://u:****@h").contains("https://****@h");
  }

  @Test
  void runTagsAndConfigAreRedactedInTheRunInfoButKeptForTheProgram() {
    String yaml = "run:\n  experiment: e\n  tags: {team: vision, api_token: " + PASSWORD + "}\n"
        + "  config: {hf_token: " + PASSWORD + ", credentials: {user: alice, pass: " + PASSWORD + "}, lr: 0.1}\n";
    TrainLogConfig config = loader(ENV).load(yaml, "trainlog.yaml");

    RunInfo run = config.run().toRunInfo(0);

    assertThat(run.tags()).containsEntry("team", "vision").containsEntry("api_token", "****");
    assertThat(run.config()).containsEntry("hf_token", "****").containsEntry("credentials", "****")
        .containsEntry("lr", 0.1);
    assertThat(run.toString()).doesNotContain(PASSWORD);
    assertThat(config.run().toString()).doesNotContain(PASSWORD);
    assertThat(config.run().tags()).as("the program can still read its own values")
        .containsEntry("api_token", PASSWORD);
    assertThat(config.run().config()).containsEntry("hf_token", PASSWORD);
  }

  @Test
  void aMapUnderASecretKeyIsHiddenWholeInAnError() {
    BackendSection mongo = loader(ENV).load(YAML + "    credentials: {user: alice, pass: " + PASSWORD + "}\n",
        "trainlog.yaml").backends().get(0);

    SettingsView wrongType = SettingsView.of(mongo.key(), mongo.settings());
    wrongType.positiveInt("credentials", 1);

    assertThat(wrongType.problems().toString()).doesNotContain(PASSWORD).doesNotContain("alice")
        .contains("`backends.mongo.credentials` was '****' but it must be a positive integer");
  }

  @Test
  void aPasswordNeverShowsInASyntaxError() {
    String yaml = "backends:\n  mongo: {uri: \"mongodb://u:" + PASSWORD + "@h\", type: [\n";
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader(ENV).load(yaml, "t.yaml"));
    assertThat(e.getMessage()).startsWith("t.yaml:").doesNotContain(PASSWORD);
  }
}
