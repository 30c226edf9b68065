package dev.trainlog.tensorboard.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads a run folder's event files, in file-name order as TensorBoard merges them, for tests. */
final class EventFiles {

  private EventFiles() {}

  static List<Path> list(Path runDir) throws IOException {
    if (!Files.isDirectory(runDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(runDir)) {
      return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().contains("tfevents"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  static List<TbEvent> events(Path file) throws IOException {
    List<TbEvent> events = new ArrayList<>();
    for (byte[] record : TfRecordReader.read(file).records()) {
      events.add(TbEvent.parse(record));
    }
    return events;
  }

  static List<TbEvent> allEvents(Path runDir) throws IOException {
    List<TbEvent> events = new ArrayList<>();
    for (Path file : list(runDir)) {
      events.addAll(events(file));
    }
    return events;
  }

  /** The HParams session ends of a run folder, in the order TensorBoard reads them (it shows the first). */
  static List<TbEvent.SessionEnd> sessionEnds(Path runDir) throws IOException {
    List<TbEvent.SessionEnd> ends = new ArrayList<>();
    for (TbEvent e : allEvents(runDir)) {
      TbEvent.Value end = e.value(HParamsEncoder.SESSION_END_TAG);
      if (end != null) {
        ends.add(TbEvent.sessionEnd(end.pluginContent()));
      }
    }
    return ends;
  }
}
