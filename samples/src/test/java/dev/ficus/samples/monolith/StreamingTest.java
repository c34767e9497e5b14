package dev.ficus.samples.monolith;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.http.Http;
import dev.ficus.samples.monolith.LegacyMonolith.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Uploads and downloads far larger than what the module's test heap (-Xmx256m, see the pom)
 * could hold twice: a service that buffered a body would fail these with OutOfMemoryError.
 */
class StreamingTest {

  private static final long MB = 1 << 20;
  private static final Map<Long, String> PATTERN_SHA256 = new ConcurrentHashMap<>();

  private static LegacyMonolith monolith;
  private static String base;

  @BeforeAll
  static void start() {
    monolith = LegacyMonolith.start("127.0.0.1", 0);
    base = monolith.baseUrl();
  }

  @AfterAll
  static void stop() {
    monolith.close();
  }

  @Test
  void uploadOf200MbIsCountedAndHashedWithoutBeingKept() {
    HttpResponse<String> response = Http.send(Http.request(base + "/files")
        .POST(BodyPublishers.fromPublisher(
            BodyPublishers.ofInputStream(() -> new PatternStream(200 * MB)), 200 * MB))
        .build(), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode result = Http.json(response);
    assertThat(result.get("bytes").longValue()).isEqualTo(200 * MB);
    assertThat(result.get("sha256").textValue()).isEqualTo(patternSha256(200 * MB));
  }

  @Test
  void chunkedUploadIsHashedToo() {
    HttpResponse<String> response = Http.send(Http.request(base + "/files")
        .POST(BodyPublishers.ofInputStream(() -> new PatternStream(5 * MB + 17)))
        .build(), BodyHandlers.ofString());

    JsonNode result = Http.json(response);
    assertThat(result.get("bytes").longValue()).isEqualTo(5 * MB + 17);
    assertThat(result.get("sha256").textValue()).isEqualTo(patternSha256(5 * MB + 17));
  }

  @Test
  void emptyUploadHasTheEmptyHash() {
    JsonNode result = Http.json(Http.send(Http.request(base + "/files")
        .POST(BodyPublishers.noBody())));

    assertThat(result.get("bytes").longValue()).isZero();
    assertThat(result.get("sha256").textValue())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void downloadOf200MbHasTheDocumentedBytes() throws IOException {
    HttpResponse<InputStream> response = Http.send(Http.request(base + "/files/200m").build(),
        BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(200 * MB);
    assertThat(Http.header(response, "Content-Type")).isEqualTo("application/octet-stream");
    try (InputStream body = response.body()) {
      assertThat(sha256(body, Long.MAX_VALUE))
          .isEqualTo(new Digest(200 * MB, patternSha256(200 * MB)));
    }
  }

  @Test
  void downloadOfATebibyteStartsAtOnce() throws IOException {
    HttpResponse<InputStream> response = Http.send(Http.request(base + "/files/1024g").build(),
        BodyHandlers.ofInputStream());

    assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(1L << 40);
    try (InputStream body = response.body()) {
      assertThat(sha256(body, 16 * MB)).isEqualTo(new Digest(16 * MB, patternSha256(16 * MB)));
    }
  }

  @Test
  void oddSizesAndBadSizes() {
    assertThat(Http.get(base + "/files/0").body()).isEmpty();
    assertThat(Http.get(base + "/files/3k").body()).hasSize(3072);
    byte[] small = Http.send(Http.request(base + "/files/600").build(),
        BodyHandlers.ofByteArray()).body();
    assertThat(small[250]).isEqualTo((byte) 250);
    assertThat(small[251]).isZero();
    assertThat(small[599]).isEqualTo((byte) (599 % 251));
    assertThat(Http.get(base + "/files/1025g").statusCode()).isEqualTo(400);
    assertThat(Http.get(base + "/files/-1").statusCode()).isEqualTo(400);
    assertThat(Http.get(base + "/files/12x").statusCode()).isEqualTo(400);
    assertThat(monolith.requestCount(Endpoint.DOWNLOAD)).isGreaterThanOrEqualTo(6);
  }

  private record Digest(long bytes, String sha256) {
  }

  /** Hashes at most {@code limit} bytes of {@code in}. */
  private static Digest sha256(InputStream in, long limit) throws IOException {
    MessageDigest digest = newSha256();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    while (total < limit) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total));
      if (read < 0) {
        break;
      }
      digest.update(buffer, 0, read);
      total += read;
    }
    return new Digest(total, HexFormat.of().formatHex(digest.digest()));
  }

  /** The SHA-256 of the documented download: byte i is i % 251; memoised per size. */
  private static String patternSha256(long size) {
    return PATTERN_SHA256.computeIfAbsent(size, StreamingTest::computePatternSha256);
  }

  private static String computePatternSha256(long size) {
    try {
      return sha256(new PatternStream(size), Long.MAX_VALUE).sha256();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code size} bytes where byte i is {@code i % 251}, generated as read. */
  private static final class PatternStream extends InputStream {

    private static final byte[] PERIODS = new byte[251 * 64];

    static {
      for (int i = 0; i < PERIODS.length; i++) {
        PERIODS[i] = (byte) (i % 251);
      }
    }

    private final long size;
    private long position;

    PatternStream(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      return position < size ? (int) (position++ % 251) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int phase = (int) (position % 251);
      int n = (int) Math.min(Math.min(len, size - position), PERIODS.length - phase);
      System.arraycopy(PERIODS, phase, b, off, n);
      position += n;
      return n;
    }
  }
}
