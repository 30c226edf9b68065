package dev.trainlog.mongodb.internal;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import com.mongodb.client.model.Filters;
import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.Map;
import org.bson.BsonString;
import org.bson.Document;

/**
 * Images and artifacts in GridFS ({@code fs.files}, {@code fs.chunks}): one file per content per run, its
 * {@code _id} {@code <run id>/<content id>}, so a replayed record or the same image logged twice is
 * stored once. {@code fs.files.metadata} holds run, rank, step, key, content type, sha256 and, for an
 * image, width and height; the step document refers to the file by that id.
 */
final class GridFsFiles {

  private final GridFSBucket bucket;
  private final MongoDatabase db;
  private final String bucketName;

  GridFsFiles(MongoDatabase db, String bucketName) {
    this.db = db;
    this.bucketName = bucketName;
    this.bucket = GridFSBuckets.create(db, bucketName);
  }

  /** The GridFS id of content {@code contentId} of {@code run}. */
  static String idOf(RunInfo run, String contentId) {
    return run.runId() + "/" + contentId;
  }

  /**
   * Uploads what {@code record} refers to and is not stored yet, and returns the GridFS ids that are not
   * {@link #idOf} their content id (usually none). A journal's content id names one content only while its
   * file is in the journal: once a sweep deleted it, another content of the same length can get the same id.
   * So a file already stored under the id is taken as this content only when its SHA-256 is this content's;
   * another content is stored under {@code <run id>/<content id>~<16 hex digits of its SHA-256>}.
   */
  Map<String, String> store(LogRecord record) throws IOException {
    Map<String, String> moved = new HashMap<>();
    for (Map.Entry<String, Object> e : record.metrics().entrySet()) {
      if (e.getValue() instanceof Images images) {
        for (Image image : images) {
          String id = idOf(record.run(), image.contentId());
          Document stored = fileDocument(id);
          byte[] bytes;
          try {
            bytes = image.bytes();
          } catch (UncheckedIOException gone) {
            if (stored != null && gone.getCause() instanceof NoSuchFileException) {
              continue; // stored before, and its file has left the journal since: nothing to compare, taken as stored
            }
            throw gone;
          }
          if (stored != null && storedIs(stored, bytes.length, () -> Image.sha256(bytes), id, moved, image.contentId())) {
            continue;
          }
          String gridFsId = moved.getOrDefault(image.contentId(), id);
          if (stored != null && fileDocument(gridFsId) != null) {
            continue; // that other content is stored already
          }
          Document meta = meta(record, e.getKey(), image.format().contentType(), Image.sha256(bytes))
              .append("width", image.width()).append("height", image.height());
          upload(gridFsId, e.getKey() + "." + image.format().extension(), meta, () -> new ByteArrayInputStream(bytes));
        }
      } else if (e.getValue() instanceof Artifact a) {
        String id = idOf(record.run(), a.contentId());
        Document stored = fileDocument(id);
        if (stored != null && (!Files.exists(a.file())
            || storedIs(stored, a.length(), () -> sha256Of(a), id, moved, a.contentId()))) {
          continue; // the same content, or stored before and its file gone from the journal since
        }
        String gridFsId = moved.getOrDefault(a.contentId(), id);
        if (stored != null && fileDocument(gridFsId) != null) {
          continue;
        }
        Document meta = meta(record, a.name(), "application/octet-stream", sha256Of(a)).append("kind", "artifact");
        upload(gridFsId, a.name(), meta, () -> Files.newInputStream(a.file()));
      }
    }
    return moved;
  }

  private interface Sha256 {
    String compute() throws IOException;
  }

  /**
   * Whether {@code stored} (the files document under {@code id}) holds the content of {@code length} bytes
   * whose SHA-256 {@code sha256} computes; when not, the id that content goes under is put in {@code moved}.
   * A document without a SHA-256 (none is written without one) is taken as the same content.
   */
  private static boolean storedIs(Document stored, long length, Sha256 sha256, String id, Map<String, String> moved,
      String contentId) throws IOException {
    Document meta = stored.get("metadata", Document.class);
    String storedSha = meta == null ? null : meta.getString("sha256");
    if (storedSha == null) {
      return true;
    }
    String sha = sha256.compute();
    if (storedSha.equals(sha) && stored.get("length") instanceof Number n && n.longValue() == length) {
      return true;
    }
    moved.put(contentId, id + "~" + sha.substring(0, 16));
    return false;
  }

  private static String sha256Of(Artifact a) throws IOException {
    try (InputStream in = new java.security.DigestInputStream(Files.newInputStream(a.file()),
        java.security.MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return java.util.HexFormat.of().formatHex(((java.security.DigestInputStream) in).getMessageDigest().digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The files document under {@code id}, or null. */
  private Document fileDocument(String id) {
    return db.getCollection(bucketName + ".files").find(Filters.eq("_id", id)).first();
  }

  private static Document meta(LogRecord r, String key, String contentType, String sha256) {
    return new Document("run", r.run().runId()).append("exp_name", r.run().experiment())
        .append("rank", r.run().rank()).append("step", r.step()).append("key", key)
        .append("content_type", contentType).append("sha256", sha256);
  }

  private interface Opener {
    InputStream open() throws IOException;
  }

  private void upload(String id, String filename, Document meta, Opener content) throws IOException {
    GridFSUploadOptions options = new GridFSUploadOptions().metadata(meta);
    try (InputStream in = content.open()) {
      bucket.uploadFromStream(new BsonString(id), filename, in, options);
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
        throw e;
      }
      if (bucket.find(Filters.eq("_id", id)).first() != null) {
        return; // another rank of the run stored it meanwhile
      }
      // chunks a killed upload left without its files document: start that file again
      db.getCollection(bucketName + ".chunks").deleteMany(Filters.eq("files_id", id));
      try (InputStream in = content.open()) {
        bucket.uploadFromStream(new BsonString(id), filename, in, options);
      }
    }
  }
}
