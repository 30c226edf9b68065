package dev.trainlog.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.trainlog.api.LogRecord;
import dev.trainlog.testkit.internal.PublicSurface;
import org.junit.jupiter.api.Test;

/** What users and plugin authors see of trainlog-api (checked here: the api module cannot take the testkit, which depends on it): the listed API types, and no internal type in their signatures. */
class ApiPublicSurfaceTest {

  private final PublicSurface surface = PublicSurface.ofModuleOf(LogRecord.class);

  @Test
  void onlyTheListedTypesArePublicOutsideInternalPackages() {
    surface.assertListedIn("/public-surface-api.txt");
  }

  @Test
  void noApiSignatureMentionsAnInternalType() {
    assertThatCode(surface::assertNoInternalTypeInSignatures).doesNotThrowAnyException();
  }
}
