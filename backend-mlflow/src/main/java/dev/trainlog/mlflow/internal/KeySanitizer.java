package dev.trainlog.mlflow.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps any key to one MLflow accepts ({@code ^[/\w.\- :]*$}, at most 250 characters, unchanged by
 * path normalisation), deterministically so a key maps the same way in every run and on every rank:
 *
 * <ol>
 *   <li>every character other than ASCII letters, digits and {@code _ - . space : /} becomes {@code _};
 *   <li>empty and {@code .} path segments are dropped (no leading, trailing or double {@code /});
 *   <li>a {@code ..} segment becomes {@code __};
 *   <li>an empty result becomes {@code _};
 *   <li>a result over 250 characters keeps its first 241 and appends {@code -} and the 8 hex digits of
 *       the CRC-32 of the original key, so long keys stay distinct.
 * </ol>
 *
 * Each changed key is warned about once.
 */
final class KeySanitizer {

  private static final Logger LOG = LoggerFactory.getLogger(KeySanitizer.class);

  /** MLflow's longest key: {@value}. */
  static final int MAX_KEY_LENGTH = 250;

  /** Keys remembered, so the mapping and its warning cost nothing after the first time: {@value}. */
  private static final int CACHE_LIMIT = 100_000;

  private final Map<String, String> cache = new HashMap<>();
  private int warnings;

  /** The MLflow key for {@code key}; {@code what} ("metric", "param", "tag") names it in the warning. */
  String sanitize(String key, String what) {
    String cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    String clean = map(key);
    if (!clean.equals(key)) {
      warnings++;
      LOG.warn("MLflow does not accept the {} key '{}'; it is logged as '{}' (warned once per key)", what, key, clean);
    }
    if (cache.size() < CACHE_LIMIT) {
      cache.put(key, clean);
    }
    return clean;
  }

  /** How many warnings were logged: one per changed key. */
  int warnings() {
    return warnings;
  }

  /** The mapping itself, without warning or caching. */
  static String map(String key) {
    StringBuilder chars = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-' || c == '.' || c == ' ' || c == ':' || c == '/';
      chars.append(ok ? c : '_');
    }
    StringBuilder out = new StringBuilder(chars.length());
    for (String segment : chars.toString().split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(segment.equals("..") ? "__" : segment);
    }
    if (out.length() == 0) {
      return "_";
    }
    if (out.length() > MAX_KEY_LENGTH) {
      CRC32 crc = new CRC32();
      crc.update(key.getBytes(StandardCharsets.UTF_8));
      String prefix = out.substring(0, MAX_KEY_LENGTH - 9);
      return prefix + "-" + String.format("%08x", crc.getValue());
    }
    return out.toString();
  }
}
