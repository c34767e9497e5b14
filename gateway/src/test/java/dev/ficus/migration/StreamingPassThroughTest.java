package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ficus.samples.http.HttpSamples;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies are streamed through the gateway, never held: the gateway runs in its own JVM with a
 * 64 MB heap and carries a 1 GB download and a 512 MB upload to the real sample monolith.
 * Buffering either body would end in an OutOfMemoryError, not in the right byte count and hash.
 */
class StreamingPassThroughTest {
  private static final long DOWNLOAD = 1024L * 1024 * 1024;
  private static final long UPLOAD = 512L * 1024 * 1024;

  @TempDir
  static Path dir;

  static HttpSamples http;
  static Process gateway;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    http = HttpSamples.start("127.0.0.1", 0, 0);
    port = StranglerGatewayTest.freePort();
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        upstreams:
          monolith: { url: %s, timeout: 5m }
        routes:
          - path: /**
            to: monolith
        """.formatted(http.monolithUrl()));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    gateway = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        "dev.ficus.cli.Main", "run", "-c", dir.toString(), "--listen", "127.0.0.1:" + port))
        .redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (Files.readString(dir.resolve("gateway.log")).contains("Ficus listening")) {
        return;
      }
      if (!gateway.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the gateway did not start:\n" + Files.readString(dir.resolve("gateway.log")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.destroy();
      gateway.waitFor(10, TimeUnit.SECONDS);
    }
    http.close();
  }

  @Test
  void aOneGigabyteDownloadStreamsThroughA64MegabyteGateway() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/files/" + DOWNLOAD)).timeout(Duration.ofMinutes(3)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    long n = 0;
    long mismatches = 0;
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = r.body()) {
      int read;
      while ((read = in.read(buf)) > 0) {
        for (int i = 0; i < read; i++) {
          if ((buf[i] & 0xff) != (int) ((n + i) % 251)) {
            mismatches++;
          }
        }
        n += read;
      }
    }
    assertThat(n).isEqualTo(DOWNLOAD);
    assertThat(mismatches).isZero();
    assertThat(gateway.isAlive()).as("the gateway survived").isTrue();
  }

  @Test
  void aHalfGigabyteUploadStreamsThroughA64MegabyteGateway() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] chunk = new byte[1024 * 1024];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) (i * 31);
    }
    for (long i = 0; i < UPLOAD / chunk.length; i++) {
      sha.update(chunk);
    }
    String expected = HexFormat.of().formatHex(sha.digest());
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
          long sent;
          int pos;

          @Override
          public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (sent >= UPLOAD) {
              return -1;
            }
            int n = (int) Math.min(len, Math.min(UPLOAD - sent, chunk.length - pos));
            System.arraycopy(chunk, pos, b, off, n);
            pos = (pos + n) % chunk.length;
            sent += n;
            return n;
          }
        }), UPLOAD);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/files"))
        .timeout(Duration.ofMinutes(3)).header("Content-Type", "application/octet-stream").POST(body).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode json = new ObjectMapper().readTree(r.body());
    assertThat(json.get("bytes").asLong()).isEqualTo(UPLOAD);
    assertThat(json.get("sha256").asText()).isEqualTo(expected);
    assertThat(gateway.isAlive()).isTrue();
  }
}
