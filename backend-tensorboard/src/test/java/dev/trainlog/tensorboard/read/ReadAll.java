package dev.trainlog.tensorboard.read;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads whole files and runs with the reader, and finds the committed fixtures, for the tests. */
final class ReadAll {

  private ReadAll() {}

  static List<TbRecord> file(Path file) throws IOException {
    List<TbRecord> records = new ArrayList<>();
    try (EventFileReader reader = EventFileReader.open(file)) {
      for (TbRecord r; (r = reader.next()) != null; ) {
        records.add(r);
      }
    }
    return records;
  }

  static List<TbRecord> run(TbRun run) throws IOException {
    List<TbRecord> records = new ArrayList<>();
    for (Path file : run.eventFiles()) {
      records.addAll(file(file));
    }
    return records;
  }

  /** The fixtures' folder: {@code tb-fixtures} on the test class path (logs/, expected.json). */
  static Path fixtures() {
    try {
      return Path.of(ReadAll.class.getResource("/tb-fixtures").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
