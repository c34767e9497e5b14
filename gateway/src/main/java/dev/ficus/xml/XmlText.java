package dev.ficus.xml;

/** XML escaping for text and attribute values. Pure functions, thread-safe. */
public final class XmlText {
  private XmlText() {}

  /**
   * Appends {@code s} escaped for use as element text ({@code attribute=false}) or inside a
   * double-quoted attribute. Returns the first character XML 1.0 cannot carry, or -1.
   */
  public static int append(StringBuilder out, String s, boolean attribute) {
    int n = s.length();
    int start = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      String rep = null;
      if (c == '&') {
        rep = "&amp;";
      } else if (c == '<') {
        rep = "&lt;";
      } else if (c == '>') {
        rep = "&gt;";
      } else if (attribute && c == '"') {
        rep = "&quot;";
      } else if (c < 0x20) {
        if (c == '\t' || c == '\n' || c == '\r') {
          if (attribute || c == '\r') {
            rep = "&#" + (int) c + ";";
          }
        } else {
          return c;
        }
      } else if (c == 0xFFFE || c == 0xFFFF) {
        return c;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return c;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return c;
      }
      if (rep != null) {
        out.append(s, start, i).append(rep);
        start = i + 1;
      }
    }
    out.append(s, start, n);
    return -1;
  }
}
