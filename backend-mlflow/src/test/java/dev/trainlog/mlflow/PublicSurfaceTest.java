package dev.trainlog.mlflow;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.trainlog.mlflow.internal.MlflowBackendProvider;
import dev.trainlog.testkit.internal.PublicSurface;
import org.junit.jupiter.api.Test;

/** What users and plugin authors see of trainlog-mlflow: the listed API types, and no internal type in their signatures. */
class PublicSurfaceTest {

  private final PublicSurface surface = PublicSurface.ofModuleOf(MlflowBackendProvider.class);

  @Test
  void onlyTheListedTypesArePublicOutsideInternalPackages() {
    surface.assertListedIn("/public-surface.txt");
  }

  @Test
  void noApiSignatureMentionsAnInternalType() {
    assertThatCode(surface::assertNoInternalTypeInSignatures).doesNotThrowAnyException();
  }
}
