package dev.ficus.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link RequestFraming} as a pure function of the bytes, however they are split into reads. */
class RequestFramingTest {
  private static final String GOOD = "GET /a?x=%41 HTTP/1.1\r\nHost: x\r\n\r\n"
      + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
      + "PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "5;a=\"b\"\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\nX-T: 1\r\n\r\n"
      + "OPTIONS * HTTP/1.0\r\n\r\n";

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void wellFramedRequestsFedOneByteAtATimeAreAllLetThrough() {
    RequestFraming f = new RequestFraming(32 * 1024, 100);
    ByteBuffer b = bytes(GOOD);
    for (int i = 0; i < b.limit(); i++) {
      assertThat(f.scan(b, i, i + 1)).as("byte " + i).isEqualTo(i + 1);
    }
    assertThat(f.refusal()).isNull();
  }

  @Test
  void theCutIsAtTheStartOfTheRefusedRequestWhenItBeganInTheSameRead() {
    String bad = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551621\r\n\r\nAAAAA";
    RequestFraming f = new RequestFraming(32 * 1024, 100);
    ByteBuffer b = bytes(GOOD + bad);
    assertThat(f.scan(b, 0, b.limit())).isEqualTo(GOOD.length());
    assertThat(f.refusal().status()).isEqualTo(400);
    assertThat(f.refusedInHead()).isTrue();
    assertThat(f.scan(b, 0, b.limit())).as("nothing more after a refusal").isZero();
  }

  @Test
  void aBadChunkInALaterReadCutsThatReadAtItsStart() {
    RequestFraming f = new RequestFraming(32 * 1024, 100);
    ByteBuffer head = bytes("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n");
    assertThat(f.scan(head, 0, head.limit())).isEqualTo(head.limit());
    ByteBuffer rest = bytes("2\nok\r\n0\r\n\r\n");
    assertThat(f.scan(rest, 0, rest.limit())).isZero();
    assertThat(f.refusedInHead()).isFalse();
    assertThat(f.refusal().detail()).contains("bare LF");
  }

  @Test
  void aHeadIsRefusedWithTheFirstByteBeyondMaxHeadSize() {
    RequestFraming f = new RequestFraming(1024, 100);
    String start = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ";
    ByteBuffer b = bytes(start + "a".repeat(1024 - start.length()) + "a");
    assertThat(f.scan(b, 0, 1024)).isEqualTo(1024);
    assertThat(f.refusal()).isNull();
    assertThat(f.scan(b, 1024, 1025)).isEqualTo(1024);
    assertThat(f.refusal().status()).isEqualTo(431);
  }

  @Test
  void afterARequestWithUpgradeEveryByteIsLetThrough() {
    RequestFraming f = new RequestFraming(32 * 1024, 100);
    ByteBuffer b = bytes("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\n\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\n");
    assertThat(f.scan(b, 0, b.limit())).isEqualTo(b.limit());
    assertThat(f.transparent()).isTrue();
    assertThat(f.refusal()).isNull();
  }
}
