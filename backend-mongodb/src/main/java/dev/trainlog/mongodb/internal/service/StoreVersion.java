package dev.trainlog.mongodb.internal.service;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The TrainLog version a store service and its clients compare, written into the module by the build. */
public final class StoreVersion {

  /** The version when the classes do not come from a built jar (an IDE, a test): {@value}. */
  public static final String DEVELOPMENT = "development";

  private static final String CURRENT = load();

  private StoreVersion() {}

  /** This process's TrainLog version. */
  public static String current() {
    return CURRENT;
  }

  private static String load() {
    try (InputStream in = StoreVersion.class.getResourceAsStream(
        "/dev/trainlog/mongodb/trainlog-version.properties")) {
      if (in == null) {
        return DEVELOPMENT;
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", DEVELOPMENT);
      return v.startsWith("$") ? DEVELOPMENT : v;
    } catch (IOException e) {
      return DEVELOPMENT;
    }
  }

  /**
   * Whether {@code other} is newer than {@code mine}, comparing dotted numbers; a development build or
   * an unreadable version is never newer, so a development client replaces any service.
   */
  static boolean isNewer(String other, String mine) {
    int[] a = numbers(other);
    int[] b = numbers(mine);
    if (a == null || b == null) {
      return false;
    }
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      int x = i < a.length ? a[i] : 0;
      int y = i < b.length ? b[i] : 0;
      if (x != y) {
        return x > y;
      }
    }
    return false;
  }

  private static int[] numbers(String version) {
    if (version == null) {
      return null;
    }
    String core = version.split("[-+]", 2)[0];
    String[] parts = core.split("\\.");
    int[] out = new int[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        out[i] = Integer.parseInt(parts[i]);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return out;
  }
}
