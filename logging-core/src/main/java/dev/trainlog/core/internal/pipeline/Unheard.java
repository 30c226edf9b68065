package dev.trainlog.core.internal.pipeline;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * The few things a user must hear even when the application has no SLF4J binding (SLF4J then drops
 * every log line), or one that drops TrainLog's warnings (Maven's own logger under {@code mvn -q} runs
 * {@code exec:java} at error level): a backend that cannot open and records left undelivered at close.
 * Then they go to standard error, once per kind of problem and backend; otherwise nothing here.
 */
public final class Unheard {

  private static final Set<String> said = ConcurrentHashMap.newKeySet();

  private Unheard() {}

  /** Whether SLF4J found no binding and drops everything logged. */
  static boolean noBinding() {
    return LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory;
  }

  /** Prints {@code message}, which was logged as a warning, on standard error when nothing else showed it; once per {@code kind}. */
  public static void say(String kind, String message) {
    say(kind, message, !LoggerFactory.getLogger("dev.trainlog.core").isWarnEnabled());
  }

  /** As {@link #say}, for a message that was logged as an error. */
  public static void sayError(String kind, String message) {
    say(kind, message, !LoggerFactory.getLogger("dev.trainlog.core").isErrorEnabled());
  }

  private static void say(String kind, String message, boolean levelOff) {
    boolean none = noBinding();
    if ((none || levelOff) && said.add(kind)) {
      System.err.println("[TrainLog] " + message + (none ? " (add an SLF4J binding such as slf4j-simple to see the"
          + " details)" : " (TrainLog's warnings are turned off: set dev.trainlog to WARN to see the details)"));
    }
  }
}
