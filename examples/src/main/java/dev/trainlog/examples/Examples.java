package dev.trainlog.examples;

import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.DispatcherStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What the example programs share: loading their YAML and the training loop itself. */
final class Examples {

  private Examples() {}

  /** The YAML at {@code path} if given, else the bundled resource of that name, with extra variables. */
  static LogDispatcher dispatcher(String nameOrPath, Map<String, String> vars) {
    Path path = Path.of(nameOrPath);
    if (Files.isRegularFile(path)) {
      return LogDispatcher.fromYaml(path, vars);
    }
    try (InputStream in = Examples.class.getResourceAsStream("/" + nameOrPath)) {
      if (in == null) {
        throw new IllegalArgumentException("no file or bundled config named " + nameOrPath);
      }
      return LogDispatcher.fromYaml(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
          nameOrPath, vars);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code steps} simulated steps through {@code dispatcher}, forcing an eval every 500 steps and the last step. */
  static void train(LogDispatcher dispatcher, LoraSimulator sim, int steps) {
    train(dispatcher, sim, steps, 0);
  }

  /** As {@link #train(LogDispatcher, LoraSimulator, int)}, pausing {@code stepMillis} per step as a GPU would. */
  static void train(LogDispatcher dispatcher, LoraSimulator sim, int steps, long stepMillis) {
    train(dispatcher, sim, steps, stepMillis, (step, s, record) -> { });
  }

  /** What a job adds to a step's record before it is logged (a sample grid, say). */
  interface StepExtras {
    void add(long step, LoraSimulator.Step values, dev.trainlog.core.StepBuilder record);
  }

  /** As {@link #train(LogDispatcher, LoraSimulator, int, long)}, {@code extras} adding to each step's record. */
  static void train(LogDispatcher dispatcher, LoraSimulator sim, int steps, long stepMillis, StepExtras extras) {
    for (long step = 1; step <= steps; step++) {
      if (stepMillis > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(stepMillis * 1_000_000);
      }
      LoraSimulator.Step s = sim.next(step);
      var record = dispatcher.step(step)
          .scalar("loss", s.loss())
          .scalar("lr", s.lr())
          .scalar("grad_norm", s.gradNorm())
          .vector("gpu_util", s.gpuUtil())
          .scalar("memory_mb", s.memoryMb());
      if (step % 500 == 0 || step == steps) {
        record.scalar("eval/clip_score", 0.25 + 0.05 * step / steps).force();
      }
      extras.add(step, s, record);
      record.log();
    }
  }

  static void printStats(DispatcherStats stats) {
    System.out.println();
    System.out.println("Dispatcher stats (" + stats.logged() + " records logged):");
    System.out.print(stats.table());
  }
}
