package dev.ficus.migration;

import java.util.regex.Pattern;

/**
 * Collapses id-like path segments so that requests group by endpoint:
 * {@code /api/orders/42/items/9f1c…} becomes {@code /api/orders/{id}/items/{uuid}}.
 * Numbers become {@code {id}}, UUIDs {@code {uuid}}, long hex strings {@code {hex}}, and long
 * mixed letter-digit tokens {@code {token}}. Pure function, thread-safe.
 */
public final class PathNormalizer {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern HEX = Pattern.compile("(?=.*\\d)[0-9a-fA-F]{8,}");
  private static final Pattern TOKEN = Pattern.compile("(?=.*\\d)(?=.*[A-Za-z])[A-Za-z0-9_\\-=]{16,}");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+([.,]\\d+)?");

  private PathNormalizer() {}

  public static String normalize(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    StringBuilder out = new StringBuilder(path.length());
    int start = path.charAt(0) == '/' ? 1 : 0;
    while (start <= path.length()) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? path.length() : slash;
      String seg = path.substring(start, end);
      if (!(seg.isEmpty() && slash < 0 && out.length() > 0)) {
        out.append('/').append(segment(seg));
      }
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  static String segment(String s) {
    if (s.isEmpty()) {
      return s;
    }
    // Fast paths (this runs for every segment of every inventoried request): every pattern but
    // UUID needs a digit, and a UUID core is 36 characters; all digits is always a number.
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      }
    }
    if (digits == 0 && s.length() < 36) {
      return s;
    }
    if (digits == s.length()) {
      return "{id}";
    }
    int dot = s.lastIndexOf('.');
    String ext = "";
    String core = s;
    if (dot > 0 && dot >= s.length() - 5 && !NUMBER.matcher(s).matches()) {
      ext = s.substring(dot);
      core = s.substring(0, dot);
    }
    String r;
    if (NUMBER.matcher(core).matches()) {
      r = "{id}";
    } else if (UUID.matcher(core).matches()) {
      r = "{uuid}";
    } else if (HEX.matcher(core).matches()) {
      r = "{hex}";
    } else if (TOKEN.matcher(core).matches()) {
      r = "{token}";
    } else {
      return s;
    }
    return r + ext;
  }
}
