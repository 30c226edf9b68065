package dev.trainlog.testkit.surfacefixture;

import dev.trainlog.testkit.surfacefixture.internal.Hidden;
import java.util.List;

/** A fixture for PublicSurfaceHelperTest: an API type whose signatures leak an internal one. */
public class Api {

  /** Public, nested in a public type: part of the surface. */
  public static final class Nested {}

  /** Private nested: not part of it. */
  private static final class Secret {}

  /** A leak through a generic argument. */
  public List<Hidden> hidden() {
    return List.of();
  }

  /** Not a leak: package-private. */
  Hidden quiet() {
    return new Hidden();
  }

  /** Not a leak: private. */
  private Secret secret() {
    return new Secret();
  }

  @Override
  public String toString() {
    return quiet() + " " + secret();
  }
}
