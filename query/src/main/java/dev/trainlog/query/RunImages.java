package dev.trainlog.query;

import static dev.trainlog.mongodb.schema.StoreSchema.RANK;
import static dev.trainlog.mongodb.schema.StoreSchema.RUN;
import static dev.trainlog.mongodb.schema.StoreSchema.STEP;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.query.internal.Paths;
import dev.trainlog.query.spec.ImageFile;
import dev.trainlog.query.spec.StoredImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.bson.BsonString;
import org.bson.Document;

/**
 * The images a run logged, read from the MongoDB backend's store: the step documents say which images
 * (GridFS file ids, in logged order) each key has at each step, GridFS holds their bytes. Read-only.
 * A key is found through the metadata of the GridFS files the run stored, which names the key the content
 * was first logged under: identical bytes logged later under another key alone are not listed.
 */
public final class RunImages {

  /** The GridFS bucket the MongoDB backend stores images in: {@value}. */
  public static final String DEFAULT_BUCKET = "fs";

  private final MongoCollection<Document> steps;
  private final MongoCollection<Document> files;
  private final GridFSBucket bucket;

  private RunImages(MongoDatabase db, String stepsCollection, String bucketName) {
    this.steps = db.getCollection(stepsCollection);
    this.files = db.getCollection(bucketName + ".files");
    this.bucket = GridFSBuckets.create(db, bucketName);
  }

  /** The images of a database the caller opened and closes, with the given step collection and the default bucket. */
  public static RunImages on(MongoDatabase db, String stepsCollection) {
    return new RunImages(db, stepsCollection, DEFAULT_BUCKET);
  }

  /** Every image of {@code run}, all ranks, ordered by key, rank, step and place; empty when it logged none. */
  public List<StoredImage> list(String run) {
    Map<String, Long> lengths = new HashMap<>();
    TreeSet<String> keys = new TreeSet<>();
    Document projection = new Document("length", 1).append("metadata", 1);
    for (Document f : files.find(new Document("metadata." + RUN, run)).projection(projection)) {
      Document meta = f.get("metadata", Document.class);
      if (meta == null || meta.get("width") == null || meta.getString("key") == null) {
        continue; // an artifact: no image size
      }
      keys.add(meta.getString("key"));
      lengths.put(String.valueOf(f.get("_id")), f.get("length") instanceof Number n ? n.longValue() : -1L);
    }
    List<StoredImage> out = new ArrayList<>();
    for (String key : keys) {
      String path = StoreSchema.metricPath(key);
      Document filter = new Document(RUN, run).append(path, new Document("$exists", true));
      Document fields = new Document("_id", 0).append(STEP, 1).append(RANK, 1).append(path, 1);
      for (Document d : steps.find(filter).projection(fields).batchSize(10_000)) {
        if (!(d.get(STEP) instanceof Number step) || !(Paths.at(d, path) instanceof List<?> refs)) {
          continue;
        }
        int rank = d.get(RANK) instanceof Number r ? r.intValue() : 0;
        for (int i = 0; i < refs.size(); i++) {
          if (refs.get(i) instanceof Document ref && ref.get(StoreSchema.GRIDFS_ID) != null) {
            String id = String.valueOf(ref.get(StoreSchema.GRIDFS_ID));
            out.add(new StoredImage(run, rank, key, step.longValue(), i, id, ref.getString("content_type"),
                intOf(ref.get("width")), intOf(ref.get("height")), lengths.getOrDefault(id, -1L)));
          }
        }
      }
    }
    out.sort(Comparator.comparing(StoredImage::key).thenComparingInt(StoredImage::rank)
        .thenComparingLong(StoredImage::step).thenComparingInt(StoredImage::index));
    return out;
  }

  /**
   * The bytes of GridFS file {@code fileId} when it is an image of {@code run}; empty otherwise (no such
   * file, another run's, or an artifact), so a caller cannot read arbitrary files through an image id.
   */
  public Optional<ImageFile> read(String run, String fileId) {
    Document f = files.find(new Document("_id", fileId).append("metadata." + RUN, run)).first();
    Document meta = f == null ? null : f.get("metadata", Document.class);
    String type = meta == null ? null : meta.getString("content_type");
    if (type == null || !type.startsWith("image/") || meta.get("width") == null) {
      return Optional.empty();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bucket.downloadToStream(new BsonString(fileId), bytes);
    return Optional.of(new ImageFile(type, bytes.toByteArray()));
  }

  /** The bytes of {@code image}, or empty when its GridFS file is missing. */
  public Optional<ImageFile> read(StoredImage image) {
    return read(image.run(), image.fileId());
  }

  private static int intOf(Object o) {
    return o instanceof Number n ? n.intValue() : 0;
  }
}
