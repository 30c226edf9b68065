package dev.trainlog.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.testkit.internal.PublicSurface;
import dev.trainlog.testkit.surfacefixture.Api;
import org.junit.jupiter.api.Test;

/** The public-surface check itself, on fixture classes in this module's test classes. */
class PublicSurfaceHelperTest {

  private final PublicSurface surface = PublicSurface.ofModuleOf(Api.class);

  @Test
  void listsPublicTypesAndTheirPublicNestedTypesButNothingInternalOrPackagePrivate() {
    assertThat(surface.typeNames()).containsExactly(
        "dev.trainlog.testkit.surfacefixture.Api", "dev.trainlog.testkit.surfacefixture.Api$Nested");
  }

  @Test
  void findsAnInternalTypeInAGenericArgumentOfAPublicMethodOnly() {
    assertThat(surface.internalTypesInSignatures()).containsExactly(
        "dev.trainlog.testkit.surfacefixture.Api#hidden(): dev.trainlog.testkit.surfacefixture.internal.Hidden");
  }

  @Test
  void aListThatDiffersNamesTheAddedAndTheRemovedTypesAndSaysWhatToDo() {
    assertThatThrownBy(() -> surface.assertListedIn("/surfacefixture/stale.txt"))
        .isInstanceOf(AssertionError.class)
        .hasMessageEndingWith("differs from /surfacefixture/stale.txt\n"
            + "  public but not listed: dev.trainlog.testkit.surfacefixture.Api$Nested\n"
            + "    -> move it to an `.internal.` package (or make it package-private), or add it to the list if it"
            + " is meant as API\n"
            + "  listed but not public outside `.internal.`: dev.trainlog.testkit.surfacefixture.Gone\n"
            + "    -> remove it from the list");
  }

  @Test
  void aLeakFailsWithTheMemberAndTheInternalType() {
    assertThatThrownBy(surface::assertNoInternalTypeInSignatures)
        .isInstanceOf(AssertionError.class)
        .hasMessageEndingWith("mention internal types (make the member non-public, or move the type out of"
            + " `.internal.`):\n"
            + "  dev.trainlog.testkit.surfacefixture.Api#hidden(): dev.trainlog.testkit.surfacefixture.internal.Hidden");
  }
}
