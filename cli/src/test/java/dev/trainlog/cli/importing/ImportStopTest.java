package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import dev.trainlog.cli.TestMongo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C or SIGTERM during an import closes the run being read as killed, at its last event read, and stops. */
class ImportStopTest {

  @TempDir Path tmp;

  @Test
  void aStopClosesTheRunBeingReadAsKilledAndReadsNoFurther() throws Exception {
    try (TestMongo mongo = new TestMongo()) {
      Path logs = tmp.resolve("logs");
      TbEventWriter w = new TbEventWriter(logs.resolve("exp/long/events.out.tfevents.1764950000.gpu.1.0"));
      for (int s = 0; s < 5000; s++) {
        w.scalars(s, 1_764_950_000.0 + s, Map.of("loss", (double) s));
      }
      new TbEventWriter(logs.resolve("exp/next/events.out.tfevents.1764950000.gpu.1.0"))
          .scalars(0, 1_764_950_000.0, Map.of("loss", 1.0));
      AtomicInteger asked = new AtomicInteger();
      TbImporter importer = importer(mongo, () -> asked.incrementAndGet() > 1); // comes while the first run is read

      ImportTotals totals = importer.importAll(logs);

      assertThat(importer.stopped()).isTrue();
      assertThat(totals.events()).isEqualTo(TbImporter.PROGRESS_EVERY);
      Document run = mongo.db().getCollection("runs").find(Filters.eq("run_name", "long")).first();
      assertThat(run.getString("status")).isEqualTo("killed");
      // the file's first event is its version record: 4096 events reach step 4094
      assertThat(run.getDate("end_time")).isEqualTo(new Date((1_764_950_000L + 4094) * 1000));
      assertThat(mongo.db().getCollection("runs").countDocuments(Filters.eq("run_name", "next"))).isZero();
    }
  }

  @Test
  void aStepTheStopCutInTwoIsStoredWholeByTheNextImport() throws Exception {
    try (TestMongo mongo = new TestMongo()) {
      Path logs = tmp.resolve("logs");
      // as PyTorch writes them: an event per add_scalar, so a step is two events
      TbEventWriter w = new TbEventWriter(logs.resolve("exp/long/events.out.tfevents.1764950000.gpu.1.0"));
      for (int s = 0; s < 2500; s++) {
        w.scalars(s, 1_764_950_000.0 + s, Map.of("loss", (double) s));
        w.scalars(s, 1_764_950_000.0 + s, Map.of("lr", s / 4.0));
      }
      AtomicInteger asked = new AtomicInteger();
      TbImporter stopped = importer(mongo, () -> asked.incrementAndGet() > 1);
      stopped.importAll(logs);
      assertThat(stopped.stopped()).isTrue(); // after 4096 events: the version and step 2047's loss is the last

      importer(mongo, () -> false).importAll(logs);

      assertThat(mongo.db().getCollection("experiments").countDocuments()).isEqualTo(2500);
      Document cut = mongo.db().getCollection("experiments").find(Filters.eq("step", 2047L)).first();
      assertThat(cut.get("metrics", Document.class)).containsEntry("loss", 2047.0).containsEntry("lr", 2047 / 4.0);
    }
  }

  /** An import into {@code mongo} that asks {@code stop} every {@value TbImporter#PROGRESS_EVERY} events. */
  private TbImporter importer(TestMongo mongo, BooleanSupplier stop) throws Exception {
    Path yaml = Fixtures.yaml(tmp, "  mongo: {type: mongodb, sample: always, uri: '" + mongo.uri + "'}\n");
    return new TbImporter(new RunNaming(null), new YamlDispatchers(yaml, Map.of()),
        new ImportProgress(new PrintWriter(new StringWriter()), false), RunEvents.NONE, stop);
  }
}
