package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlog.tensorboard.read.EventFileReader;
import dev.trainlog.tensorboard.read.TbRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CutFileImportTest {

  @TempDir Path tmp;

  @Test
  void aFileCutAtEveryByteOfItsLastRecordImportsEveryCompleteRecord() throws Exception {
    Path source = Fixtures.ROOT.resolve("logs/torch/run/events.out.tfevents.1796475924.host.16921.0");
    byte[] bytes = Files.readAllBytes(source);
    List<TbRecord> records = new ArrayList<>();
    try (EventFileReader reader = EventFileReader.open(source)) {
      for (TbRecord r; (r = reader.next()) != null; ) {
        records.add(r);
      }
    }
    long lastStart = records.get(records.size() - 1).offset();
    Path yaml = Fixtures.yaml(tmp, "  lines: {type: jsonl, path: '" + tmp + "/out/${CUT}.jsonl'}\n");

    for (long cut = lastStart; cut < bytes.length; cut++) {
      Path run = tmp.resolve("logs/cut" + cut + "/run");
      Files.createDirectories(run);
      Files.write(run.resolve(source.getFileName()), Arrays.copyOf(bytes, (int) cut));
      StringWriter out = new StringWriter();
      YamlDispatchers dispatchers = new YamlDispatchers(yaml, Map.of("CUT", Long.toString(cut)));

      ImportTotals totals = new TbImporter(new RunNaming(null), dispatchers,
          new ImportProgress(new PrintWriter(out), false), RunEvents.NONE, () -> false).importAll(run.getParent());

      TreeSet<String> expected = new TreeSet<>();
      long complete = 0;
      for (TbRecord r : records) {
        if (r.endOffset() <= cut) {
          complete++;
          for (String tag : r.scalars().keySet()) {
            expected.add(r.step() + " " + tag);
          }
          for (String tag : r.histograms().keySet()) {
            expected.add(r.step() + " " + tag);
          }
          for (String tag : r.texts().keySet()) {
            expected.add(r.step() + " " + tag);
          }
        }
      }
      TreeSet<String> imported = new TreeSet<>();
      for (JsonNode line : Fixtures.jsonLines(tmp.resolve("out/" + cut + ".jsonl"))) {
        line.get("metrics").fieldNames().forEachRemaining(tag -> imported.add(line.get("step").asLong() + " " + tag));
      }
      assertThat(imported).as("cut at byte %d", cut).isEqualTo(expected);
      assertThat(totals.events()).as("cut at byte %d", cut).isEqualTo(complete);
      assertThat(out.toString()).as("cut at byte %d", cut)
          .contains(cut > lastStart ? "files ending in an incomplete record: 1" : "skipped: ");
    }
  }
}
