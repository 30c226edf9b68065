package dev.trainlog.core.internal.pipeline;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the scheduling priority of the calling backend worker thread to a nice value of {@value #DEFAULT_NICE}
 * (Linux; {@code -Dtrainlog.worker-nice=N} or {@code TRAINLOG_WORKER_NICE=N} sets another, 0 leaves the
 * threads as they are), so that on cores
 * the training loop shares with the backends' work, the scheduler runs the training thread first and the
 * workers in the time left: B10's loop (two cores, a 737 kB PNG every 10 steps) took 1.64× its time without
 * images instead of 2.12× (5 alternating pairs). Raising a thread's nice value needs no privilege. The
 * threads the training thread waits for (the blob spares, the next segment's blocks) keep their priority.
 */
final class WorkerPriority {

  private static final Logger log = LoggerFactory.getLogger(WorkerPriority.class);
  /** The system property that sets the nice value of backend worker threads; {@link #ENV} when it is unset. */
  static final String PROPERTY = "trainlog.worker-nice";
  static final String ENV = "TRAINLOG_WORKER_NICE";
  static final int DEFAULT_NICE = 10;
  private static final int PRIO_PROCESS = 0;
  private static volatile boolean unavailable;

  private interface LibC extends Library {
    /** {@code setpriority(2)}; with {@code who} 0 on Linux it sets the calling thread's nice value only. */
    int setpriority(int which, int who, int prio);

    /** {@code getpriority(2)}: the calling thread's nice value, with {@code who} 0 on Linux. */
    int getpriority(int which, int who);
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  private WorkerPriority() {}

  /** The nice value the property (or the environment) asks for: {@value #DEFAULT_NICE} when unset, within 0..19. */
  static int configuredNice() {
    return niceOf(System.getProperty(PROPERTY, System.getenv(ENV)));
  }

  static int niceOf(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_NICE;
    }
    try {
      return Math.max(0, Math.min(19, Integer.parseInt(value.trim())));
    } catch (NumberFormatException e) {
      log.warn("{} {} is not a number from 0 to 19; backend workers run at nice {}", PROPERTY, value, DEFAULT_NICE);
      return DEFAULT_NICE;
    }
  }

  /** Lowers the calling thread's priority as configured; never throws. */
  static void lowerCurrentThread(String backend) {
    int nice = configuredNice();
    if (nice == 0 || unavailable || !Platform.isLinux()) {
      return;
    }
    try {
      if (Holder.LIBC.getpriority(PRIO_PROCESS, 0) >= nice) {
        return; // lower already (a JVM started with nice): never raised
      }
      if (Holder.LIBC.setpriority(PRIO_PROCESS, 0, nice) != 0) {
        log.debug("Backend '{}': its worker keeps its priority (setpriority: errno {})", backend, Native.getLastError());
      }
    } catch (LinkageError | RuntimeException e) {
      unavailable = true;
      log.debug("Backend workers keep their priority: no setpriority here ({})", e.toString());
    }
  }
}
