package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.trainlog.mongodb.EmbeddedMongo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running embedded store advertises its port next to its file, so other processes reach it. */
class EmbeddedPortFileTest {

  @TempDir Path dir;

  @Test
  void aRunningStoreAdvertisesItsPortAndRemovesTheFileWhenItStops() {
    try (EmbeddedMongo.EmbeddedClient embedded = EmbeddedMongo.openClient(dir)) {
      embedded.client().getDatabase("db").getCollection("c").insertOne(new Document("x", 1));
      int port = EmbeddedPortFile.read(dir).orElseThrow();
      assertThat(embedded.uri()).isEqualTo("mongodb://127.0.0.1:" + port);
      try (MongoClient other = MongoClients.create("mongodb://127.0.0.1:" + port)) {
        assertThat(other.getDatabase("db").getCollection("c").countDocuments()).isEqualTo(1);
      }
    }
    assertThat(dir.resolve(EmbeddedPortFile.FILE_NAME)).doesNotExist();
    assertThat(EmbeddedPortFile.read(dir)).isEmpty();
  }

  @Test
  void aFileLeftByADeadProcessIsIgnored() throws Exception {
    Files.writeString(dir.resolve(EmbeddedPortFile.FILE_NAME), "port=27999\npid=" + Long.MAX_VALUE + "\n");
    assertThat(EmbeddedPortFile.read(dir)).isEmpty();
  }
}
