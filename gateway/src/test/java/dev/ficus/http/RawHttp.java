package dev.ficus.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading answers off a raw client socket, for tests that need exact control of the connection. */
public final class RawHttp {
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");
  private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");

  private RawHttp() {}

  /**
   * One answer: its status (0 when the connection ended before a whole head arrived), head and
   * body (de-chunked; up to the close when it has no length). {@code complete} is false when the
   * connection ended inside the body.
   */
  public record Answer(int status, String head, String body, boolean complete) {
    /** The first value of header {@code name}, or null. */
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  /** Reads the next answer of any framing from {@code in}; a reset counts as the connection ending. */
  public static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          return new Answer(0, head.toString(StandardCharsets.ISO_8859_1), "", false);
        }
        head.write(c);
      }
    } catch (java.net.SocketException e) {
      return new Answer(0, head.toString(StandardCharsets.ISO_8859_1), "", false);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    Matcher st = STATUS.matcher(h);
    int status = st.find() ? Integer.parseInt(st.group(1)) : -1;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean complete = true;
    try {
      Matcher m = CONTENT_LENGTH.matcher(h);
      if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
        // no body
      } else if (h.toLowerCase(java.util.Locale.ROOT).contains("\r\ntransfer-encoding: chunked\r\n")) {
        complete = readChunked(in, body);
      } else if (m.find()) {
        byte[] b = in.readNBytes(Integer.parseInt(m.group(1)));
        body.write(b);
        complete = b.length == Integer.parseInt(m.group(1));
      } else {
        body.write(in.readAllBytes());
      }
    } catch (java.net.SocketException e) {
      complete = false;
    }
    return new Answer(status, h, body.toString(StandardCharsets.ISO_8859_1), complete);
  }

  private static boolean readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
    while (true) {
      String line = line(in);
      if (line == null) {
        return false;
      }
      int size = Integer.parseInt(line.split(";")[0].trim(), 16);
      if (size == 0) {
        while (true) {
          String t = line(in);
          if (t == null) {
            return false;
          }
          if (t.isEmpty()) {
            return true;
          }
        }
      }
      byte[] b = in.readNBytes(size);
      body.write(b);
      if (b.length < size || line(in) == null) {
        return false;
      }
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return null;
  }

  /** Reads one {@code 200} answer framed by its Content-Length from {@code in}; returns its body. */
  public static String readOkBody(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed in the head: " + head);
      }
      head.write(c);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    assertThat(h).startsWith("HTTP/1.1 200 ");
    Matcher m = CONTENT_LENGTH.matcher(h);
    assertThat(m.find()).as("Content-Length in " + h).isTrue();
    return new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.ISO_8859_1);
  }
}
