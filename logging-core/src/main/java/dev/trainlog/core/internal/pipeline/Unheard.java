package dev.trainlog.core.internal.pipeline;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * The few things a user must hear even when the application has no SLF4J binding (SLF4J then drops
 * every log line): a backend that cannot open and records left undelivered at close. Without a
 * binding they go to standard error, once per kind of problem and backend; with one, nothing here.
 */
public final class Unheard {

  private static final Set<String> said = ConcurrentHashMap.newKeySet();

  private Unheard() {}

  /** Whether SLF4J found no binding and drops everything logged. */
  static boolean noBinding() {
    return LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory;
  }

  /** Prints {@code message} on standard error when nothing else would show it; once per {@code kind}. */
  public static void say(String kind, String message) {
    if (noBinding() && said.add(kind)) {
      System.err.println("[TrainLog] " + message + " (add an SLF4J binding such as slf4j-simple to see the details)");
    }
  }
}
