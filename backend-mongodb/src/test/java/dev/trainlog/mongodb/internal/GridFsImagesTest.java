package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.model.Filters;
import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestImages;
import dev.trainlog.testkit.TestRecords;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images and artifacts in GridFS on mongo-java-server over TCP, read back with the official driver's
 * GridFS API: metadata as documented, stored once per content per run, referred to by the step document.
 */
class GridFsImagesTest {

  @TempDir Path dir;
  private TestServer server;
  private MongoClient client;
  private MongoDatabase db;

  @BeforeEach
  void start() {
    server = TestServer.memory();
    client = Fixtures.client(server.uri());
    db = client.getDatabase("ai_training_logs");
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static byte[] png(int w, int h, int fill) {
    return TestImages.png(w, h, fill, 40);
  }


  private LogBackend opened(RunInfo run) throws Exception {
    LogBackend backend = Fixtures.backend(Fixtures.config(server.uri()), run, dir);
    backend.open();
    return backend;
  }

  private byte[] download(String id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GridFSBuckets.create(db).downloadToStream(new BsonString(id), out);
    return out.toByteArray();
  }

  @Test
  void imagesGoToGridFsOncePerContentAndTheStepDocumentRefersToThem() throws Exception {
    RunInfo run = TestRecords.run("exp", "gridfs");
    LogBackend backend = opened(run);
    byte[] a = png(1024, 1024, 1);
    byte[] b = png(512, 256, 2);
    Path ckpt = Files.write(dir.resolve("lora.safetensors"), new byte[] {9, 8, 7});
    List<LogRecord> records = new ArrayList<>();
    for (long step : new long[] {500, 1000}) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("loss", 1.0 / step);
      m.put("samples/prompt_0", Images.of(List.of(Image.of(a), Image.of(step == 500 ? b : a))));
      records.add(TestRecords.record(run, step, m));
    }
    String ckptId = Image.sha256(new byte[] {9, 8, 7});
    records.add(TestRecords.record(run, 1000, Map.of("ckpt/lora.safetensors",
        new Artifact("ckpt/lora.safetensors", 3, ckptId, ckpt))));
    backend.write(records);
    backend.write(records.subList(0, 1)); // a replay after a restart adds nothing
    backend.close(RunStatus.FINISHED);

    String idA = run.runId() + "/" + Image.sha256(a);
    String idB = run.runId() + "/" + Image.sha256(b);
    List<Document> files = db.getCollection("fs.files").find().into(new ArrayList<>());
    assertThat(files).extracting(f -> f.getString("_id")).containsExactlyInAnyOrder(idA, idB,
        run.runId() + "/" + ckptId);
    Document metaA = db.getCollection("fs.files").find(Filters.eq("_id", idA)).first().get("metadata", Document.class);
    assertThat(metaA).containsEntry("run", run.runId()).containsEntry("rank", 0).containsEntry("step", 500L)
        .containsEntry("key", "samples/prompt_0").containsEntry("content_type", "image/png")
        .containsEntry("sha256", Image.sha256(a)).containsEntry("width", 1024).containsEntry("height", 1024);
    assertThat(download(idA)).isEqualTo(a);
    assertThat(download(idB)).isEqualTo(b);
    assertThat(download(run.runId() + "/" + ckptId)).containsExactly(9, 8, 7);

    Document step500 = db.getCollection("experiments").find(Filters.eq("step", 500L)).first();
    @SuppressWarnings("unchecked")
    List<Document> refs = (List<Document>) step500.get("metrics", Document.class).get("samples/prompt_0");
    assertThat(refs).extracting(r -> r.getString("gridfs_id")).containsExactly(idA, idB);
    assertThat(refs.get(1)).containsEntry("width", 512).containsEntry("height", 256);
  }

  @SuppressWarnings("unchecked")
  private String gridFsIdAt(long step, String key) {
    Object ref = db.getCollection("experiments").find(Filters.eq("step", step)).first().get("metrics", Document.class)
        .get(key);
    return ref instanceof List<?> list ? ((List<Document>) list).get(0).getString("gridfs_id")
        : ((Document) ref).getString("gridfs_id");
  }

  @Test
  void anotherContentUnderAContentIdUsedAgainIsStoredApartAndItsStepsReferToIt() throws Exception {
    // a journal's content id names one content only while its file is there: after a sweep, another content
    // of the same length may get it (the CRC-32C of each half and the length)
    RunInfo run = TestRecords.run("exp", "reused-id");
    LogBackend backend = opened(run);
    byte[] a = png(64, 64, 1);
    byte[] b = png(64, 64, 2);
    assertThat(a).hasSameSizeAs(b).isNotEqualTo(b);
    String contentId = "0123456789abcdef-" + Integer.toHexString(a.length);
    Path fileA = Files.write(dir.resolve("a.bin"), new byte[] {1, 2, 3});
    Path fileB = Files.write(dir.resolve("b.bin"), new byte[] {4, 5, 6});
    List<LogRecord> records = new ArrayList<>();
    for (long step = 1; step <= 4; step++) {
      byte[] bytes = step % 2 == 1 ? a : b;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("samples/x", Images.of(List.of(new Image(Image.Format.PNG, 64, 64, bytes.length, contentId, () -> bytes))));
      m.put("ckpt", new Artifact("ckpt", 3, "fedcba9876543210-3", step % 2 == 1 ? fileA : fileB));
      records.add(TestRecords.record(run, step, m));
    }
    backend.write(records.subList(0, 2));
    backend.write(records.subList(2, 4)); // each content again, in a later batch
    backend.close(RunStatus.FINISHED);

    String idA = run.runId() + "/" + contentId;
    String idB = idA + "~" + Image.sha256(b).substring(0, 16);
    String artifactA = run.runId() + "/fedcba9876543210-3";
    String artifactB = artifactA + "~" + Image.sha256(new byte[] {4, 5, 6}).substring(0, 16);
    assertThat(db.getCollection("fs.files").find().into(new ArrayList<>())).extracting(f -> f.getString("_id"))
        .containsExactlyInAnyOrder(idA, idB, artifactA, artifactB);
    assertThat(download(idA)).isEqualTo(a);
    assertThat(download(idB)).isEqualTo(b);
    assertThat(download(artifactB)).containsExactly(4, 5, 6);
    assertThat(List.of(1L, 2L, 3L, 4L)).extracting(step -> gridFsIdAt(step, "samples/x"))
        .containsExactly(idA, idB, idA, idB);
    assertThat(List.of(1L, 2L, 3L, 4L)).extracting(step -> gridFsIdAt(step, "ckpt"))
        .containsExactly(artifactA, artifactB, artifactA, artifactB);
  }

  @Test
  void anImageStoredBeforeWhoseJournalFileIsGoneIsTakenAsStored() throws Exception {
    RunInfo run = TestRecords.run("exp", "file-gone");
    LogBackend backend = opened(run);
    byte[] a = png(64, 64, 3);
    String contentId = "00112233aabbccdd-" + Integer.toHexString(a.length);
    Image stored = new Image(Image.Format.PNG, 64, 64, a.length, contentId, () -> a);
    Image gone = new Image(Image.Format.PNG, 64, 64, a.length, contentId, () -> {
      throw new java.nio.file.NoSuchFileException("blobs/" + contentId + ".png");
    });
    backend.write(List.of(TestRecords.record(run, 1, Map.of("samples/x", Images.of(List.of(stored))))));
    backend.write(List.of(TestRecords.record(run, 2, Map.of("samples/x", Images.of(List.of(gone))))));
    backend.close(RunStatus.FINISHED);
    assertThat(gridFsIdAt(2, "samples/x")).isEqualTo(run.runId() + "/" + contentId);
    assertThat(db.getCollection("fs.files").countDocuments()).isEqualTo(1);
  }
}
