package dev.ficus.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedDecoderTest {
  private static final String BODY = "4\r\nWiki\r\n6;ext=\"a b\"\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n";

  /** Feeds {@code wire} in pieces of {@code piece} bytes; returns the data and what followed the body. */
  private static String[] decode(String wire, int piece) throws IOException {
    ChunkedDecoder d = new ChunkedDecoder();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer in = ByteBuffer.allocate(bytes.length);
    in.flip();
    int fed = 0;
    while (true) {
      int n = d.next(in);
      if (n < 0) {
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        return new String[] {data.toString(StandardCharsets.ISO_8859_1), new String(rest, StandardCharsets.ISO_8859_1)};
      }
      if (n > 0) {
        // take at most 3 bytes at a time, as a client that can only write a little would
        int take = Math.min(n, 3);
        byte[] chunk = new byte[take];
        in.get(chunk);
        data.write(chunk);
        d.consumed(take);
        continue;
      }
      if (fed == bytes.length) {
        throw new IOException("ran out of input");
      }
      in.compact();
      int len = Math.min(piece, bytes.length - fed);
      in.put(bytes, fed, len);
      fed += len;
      in.flip();
    }
  }

  @Test
  void dataIsTheSameWhereverTheInputIsCut() throws IOException {
    for (int piece = 1; piece <= BODY.length(); piece++) {
      assertThat(decode(BODY, piece)[0]).as("pieces of %d bytes", piece).isEqualTo("Wikipedia in \r\n\r\nchunks.");
    }
  }

  @Test
  void bytesAfterTheTrailerSectionAreLeftUnread() throws IOException {
    assertThat(decode("3\r\nabc\r\n0\r\n\r\nHTTP/1.1 200", 64)).containsExactly("abc", "HTTP/1.1 200");
  }

  @Test
  void bareLineFeedsAreAccepted() throws IOException {
    assertThat(decode("3\nabc\n0\n\n", 64)[0]).isEqualTo("abc");
  }

  @Test
  void malformedFramingIsAnError() {
    assertThatThrownBy(() -> decode("x\r\nabc\r\n0\r\n\r\n", 64)).hasMessageContaining("malformed chunk size");
    assertThatThrownBy(() -> decode("3\r\nabcd\r\n0\r\n\r\n", 64)).hasMessageContaining("longer than its size");
    assertThatThrownBy(() -> decode("fffffffffffffffff\r\n", 64)).hasMessageContaining("too large");
    assertThatThrownBy(() -> decode("0\r\n\rX", 64)).hasMessageContaining("trailer");
  }
}
