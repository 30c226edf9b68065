package dev.trainlog.testkit.internal;

import org.junit.jupiter.api.Test;

/**
 * The public-surface tests of one module: extend it in the module's tests, name a class of the module and
 * the resource listing its API types. Only the listed types are public outside {@code .internal.}
 * packages, and no API signature mentions an internal type.
 */
public abstract class PublicSurfaceContract {

  private final PublicSurface surface;
  private final String expectedResource;

  /** {@code anchor}: any class of the module; {@code expectedResource}: its list, e.g. {@code /public-surface.txt}. */
  protected PublicSurfaceContract(Class<?> anchor, String expectedResource) {
    this.surface = PublicSurface.ofModuleOf(anchor);
    this.expectedResource = expectedResource;
  }

  @Test
  void onlyTheListedTypesArePublicOutsideInternalPackages() {
    surface.assertListedIn(expectedResource);
  }

  @Test
  void noApiSignatureMentionsAnInternalType() {
    surface.assertNoInternalTypeInSignatures();
  }
}
