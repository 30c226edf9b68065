package dev.trainlog.cli;

/** CSV fields as RFC 4180 has them: quoted when they hold a comma, quote or line break. */
final class Csv {

  private Csv() {}

  static String field(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
