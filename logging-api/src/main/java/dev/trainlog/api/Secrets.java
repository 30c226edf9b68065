package dev.trainlog.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts secrets before anything is shown or sent: values under keys that look like credentials,
 * the password of {@code scheme://user:password@host} URIs and {@code password=x} pairs in text.
 * Every backend and the core use this one rule, so a secret hidden in one place is hidden in all.
 *
 * <p>A key is secret when it <em>ends</em> in a credential word, in any case and any style ({@code
 * HF_TOKEN}, {@code dbPassword}, {@code ssh-passphrase}, {@code credentials}, {@code api_keys}), or
 * when its last component, after {@code _ - .} or a camelCase step, is {@code key}, {@code key_pem},
 * {@code auth} or {@code oauth} ({@code wandb_key}, {@code hfKey}, {@code private_key_pem}, {@code
 * http_auth}). Anchoring at the end keeps hyperparameters visible: {@code max_tokens}, {@code
 * tokens_per_s}, {@code tokenizer}, {@code token_budget}, {@code key_dim}, {@code num_keys}, {@code
 * monkey}, {@code keyframes}, {@code author}. The price is that every key ending in a separate
 * {@code key} is hidden, {@code sort_key} and {@code caption_key} included: when in doubt, hide.
 */
public final class Secrets {

  /** Keys ending in one of these words, whatever comes before them. */
  private static final String SECRET_WORDS = "passwords?|passwd|pwd|passphrases?|secrets?|token"
      + "|(?:api|auth|access|refresh|session)[_-]?tokens|api[_-]?keys?|access[_-]?keys?(?:[_-]?ids?)?"
      + "|private[_-]?keys?|secret[_-]?keys?|session[_-]?keys?|credentials?|authorization";

  /** Words secret only as a key's whole last component ({@code wandb_key}, {@code hfKey}; not {@code monkey}). */
  private static final String SECRET_COMPONENTS = "key(?:[_-]?pem)?|o?auth";

  /** Where a component starts: after a non-alphanumeric, or at a lower-to-upper camelCase step. */
  private static final String COMPONENT_START = "(?:[^a-z0-9]|(?-i:(?<=[a-z0-9])(?=[A-Z])))";

  private static final Pattern SECRET_KEY = Pattern.compile(
      "(?i).*(?:" + SECRET_WORDS + ")|(?:.*" + COMPONENT_START + ")?(?:" + SECRET_COMPONENTS + ")");

  /**
   * {@code scheme://user:pass@}, {@code scheme://:pass@} or {@code scheme://token@} inside any text.
   * The userinfo runs to the last {@code @} before the first {@code / ? #} or whitespace, so a raw
   * {@code @} inside the password is hidden with it.
   */
  private static final Pattern URI_USERINFO =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^/?#\\s:]*)(:[^/?#\\s]*)?@");

  /** The key of a secret-looking pair in free text; looser than {@link #SECRET_KEY} (a word may be inside). */
  private static final String TEXT_KEY = "[a-z0-9_.-]*(?:password|passwd|pwd|passphrase|secret|token"
      + "|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|authorization)[a-z0-9_.-]*"
      + "|(?:[a-z0-9_.-]*[_.-])?o?auth|[a-z0-9_.-]*[_.-]key";

  /** An HTTP authentication scheme, shown before the hidden credential ({@code Authorization: Bearer ****}). */
  private static final String AUTH_SCHEME = "(?:basic|bearer|digest|negotiate|ntlm|token)\\s+";

  /** A {@code ${VAR}} or {@code ${VAR:-default}} reference, one level of braces inside: a value's unit, hidden whole. */
  private static final String ENV_REFERENCE = "\\$\\{[^{}]*(?:\\{[^{}]*\\}[^{}]*)*\\}";

  /**
   * {@code key=value}, {@code key: value} or JSON's {@code "key": "value"} pairs whose key looks
   * secret, inside free text; an authentication scheme word before the value stays visible.
   */
  private static final Pattern TEXT_PAIR = Pattern.compile("(?i)\\b(" + TEXT_KEY + ")([\"']?\\s*[=:]\\s*)("
      + AUTH_SCHEME + ")?(\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|(?:" + ENV_REFERENCE + "|[^\\s,;&}])+)");

  /** Lower-case fragments one of which every {@link #TEXT_PAIR} match contains; a cheap pre-check. */
  private static final List<String> TEXT_HINTS = List.of("pass", "pwd", "secret", "token", "key", "cred", "auth");

  private Secrets() {}

  /** Whether a config key (any nesting level, any case) names a secret; see the class comment for the rule. */
  public static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  /**
   * A copy of {@code map} where the value of every secret-looking key is replaced as a whole by
   * {@link RunInfo#REDACTED}, whatever its type (a map or list under {@code credentials} is hidden,
   * not searched), and every other value is redacted recursively: maps and lists are copied with
   * the same rule, strings go through {@link #redactText}. A {@code null} value stays {@code null}.
   * Keys that are not strings are kept and tested through {@link String#valueOf}.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> redact(Map<String, ?> map) {
    return (Map<String, Object>) (Map<?, ?>) redactMap(map);
  }

  /**
   * How {@code value} may be shown under {@code key}: {@link RunInfo#REDACTED} when the key is
   * secret and the value not {@code null}, else the value redacted as {@link #redact} does.
   */
  public static Object redactValue(String key, Object value) {
    if (value != null && isSecretKey(key)) {
      return RunInfo.REDACTED;
    }
    return redactNested(value);
  }

  private static Map<Object, Object> redactMap(Map<?, ?> map) {
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      out.put(e.getKey(), redactValue(String.valueOf(e.getKey()), e.getValue()));
    }
    return out;
  }

  private static Object redactNested(Object v) {
    if (v instanceof Map) {
      return redactMap((Map<?, ?>) v);
    }
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object item : (List<?>) v) {
        out.add(redactNested(item));
      }
      return out;
    }
    if (v instanceof String) {
      return redactText((String) v);
    }
    return v;
  }

  /**
   * Hides credentials inside free text: {@code mongodb://user:pw@host} becomes {@code
   * mongodb://user:****@host}, a lone {@code https://token@host} becomes {@code https://****@host},
   * {@code password=x}, {@code token: x} and {@code "pwd": "x"} pairs lose their value, and {@code
   * Authorization: Bearer x} keeps only its scheme. Safe on {@code null}.
   */
  public static String redactText(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = redactUris(text);
    String lower = out.toLowerCase(Locale.ROOT);
    if (TEXT_HINTS.stream().anyMatch(lower::contains)) {
      Matcher m = TEXT_PAIR.matcher(out);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String scheme = m.group(3) == null ? "" : m.group(3);
        m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + m.group(2) + scheme + RunInfo.REDACTED));
      }
      m.appendTail(sb);
      out = sb.toString();
    }
    return out;
  }

  /**
   * Redacts the text of a YAML file line by line: a value under a secret key ({@link #isSecretKey}) is hidden
   * whole, {@code ${VAR:-default}} included, and so is a block under it; other values go through {@link
   * #redactText}. A comment is free text: credentials in URIs are hidden there, and a commented-out secret
   * line ({@code # hf_token: hf_x}), but prose is not read as pairs. Safe on {@code null}.
   */
  public static String redactYaml(String yaml) {
    return yaml == null ? null : YamlRedaction.redact(yaml);
  }

  /** The passwords of the URIs in {@code text} hidden, nothing else. */
  static String redactUris(String text) {
    if (!text.contains("@")) {
      return text;
    }
    Matcher m = URI_USERINFO.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(3) != null) {
        replacement = m.group(1) + m.group(2) + ":" + RunInfo.REDACTED + "@";
      } else if (m.group(2).isEmpty()) {
        replacement = m.group();
      } else {
        replacement = m.group(1) + RunInfo.REDACTED + "@";
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
