package dev.trainlog.tensorboard.internal;

import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.BackendCompatibilityKit;
import dev.trainlog.testkit.StoredRecord;
import dev.trainlog.testkit.TestRecords;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SPI contract against real event files, read back by the tests' own reader. The store breaks
 * the way a lost disk would: the open file's channel is closed under the backend and the run folder
 * is replaced by a regular file, so both appending and starting a new file fail.
 */
class TensorBoardBackendCompatibilityTest extends BackendCompatibilityKit {

  @TempDir
  Path logDir;

  private final List<FileChannel> channels = new ArrayList<>();

  @Override
  protected LogBackend newBackend(RunInfo run) {
    Clock clock = Clock.fixed(Instant.ofEpochMilli(TestRecords.START_MILLIS), ZoneOffset.UTC);
    EventFile.Opener recording = file -> {
      FileChannel channel = EventFile.CREATE_NEW.open(file);
      channels.add(channel);
      return channel;
    };
    return new TensorBoardBackend(run, TensorBoardConfig.defaults().withLogDir(logDir.toString()), clock, recording);
  }

  @Override
  protected List<StoredRecord> readBack(RunInfo run) throws Exception {
    List<StoredRecord> stored = new ArrayList<>();
    for (TbEvent event : EventFiles.allEvents(runDir(run))) {
      if (event.isScalarRecord()) {
        Map<String, Double> scalars = new LinkedHashMap<>();
        for (TbEvent.Value v : event.values()) {
          if (v.simpleValue() != null) {
            scalars.put(v.tag(), (double) v.simpleValue());
          }
        }
        stored.add(new StoredRecord(event.step(), scalars));
      }
    }
    return stored;
  }

  @Override
  protected void breakStore() throws Exception {
    for (FileChannel channel : channels) {
      channel.close();
    }
    Path dir = runDir(run());
    Files.move(dir, moved(dir));
    Files.writeString(dir, "not a folder");
  }

  @Override
  protected void repairStore() throws Exception {
    Path dir = runDir(run());
    Files.delete(dir);
    Files.move(moved(dir), dir);
  }

  @Override
  protected double scalarTolerance() {
    // simple_value is float32: values near 1 are rounded by less than 1e-7
    return 1e-6;
  }

  private Path runDir(RunInfo run) {
    return logDir.resolve(run.experiment()).resolve(run.runName());
  }

  private static Path moved(Path dir) {
    return dir.resolveSibling(dir.getFileName() + ".moved");
  }
}
