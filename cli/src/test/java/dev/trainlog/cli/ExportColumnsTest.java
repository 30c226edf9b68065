package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.query.RunImages;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.testkit.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which columns and rows {@code trainlog export} writes for a run that logged scalars, an image grid, an
 * artifact and a system reading, against MongoDB and GridFS over TCP.
 */
class ExportColumnsTest {

  @TempDir Path tmp;
  private TestMongo server;

  @BeforeEach
  void logARun() throws IOException {
    server = new TestMongo();
    Path ckpt = Files.writeString(tmp.resolve("lora.safetensors"), "weights");
    LogDispatcher d = new LoggedRuns(server.uri, tmp)
        .dispatcher(LoggedRuns.run("cols_exp", "cols", "cols-run", 8), new MutableClock(LoggedRuns.T0));
    d.step(1).scalar("loss", 0.5).scalar("lr", 0.1).log();
    d.step(2).scalar("loss", 0.25).image("samples/grid", ImageRuns.png(0, 2, 0)).image("samples/grid",
        ImageRuns.png(0, 2, 1)).log();
    d.artifact(ckpt, "checkpoints/lora.safetensors");
    d.step(3).scalar("system/cpu_percent", 12.5).log();
    d.close(RunStatus.FINISHED);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Cli.Result export(String... args) {
    return new Cli(CommandsContract.LATER, List.of("--store", server.uri)).run(args);
  }

  @Test
  void csvByDefaultHasAColumnPerScalarAndNoneForImagesOrArtifacts() {
    Cli.Result r = export("export", "cols-run", "--format", "csv");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).containsExactly(
        "experiment,run,name,rank,step,timestamp,loss,lr,system/cpu_percent",
        "cols_exp,cols-run,cols,0,1,2026-11-20T10:00:00Z,0.5,0.1,",
        "cols_exp,cols-run,cols,0,2,2026-11-20T10:00:00Z,0.25,,",
        "cols_exp,cols-run,cols,0,3,2026-11-20T10:00:00Z,,,12.5");
  }

  @Test
  void jsonLinesByDefaultLeaveImagesAndArtifactsOutToo() {
    Cli.Result r = export("export", "cols-run", "--format", "jsonl");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().map(l -> l.substring(l.indexOf("\"metrics\"")))).containsExactly(
        "\"metrics\":{\"loss\":0.5,\"lr\":0.1}}", "\"metrics\":{\"loss\":0.25}}",
        "\"metrics\":{\"system/cpu_percent\":12.5}}");
  }

  @Test
  void aRecordWithNoneOfTheSelectedMetricsHasNoRow() {
    Cli.Result r = export("export", "cols-run", "--metric", "loss,lr");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).containsExactly(
        "experiment,run,name,rank,step,timestamp,loss,lr",
        "cols_exp,cols-run,cols,0,1,2026-11-20T10:00:00Z,0.5,0.1",
        "cols_exp,cols-run,cols,0,2,2026-11-20T10:00:00Z,0.25,");
  }

  @Test
  void anImageOrArtifactSelectedByNameIsWrittenAsItsGridFsIds() {
    List<String> imageIds = RunImages.on(server.db(), StoreSchema.DEFAULT_STEPS).list("cols-run").stream()
        .map(i -> i.fileId()).toList();
    String artifactId = server.db().getCollection("fs.files").find(new Document("metadata.kind", "artifact"))
        .first().getString("_id");

    Cli.Result csv = export("export", "cols-run", "--metric", "samples/grid,checkpoints/lora.safetensors");
    Cli.Result jsonl = export("export", "cols-run", "--format", "jsonl", "--metric", "samples/grid");

    assertThat(imageIds).hasSize(2);
    assertThat(csv.code()).as(csv.err()).isZero();
    assertThat(csv.out().lines().toList()).containsExactly(
        "experiment,run,name,rank,step,timestamp,samples/grid,checkpoints/lora.safetensors",
        "cols_exp,cols-run,cols,0,2,2026-11-20T10:00:00Z," + String.join(" ", imageIds) + ",",
        "cols_exp,cols-run,cols,0,2,2026-11-20T10:00:00Z,," + artifactId);
    assertThat(jsonl.out().lines().toList()).singleElement().asString().endsWith("\"metrics\":{\"samples/grid\":["
        + "{\"gridfs_id\":\"" + imageIds.get(0) + "\",\"content_type\":\"image/png\",\"width\":40,\"height\":32},"
        + "{\"gridfs_id\":\"" + imageIds.get(1) + "\",\"content_type\":\"image/png\",\"width\":44,\"height\":32}]}}");
  }
}
