package dev.trainlog.testkit.surfacefixture.internal;

/** A fixture for PublicSurfaceHelperTest: public, but in an internal package. */
public final class Hidden {}
