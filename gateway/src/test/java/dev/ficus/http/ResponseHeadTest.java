package dev.ficus.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseHeadTest {
  /** A buffer being filled, as the connection leaves it: position = bytes read so far. */
  private static ByteBuffer read(String s) {
    ByteBuffer b = ByteBuffer.allocate(1024);
    b.put(s.getBytes(StandardCharsets.ISO_8859_1));
    return b;
  }

  private static ResponseHead parse(String s) throws ResponseHead.MalformedException {
    return ResponseHead.parse(read(s));
  }

  @Test
  void anIncompleteHeadIsNotParsedYet() throws Exception {
    assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n")).isNull();
    assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r")).isNull();
  }

  @Test
  void theHeadEndsAtTheEmptyLineAndTheBufferIsLeftAsItWas() throws Exception {
    ByteBuffer b = read("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno");
    ResponseHead h = ResponseHead.parse(b);
    assertThat(h.status).isEqualTo(404);
    assertThat(h.length).as("the head without the body's two bytes").isEqualTo(45);
    assertThat(h.contentLength).isEqualTo(2);
    assertThat(h.close).isFalse();
    assertThat(b.position()).isEqualTo(47);
  }

  @Test
  void interimAnswersAreDroppedButASwitchOfProtocolsIsNot() throws Exception {
    ByteBuffer b = read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    ResponseHead h = ResponseHead.parseFinal(b);
    assertThat(h.status).isEqualTo(200);
    b.flip().position(h.length);
    assertThat(StandardCharsets.ISO_8859_1.decode(b).toString()).isEqualTo("ok");
    assertThat(ResponseHead.parseFinal(read("HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 200 OK\r\n"))).isNull();
    assertThat(ResponseHead.parseFinal(read("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n")).status).isEqualTo(101);
  }

  @Test
  void framingAndConnectionAreReadFromTheFields() throws Exception {
    ResponseHead chunked = parse("HTTP/1.1 200 OK\nTransfer-Encoding: gzip, chunked\n\n");
    assertThat(chunked.transferEncoded).isTrue();
    assertThat(chunked.chunked).isTrue();
    ResponseHead gzipOnly = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n");
    assertThat(gzipOnly.chunked).as("chunked must be the last coding").isFalse();
    assertThat(parse("HTTP/1.1 200 OK\r\nConnection: Close\r\n\r\n").close).isTrue();
    assertThat(parse("HTTP/1.0 200 OK\r\n\r\n").close).as("HTTP/1.0 without keep-alive").isTrue();
    assertThat(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n").close).isFalse();
    assertThat(parse("HTTP/1.1 200\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n").contentLength)
        .as("a status line without a reason, a repeated but equal length").isEqualTo(3);
  }

  @Test
  void malformedHeadsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> parse("HTTP/2 200 OK\r\n\r\n")).hasMessageContaining("bad status line");
    assertThatThrownBy(() -> parse("HTTP/1.1 20 OK\r\n\r\n")).hasMessageContaining("bad status line");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nX: 1\r\n folded\r\n\r\n")).hasMessageContaining("folding");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n")).hasMessageContaining("field name");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nno colon\r\n\r\n")).hasMessageContaining("field name");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")).hasMessageContaining("bad Content-Length");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"))
        .hasMessageContaining("conflicting");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"))
        .hasMessageContaining("both Content-Length and Transfer-Encoding");
  }

  @Test
  void copiedHeadersLeaveOutHopByHopFieldsAndReplaceThoseAlreadySet() throws Exception {
    ResponseHead h = parse("HTTP/1.1 200 OK\r\nConnection: keep-alive, x-internal\r\nKeep-Alive: timeout=5\r\n"
        + "X-Internal: secret\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Split: upstream\r\nContent-Length: 10\r\n"
        + "Content-Type:  text/plain \r\n\r\n");
    HeaderMap out = new HeaderMap();
    out.put(new HttpString("X-Split"), "set-by-the-gateway");
    out.put(new HttpString("X-Ficus-Split"), "canary");
    h.copyHeaders(out, false);
    assertThat(out.get("Set-Cookie")).containsExactly("a=1", "b=2");
    assertThat(out.get("X-Split")).containsExactly("upstream");
    assertThat(out.getFirst("X-Ficus-Split")).isEqualTo("canary");
    assertThat(out.getFirst("Content-Type")).isEqualTo("text/plain");
    for (String hop : new String[] {"Connection", "Keep-Alive", "X-Internal", "Transfer-Encoding", "Content-Length"}) {
      assertThat(out.contains(hop)).as(hop).isFalse();
    }
  }

  @Test
  void commonFieldNamesInAnyCaseAreTheSharedConstantsAndOthersKeepTheirSpelling() throws Exception {
    ResponseHead h = parse("HTTP/1.1 200 OK\r\ncontent-TYPE: a/b\r\nDATE: d\r\nX-Own-Field: o\r\nContent-Typo: t\r\n"
        + "Etag: \"e\"\r\nContent-Length: 0\r\n\r\n");
    HeaderMap out = new HeaderMap();
    h.copyHeaders(out, true);
    assertThat(out.get(io.undertow.util.Headers.CONTENT_TYPE).getHeaderName()).isSameAs(io.undertow.util.Headers.CONTENT_TYPE);
    assertThat(out.get(io.undertow.util.Headers.DATE).getHeaderName()).isSameAs(io.undertow.util.Headers.DATE);
    assertThat(out.get(io.undertow.util.Headers.ETAG).getHeaderName()).isSameAs(io.undertow.util.Headers.ETAG);
    assertThat(out.get(io.undertow.util.Headers.CONTENT_LENGTH).getHeaderName()).isSameAs(io.undertow.util.Headers.CONTENT_LENGTH);
    assertThat(out.get("x-own-field").getHeaderName().toString()).isEqualTo("X-Own-Field");
    assertThat(out.get("Content-Typo").getHeaderName().toString()).as("one letter off is not the known name").isEqualTo("Content-Typo");
    assertThat(out.getFirst("Content-Typo")).isEqualTo("t");
    assertThat(out.getFirst(io.undertow.util.Headers.CONTENT_TYPE)).isEqualTo("a/b");
  }
}
