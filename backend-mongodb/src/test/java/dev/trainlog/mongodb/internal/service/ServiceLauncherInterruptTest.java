package dev.trainlog.mongodb.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.mongodb.store.StoreServiceException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start interrupted (a backend closing at its close timeout) says so, not that the directory is read-only. */
class ServiceLauncherInterruptTest {

  @TempDir Path dir;

  @Test
  void anInterruptedStartSaysItWasInterruptedAndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> ServiceLauncher.ensureRunning(dir.resolve("store")))
          .isInstanceOf(StoreServiceException.class)
          .hasMessage("interrupted while starting the store service of "
              + dir.resolve("store").toAbsolutePath().normalize());
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
