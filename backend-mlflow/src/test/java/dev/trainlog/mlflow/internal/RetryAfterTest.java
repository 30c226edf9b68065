package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** {@code Retry-After} as the hint passed to the core: seconds or an HTTP date, capped at a minute. */
class RetryAfterTest {

  private final Clock clock = Clock.fixed(Instant.parse("2015-10-21T07:27:00Z"), ZoneOffset.UTC);

  @Test
  void secondsAreTakenAsTheyAreUpToAMinute() {
    assertThat(MlflowHttp.parseRetryAfter("3", clock)).isEqualTo(Duration.ofSeconds(3));
    assertThat(MlflowHttp.parseRetryAfter(" 60 ", clock)).isEqualTo(Duration.ofSeconds(60));
    assertThat(MlflowHttp.parseRetryAfter("3600", clock)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void anHttpDateIsTheTimeLeftUntilThenOnTheBackendsClock() {
    assertThat(MlflowHttp.parseRetryAfter("Wed, 21 Oct 2015 07:27:45 GMT", clock)).isEqualTo(Duration.ofSeconds(45));
    assertThat(MlflowHttp.parseRetryAfter("Wed, 21 Oct 2015 09:00:00 GMT", clock)).isEqualTo(Duration.ofSeconds(60));
    assertThat(MlflowHttp.parseRetryAfter("Wed, 21 Oct 2015 07:26:00 GMT", clock)).isEqualTo(Duration.ZERO);
  }

  @Test
  void anythingElseIsNoHint() {
    assertThat(MlflowHttp.parseRetryAfter("soon", clock)).isNull();
    assertThat(MlflowHttp.parseRetryAfter("", clock)).isNull();
  }
}
