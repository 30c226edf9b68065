package dev.trainlog.cli.ui;

import dev.trainlog.query.TrainlogStore;
import dev.trainlog.query.spec.ImageFile;
import dev.trainlog.query.spec.RunRecord;
import dev.trainlog.query.spec.StoredImage;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API of a run's logged images: their list (key, rank, step, place, size, and the URL of each one's
 * bytes) and the bytes of one image from GridFS, served with its content type. Only images of the named
 * run are served; the list is metadata only, so a page loads the bytes of the step it shows.
 */
final class ImageHandlers {

  /** How long a browser may keep an image's bytes: {@value} s (a GridFS file never changes once stored). */
  static final int CACHE_SECONDS = 3600;

  private final TrainlogStore store;

  ImageHandlers(TrainlogStore store) {
    this.store = store;
  }

  /** {@code GET /api/runs/{run}/images}: {@code {run, name, images: [...]}}. */
  void list(Context ctx) {
    RunRecord run = find(ctx.pathParam("run"));
    List<Map<String, Object>> images = new ArrayList<>();
    for (StoredImage i : store.images().list(run.run())) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", i.key());
      m.put("rank", i.rank());
      m.put("step", i.step());
      m.put("index", i.index());
      m.put("width", i.width());
      m.put("height", i.height());
      m.put("content_type", i.contentType());
      m.put("bytes", i.bytes());
      m.put("url", "/api/runs/" + encode(run.run()) + "/image?id=" + encode(i.fileId()));
      images.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run", run.run());
    out.put("name", run.name());
    out.put("images", images);
    ApiHandlers.json(ctx, out);
  }

  /** {@code GET /api/runs/{run}/image?id=FILE_ID}: the encoded bytes as logged. */
  void file(Context ctx) {
    RunRecord run = find(ctx.pathParam("run"));
    String id = ctx.queryParam("id");
    if (id == null || id.isBlank()) {
      throw ApiError.badRequest("id is missing: add ?id=FILE_ID (see /api/runs/" + run.run() + "/images)");
    }
    ImageFile file = store.images().read(run.run(), id)
        .orElseThrow(() -> ApiError.notFound("run '" + run.run() + "' has no image '" + id + "'"));
    ctx.res().setCharacterEncoding(null); // Javalin sets UTF-8 on every response; PNG bytes have no charset
    ctx.contentType(file.contentType()).header("Cache-Control", "private, max-age=" + CACHE_SECONDS)
        .header("X-Content-Type-Options", "nosniff").result(file.bytes());
  }

  private RunRecord find(String id) {
    return store.run(id).orElseThrow(() -> ApiError.notFound("no run '" + id + "' in the store (see /api/runs)"));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
