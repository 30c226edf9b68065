package dev.trainlog.core.internal.journal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.MappedByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unmaps a segment at once when it is deleted, so that its disk space is freed then and not whenever a
 * garbage collection finds the buffer: Java 17 has no public unmap, so this calls {@code
 * sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported, open to reflection without flags). Where that
 * is missing the buffer is left to the collector, as before.
 */
final class Unmapper {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);
  private static final Object UNSAFE;
  private static final Method INVOKE_CLEANER;

  static {
    Object unsafe = null;
    Method invoke = null;
    try {
      Class<?> c = Class.forName("sun.misc.Unsafe");
      Field f = c.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      unsafe = f.get(null);
      invoke = c.getMethod("invokeCleaner", java.nio.ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.debug("Journal segments are unmapped by the garbage collector: {}", e.toString());
    }
    UNSAFE = unsafe;
    INVOKE_CLEANER = invoke;
  }

  private Unmapper() {}

  /** Whether {@link #unmap} frees the mapping at once here. */
  static boolean available() {
    return INVOKE_CLEANER != null;
  }

  /** Unmaps {@code buffer}: no access to it may follow (the caller makes sure, see {@link Segment#pin}). */
  static void unmap(MappedByteBuffer buffer) {
    if (INVOKE_CLEANER == null) {
      return;
    }
    try {
      INVOKE_CLEANER.invoke(UNSAFE, buffer);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.debug("Could not unmap a journal segment; the garbage collector will: {}", e.toString());
    }
  }
}
