package dev.trainlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.query.spec.ImageFile;
import dev.trainlog.query.spec.StoredImage;
import dev.trainlog.testkit.MutableClock;
import dev.trainlog.testkit.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Images logged through a dispatcher into mongo-java-server (GridFS over TCP), read back by {@link RunImages}. */
class RunImagesTest extends RealServerTest {

  private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

  /** A distinct PNG-headed image per seed (the store keeps bytes as they are, nothing decodes them). */
  static byte[] png(int seed, int w, int h) {
    return TestImages.png(w, h, seed, 40 + seed);
  }

  @Test
  void everyImageComesBackAtItsKeyStepAndPlaceWithTheBytesAsLogged() throws IOException {
    byte[] a = png(1, 8, 6);
    byte[] b = png(2, 8, 6);
    byte[] c = png(3, 16, 12);
    Path artifact = Files.writeString(tmp.resolve("weights.safetensors"), "not an image");
    LogDispatcher d = log.dispatcher(StoreLog.run("sd", "imgs", Map.of(), T0), new MutableClock(T0));
    d.step(1).scalar("loss", 1.0).log();
    d.step(500).scalar("loss", 0.5).image("samples/grid", a).image("samples/grid", b).image("eval.sample", c).log();
    d.step(1000).scalar("loss", 0.2).image("samples/grid", b).image("samples/grid", a).log();
    d.artifact(artifact, "checkpoints/last.safetensors");
    d.close(RunStatus.FINISHED);

    List<StoredImage> images = store.images().list("imgs");

    assertThat(images).extracting(i -> i.key() + "@" + i.step() + "#" + i.index() + " " + i.width() + "x" + i.height())
        .containsExactly("eval.sample@500#0 16x12", "samples/grid@500#0 8x6", "samples/grid@500#1 8x6",
            "samples/grid@1000#0 8x6", "samples/grid@1000#1 8x6");
    assertThat(images).allSatisfy(i -> assertThat(i.contentType()).isEqualTo("image/png"));
    assertThat(images.get(3).fileId()).as("one GridFS file per content").isEqualTo(images.get(2).fileId());
    assertThat(images.get(1).bytes()).isEqualTo(a.length);
    assertThat(bytes(images.get(0))).isEqualTo(c);
    assertThat(bytes(images.get(1))).isEqualTo(a);
    assertThat(bytes(images.get(2))).isEqualTo(b);
    assertThat(bytes(images.get(3))).isEqualTo(b);
    assertThat(bytes(images.get(4))).isEqualTo(a);
  }

  @Test
  void anArtifactOrAnotherRunsFileIsNotReadThroughAnImageId() throws IOException {
    Path artifact = Files.writeString(tmp.resolve("weights.safetensors"), "not an image");
    LogDispatcher d = log.dispatcher(StoreLog.run("sd", "one", Map.of(), T0), new MutableClock(T0));
    d.step(1).image("samples/grid", png(4, 4, 4)).log();
    d.artifact(artifact, "checkpoints/last.safetensors");
    d.close(RunStatus.FINISHED);
    LogDispatcher other = log.dispatcher(StoreLog.run("sd", "two", Map.of(), T0), new MutableClock(T0));
    other.step(1).scalar("loss", 1.0).log();
    other.close(RunStatus.FINISHED);

    StoredImage image = store.images().list("one").get(0);
    String artifactId;
    try (MongoClient client = MongoClients.create(uri)) {
      Document file = client.getDatabase(StoreSchema.DEFAULT_DATABASE).getCollection("fs.files")
          .find(new Document("metadata.kind", "artifact")).first();
      artifactId = file.getString("_id");
    }

    assertThat(store.images().read("one", image.fileId())).isPresent();
    assertThat(store.images().read("two", image.fileId())).isEmpty();
    assertThat(store.images().read("one", artifactId)).isEmpty();
    assertThat(store.images().list("two")).isEmpty();
    assertThat(store.images().list("no-such-run")).isEmpty();
  }

  private byte[] bytes(StoredImage image) {
    ImageFile file = store.images().read(image).orElseThrow();
    assertThat(file.contentType()).isEqualTo("image/png");
    return file.bytes();
  }
}
