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
          ImageContent content = new ImageContent(image);
          String target = target(record.run(), image.contentId(), content, moved);
          if (target != null) {
            byte[] bytes = content.bytes();
            Document meta = meta(record, e.getKey(), image.format().contentType(), content.sha256())
                .append("width", image.width()).append("height", image.height());
            upload(target, e.getKey() + "." + image.format().extension(), meta, () -> new ByteArrayInputStream(bytes));
          }
        }
      } else if (e.getValue() instanceof Artifact a) {
        ArtifactContent content = new ArtifactContent(a);
        String target = target(record.run(), a.contentId(), content, moved);
        if (target != null) {
          Document meta = meta(record, a.name(), "application/octet-stream", content.sha256()).append("kind", "artifact");
          upload(target, a.name(), meta, () -> Files.newInputStream(a.file()));
        }
      }
    }
    return moved;
  }

  /** An image's or an artifact's content: its length, and its SHA-256 computed once, when first asked for. */
  private abstract static class Content {
    private String sha;

    abstract long length() throws IOException;

    abstract String computeSha256() throws IOException;

    final String sha256() throws IOException {
      if (sha == null) {
        sha = computeSha256();
      }
      return sha;
    }
  }

  /** An image's bytes, read from the journal once (an {@link UncheckedIOException} when they are gone). */
  private static final class ImageContent extends Content {
    private final Image image;
    private byte[] bytes;

    ImageContent(Image image) {
      this.image = image;
    }

    byte[] bytes() {
      if (bytes == null) {
        bytes = image.bytes();
      }
      return bytes;
    }

    @Override
    long length() {
      return bytes().length;
    }

    @Override
    String computeSha256() {
      return Image.sha256(bytes());
    }
  }

  private static final class ArtifactContent extends Content {
    private final Artifact artifact;

    ArtifactContent(Artifact artifact) {
      this.artifact = artifact;
    }

    @Override
    long length() {
      return artifact.length();
    }

    @Override
    String computeSha256() throws IOException {
      return sha256Of(artifact);
    }
  }

  /**
   * The GridFS id {@code content} goes under, or null when it is stored there already: {@link #idOf} its
   * content id unless a file with another SHA-256 is there, and then {@code <that id>~<16 hex digits of its
   * SHA-256>} (put in {@code moved}). A files document without a SHA-256 (none is written without one), or one
   * whose content has left the journal since (nothing to compare), is taken as this content.
   */
  private String target(RunInfo run, String contentId, Content content, Map<String, String> moved)
      throws IOException {
    String id = idOf(run, contentId);
    Document stored = fileDocument(id);
    if (stored == null) {
      return id;
    }
    Document meta = stored.get("metadata", Document.class);
    String storedSha = meta == null ? null : meta.getString("sha256");
    if (storedSha == null) {
      return null;
    }
    String sha;
    try {
      sha = content.sha256();
    } catch (NoSuchFileException gone) {
      return null;
    } catch (UncheckedIOException gone) {
      if (gone.getCause() instanceof NoSuchFileException) {
        return null;
      }
      throw gone;
    }
    if (storedSha.equals(sha) && stored.get("length") instanceof Number n && n.longValue() == content.length()) {
      return null;
    }
    String other = id + "~" + sha.substring(0, 16);
    moved.put(contentId, other);
    return fileDocument(other) == null ? other : null;
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
