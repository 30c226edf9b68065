package dev.trainlog.tensorboard.read;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the decoders gather from one event before it becomes a {@link TbRecord}. */
final class EventContent {

  double wallTime;
  long step;
  String fileVersion;
  String sessionLog;
  final Map<String, Double> scalars = new LinkedHashMap<>();
  final Map<String, TbHistogram> histograms = new LinkedHashMap<>();
  final Map<String, String> texts = new LinkedHashMap<>();
  final Map<String, dev.trainlog.api.Image> images = new LinkedHashMap<>();
  TbSessionStart sessionStart;
  String sessionEndStatus;
  final Map<String, Integer> skipped = new LinkedHashMap<>();

  void skip(String kind) {
    skipped.merge(kind, 1, Integer::sum);
  }

  TbRecord toRecord(long offset, long endOffset, int crcErrors) {
    return new TbRecord(offset, endOffset, wallTime, step, fileVersion, sessionLog, scalars, histograms, texts,
        images, sessionStart, sessionEndStatus, skipped, crcErrors);
  }
}
