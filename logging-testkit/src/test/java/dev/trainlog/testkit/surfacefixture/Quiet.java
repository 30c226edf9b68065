package dev.trainlog.testkit.surfacefixture;

/** A fixture for PublicSurfaceHelperTest: package-private, so not part of the surface. */
final class Quiet {}
