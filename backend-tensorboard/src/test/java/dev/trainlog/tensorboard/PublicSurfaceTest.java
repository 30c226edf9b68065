package dev.trainlog.tensorboard;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.trainlog.tensorboard.internal.TensorBoardBackendProvider;
import dev.trainlog.testkit.internal.PublicSurface;
import org.junit.jupiter.api.Test;

/** What users and plugin authors see of trainlog-tensorboard: the listed API types, and no internal type in their signatures. */
class PublicSurfaceTest {

  private final PublicSurface surface = PublicSurface.ofModuleOf(TensorBoardBackendProvider.class);

  @Test
  void onlyTheListedTypesArePublicOutsideInternalPackages() {
    surface.assertListedIn("/public-surface.txt");
  }

  @Test
  void noApiSignatureMentionsAnInternalType() {
    assertThatCode(surface::assertNoInternalTypeInSignatures).doesNotThrowAnyException();
  }
}
