package dev.trainlog.cli.report;

import dev.trainlog.query.RunImages;
import dev.trainlog.query.spec.ImageFile;
import dev.trainlog.query.spec.StoredImage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The sample images a compare report inlines as data URIs, capped so that a report of a long run stays
 * small: per key only the latest {@value #MAX_STEPS} steps any compared run logged, and at most
 * {@value #MAX_BYTES} bytes of images in all (latest steps first; older ones are left out and the page
 * says how many). Bytes logged at several steps are inlined once.
 */
public final class ReportImages {

  /** The latest steps of each key the report shows: {@value}. */
  public static final int MAX_STEPS = 10;

  /** The encoded image bytes a report inlines at most, 32 MiB (a page about 4/3 of it): {@value}. */
  public static final long MAX_BYTES = 32L * 1024 * 1024;

  /** No images: the report shows no image section. */
  public static final ReportImages NONE = new ReportImages(List.of(), List.of(), Map.of(), "");

  private final List<Map<String, Object>> columns;
  private final List<Map<String, Object>> images;
  private final Map<String, String> files;
  private final String note;

  private ReportImages(List<Map<String, Object>> columns, List<Map<String, Object>> images, Map<String, String> files,
      String note) {
    this.columns = columns;
    this.images = images;
    this.files = files;
    this.note = note;
  }

  /** The images of the runs {@code labels} names (run id to label, in column order), capped as the class says. */
  public static ReportImages read(RunImages source, Map<String, String> labels) {
    return read(source, labels, MAX_STEPS, MAX_BYTES);
  }

  /** As {@link #read(RunImages, Map)} with other caps: the latest {@code maxSteps} steps a key, {@code maxBytes} in all. */
  public static ReportImages read(RunImages source, Map<String, String> labels, int maxSteps, long maxBytes) {
    List<Map<String, Object>> columns = new ArrayList<>();
    Map<String, TreeMap<Long, List<Shown>>> byKey = new TreeMap<>();
    labels.forEach((run, label) -> {
      List<StoredImage> list = source.list(run);
      Set<Integer> ranks = new TreeSet<>();
      list.forEach(i -> ranks.add(i.rank()));
      if (ranks.isEmpty()) {
        columns.add(Map.of("id", run, "label", label)); // "no image" beside the runs that have some
      }
      for (int rank : ranks) {
        columns.add(Map.of("id", column(run, rank, ranks.size()), "label",
            label + (ranks.size() > 1 ? " · rank " + rank : "")));
      }
      for (StoredImage i : list) {
        byKey.computeIfAbsent(i.key(), k -> new TreeMap<>()).computeIfAbsent(i.step(), s -> new ArrayList<>())
            .add(new Shown(i, column(run, i.rank(), ranks.size())));
      }
    });
    // latest steps first across keys, so a byte cap leaves out the oldest steps
    List<Map.Entry<Long, List<Shown>>> groups = new ArrayList<>();
    int allSteps = 0;
    for (TreeMap<Long, List<Shown>> steps : byKey.values()) {
      allSteps += steps.size();
      steps.descendingMap().entrySet().stream().limit(maxSteps).forEach(groups::add);
    }
    groups.sort(Map.Entry.<Long, List<Shown>>comparingByKey().reversed());
    List<Map<String, Object>> images = new ArrayList<>();
    Map<String, String> files = new LinkedHashMap<>();
    Set<String> pending = new LinkedHashSet<>();
    long total = 0;
    int shownSteps = 0;
    for (Map.Entry<Long, List<Shown>> group : groups) {
      long more = 0;
      pending.clear();
      for (Shown s : group.getValue()) {
        if (!files.containsKey(s.image.fileId()) && pending.add(s.image.fileId())) {
          more += Math.max(0, s.image.bytes());
        }
      }
      if (total + more > maxBytes) {
        break;
      }
      total += more;
      shownSteps++;
      for (Shown s : group.getValue()) {
        if (!files.containsKey(s.image.fileId())) {
          ImageFile f = source.read(s.image).orElse(null);
          if (f == null) {
            continue; // the step document refers to a file GridFS does not hold (yet): nothing to show
          }
          files.put(s.image.fileId(), "data:" + f.contentType() + ";base64," + Base64.getEncoder().encodeToString(f.bytes()));
        }
        images.add(image(s));
      }
    }
    images.sort(Comparator.comparing((Map<String, Object> m) -> (String) m.get("key"))
        .thenComparingLong(m -> (Long) m.get("step")));
    String note = images.isEmpty() ? "" : note(shownSteps, allSteps, maxSteps, maxBytes, total);
    return new ReportImages(columns, images, files, note);
  }

  private static String note(int shown, int all, int maxSteps, long maxBytes, long total) {
    String cap = "at most the latest " + maxSteps + " steps of each key and " + maxBytes / (1024 * 1024)
        + " MiB of images in all";
    return shown == all ? "Every logged step of each key is inlined (" + human(total) + "; a report inlines " + cap + ")."
        : shown + " of " + all + " logged (key, step) pairs are inlined, the latest first (" + human(total)
            + "; a report inlines " + cap + "); trainlog ui and trainlog export --images show them all.";
  }

  private static String human(long bytes) {
    return dev.trainlog.api.Image.humanSize(bytes);
  }

  private static String column(String run, int rank, int ranks) {
    return ranks > 1 ? run + "#" + rank : run;
  }

  private static Map<String, Object> image(Shown s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", s.image.key());
    m.put("column", s.column);
    m.put("step", s.image.step());
    m.put("index", s.image.index());
    m.put("file", s.image.fileId());
    m.put("width", s.image.width());
    m.put("height", s.image.height());
    return m;
  }

  /** Whether there is any image to show. */
  public boolean isEmpty() {
    return images.isEmpty();
  }

  /** How many images the report shows. */
  public int size() {
    return images.size();
  }

  /** The JSON the page's image script reads: columns, images, files (id to data URI) and a note. */
  public Map<String, Object> data() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("columns", columns);
    out.put("images", images);
    out.put("files", files);
    out.put("note", note);
    return out;
  }

  private record Shown(StoredImage image, String column) {}
}
