package dev.trainlog.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a configuration problem shows: never a credential, whoever wrote the description. */
class ConfigProblemTest {

  @Test
  void theValueOfASecretKeyIsNotShownWhenItIsInvalid() {
    assertThat(ConfigProblem.invalid("backends.mlflow.token", "hunter2", "non-empty text").message())
        .isEqualTo("`backends.mlflow.token` was '****' but it must be non-empty text");
    assertThat(ConfigProblem.invalid("backends.mongo.batch-size", -3, "a positive integer").message())
        .isEqualTo("`backends.mongo.batch-size` was '-3' but it must be a positive integer");
  }

  @Test
  void credentialsInADescriptionAreRedacted() {
    ConfigProblem problem = new ConfigProblem("backends.mongo", "could not be created: IllegalArgumentException: "
        + "bad host in mongodb://trainer:s3cret@db.example:27017", "trainlog.yaml:7");
    assertThat(problem.message()).isEqualTo("`backends.mongo` could not be created: IllegalArgumentException: "
        + "bad host in mongodb://trainer:****@db.example:27017 (trainlog.yaml:7)");
    assertThat(problem.prefixed("x.").description()).doesNotContain("s3cret");
  }
}
