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

  private RawHttp() {}

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
