package dev.trainlog.tensorboard.read;

import java.util.HashMap;
import java.util.Map;

/**
 * Interprets the values of a {@code Summary}: scalars, histograms, texts and HParams sessions are
 * read into the event's content, every other kind is counted by plugin name or value kind. Writers
 * put plugin metadata only on a tag's first value (TensorFlow 2), so the plugin of each tag seen is
 * remembered for the values that come without it.
 */
final class SummaryDecoder {

  /** Tags whose plugin is remembered before the memory starts over: {@value}. */
  static final int MAX_REMEMBERED_TAGS = 65_536;

  // Summary and Summary.Value
  private static final int SUMMARY_VALUE = 1;
  private static final int TAG = 1;
  private static final int SIMPLE_VALUE = 2;
  private static final int OLD_STYLE_HISTOGRAM = 3;
  private static final int IMAGE = 4;
  private static final int HISTO = 5;
  private static final int AUDIO = 6;
  private static final int TENSOR = 8;
  private static final int METADATA = 9;
  // Summary.Image
  private static final int IMAGE_ENCODED = 4;
  // SummaryMetadata and its PluginData
  private static final int METADATA_PLUGIN_DATA = 1;
  private static final int PLUGIN_NAME = 1;
  private static final int PLUGIN_CONTENT = 2;

  private final Map<String, String> pluginByTag = new HashMap<>();

  void decode(WireReader summary, EventContent out) {
    for (int f; (f = summary.nextField()) != -1; ) {
      if (f == SUMMARY_VALUE) {
        value(summary.readMessage(), out);
      } else {
        summary.skip();
      }
    }
  }

  private void value(WireReader in, EventContent out) {
    String tag = "";
    Float simple = null;
    WireReader histo = null;
    WireReader tensor = null;
    String plugin = null;
    byte[] content = new byte[0];
    String otherKind = null;
    WireReader image = null;
    for (int f; (f = in.nextField()) != -1; ) {
      switch (f) {
        case TAG -> tag = in.readString();
        case SIMPLE_VALUE -> simple = in.readFloat();
        case HISTO -> histo = in.readMessage();
        case TENSOR -> tensor = in.readMessage();
        case METADATA -> {
          WireReader metadata = in.readMessage();
          for (int g; (g = metadata.nextField()) != -1; ) {
            if (g == METADATA_PLUGIN_DATA) {
              WireReader data = metadata.readMessage();
              for (int h; (h = data.nextField()) != -1; ) {
                if (h == PLUGIN_NAME) {
                  plugin = data.readString();
                } else if (h == PLUGIN_CONTENT) {
                  content = data.readBytes();
                } else {
                  data.skip();
                }
              }
            } else {
              metadata.skip();
            }
          }
        }
        case IMAGE -> image = in.readMessage();
        case AUDIO -> otherKind = skipKind(in, "audio");
        case OLD_STYLE_HISTOGRAM -> otherKind = skipKind(in, "old_style_histogram");
        default -> in.skip();
      }
    }
    if (plugin != null && !plugin.isEmpty()) {
      remember(tag, plugin);
    } else {
      plugin = pluginByTag.get(tag);
    }
    if (simple != null) {
      out.scalars.put(tag, (double) simple);
    } else if (histo != null) {
      out.histograms.put(tag, HistogramDecoder.fromProto(histo));
    } else if (image != null) {
      image(tag, image, out);
    } else if (otherKind != null) {
      out.skip(plugin != null ? plugin : otherKind);
    } else if ("hparams".equals(plugin)) {
      hparams(content, out);
    } else if (tensor != null) {
      tensor(tag, plugin, TensorValue.decode(tensor), out);
    } else {
      out.skip(plugin != null ? plugin : "empty");
    }
  }

  /** A {@code Summary.Image}: its encoded bytes are taken as they are when they are PNG or JPEG. */
  private static void image(String tag, WireReader in, EventContent out) {
    byte[] encoded = null;
    for (int f; (f = in.nextField()) != -1; ) {
      if (f == IMAGE_ENCODED) {
        encoded = in.readBytes();
      } else {
        in.skip();
      }
    }
    try {
      out.images.put(tag, dev.trainlog.api.Image.of(encoded == null ? new byte[0] : encoded));
    } catch (IllegalArgumentException e) {
      out.skip("image"); // a GIF or raw pixels: nothing TrainLog carries
    }
  }

  private static String skipKind(WireReader in, String kind) {
    in.skip();
    return kind;
  }

  private static void tensor(String tag, String plugin, TensorValue t, EventContent out) {
    if (plugin == null || plugin.equals("scalars")) {
      // without metadata a one-element number is a scalar: how a reader resumed past a tag's first value sees it
      if (t.isNumeric() && t.elementCount() == 1 && t.numbers().length == 1) {
        out.scalars.put(tag, t.numbers()[0]);
        return;
      }
    } else if (plugin.equals("histograms")) {
      TbHistogram h = HistogramDecoder.fromTensor(t);
      if (h != null) {
        out.histograms.put(tag, h);
        return;
      }
    } else if (plugin.equals("text") && t.dtype() == TensorValue.DT_STRING) {
      out.texts.put(tag, String.join("\n", t.strings()));
      return;
    }
    out.skip(plugin != null ? plugin : "tensor");
  }

  private static void hparams(byte[] content, EventContent out) {
    HParamsDecoder.Content c = HParamsDecoder.decode(content);
    if (c.sessionStart() != null) {
      out.sessionStart = c.sessionStart();
    } else if (c.sessionEndStatus() != null) {
      out.sessionEndStatus = c.sessionEndStatus();
    } else {
      out.skip(c.experiment() ? "hparams/experiment" : "hparams");
    }
  }

  private void remember(String tag, String plugin) {
    if (!plugin.equals(pluginByTag.get(tag))) {
      if (pluginByTag.size() >= MAX_REMEMBERED_TAGS) {
        pluginByTag.clear();
      }
      pluginByTag.put(tag, plugin);
    }
  }
}
