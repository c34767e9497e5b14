package dev.ficus.samples.monolith;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.http.Http;
import dev.ficus.samples.monolith.LegacyMonolith.Endpoint;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EchoWebSocketTest {

  private static LegacyMonolith monolith;

  @BeforeAll
  static void start() {
    monolith = LegacyMonolith.start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    monolith.close();
  }

  @Test
  void textAndBinaryMessagesComeBackAndCloseIsAnswered() throws Exception {
    long handshakesBefore = monolith.requestCount(Endpoint.WEBSOCKET_ECHO);
    Recorder recorder = new Recorder();
    WebSocket socket = Http.CLIENT.newWebSocketBuilder()
        .buildAsync(URI.create(monolith.baseUrl().replace("http:", "ws:") + "/ws/echo"), recorder)
        .get(5, TimeUnit.SECONDS);

    socket.sendText("grüß dich", true).get(5, TimeUnit.SECONDS);
    assertThat(recorder.next()).isEqualTo("text:grüß dich");
    byte[] bytes = new byte[70_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 7);
    }
    socket.sendBinary(ByteBuffer.wrap(bytes), true).get(5, TimeUnit.SECONDS);
    assertThat(recorder.next()).isEqualTo("binary:" + Arrays.hashCode(bytes) + "/70000");
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    assertThat(recorder.next()).isEqualTo("close:1000");
    assertThat(monolith.requestCount(Endpoint.WEBSOCKET_ECHO)).isEqualTo(handshakesBefore + 1);
  }

  @Test
  void oversizedMessageClosesTheSocket() throws Exception {
    Recorder recorder = new Recorder();
    WebSocket socket = Http.CLIENT.newWebSocketBuilder()
        .buildAsync(URI.create(monolith.baseUrl().replace("http:", "ws:") + "/ws/echo"), recorder)
        .get(5, TimeUnit.SECONDS);

    socket.sendBinary(ByteBuffer.allocate(EchoWebSocket.MAX_MESSAGE + 1), true);

    assertThat(recorder.next()).isEqualTo("close:1009");
  }

  @Test
  void plainGetIsTold426() {
    assertThat(Http.get(monolith.baseUrl() + "/ws/echo").statusCode()).isEqualTo(426);
  }

  /** Collects whole messages: {@code text:…}, {@code binary:hash/length}, {@code close:code}. */
  private static final class Recorder implements WebSocket.Listener {

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private ByteBuffer binary = ByteBuffer.allocate(0);

    String next() throws InterruptedException {
      String event = events.poll(5, TimeUnit.SECONDS);
      assertThat(event).as("a WebSocket event within 5 s").isNotNull();
      return event;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        events.add("text:" + text);
        text.setLength(0);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
      binary = joined.put(binary).put(data).flip();
      if (last) {
        byte[] bytes = new byte[binary.remaining()];
        binary.get(bytes);
        events.add("binary:" + Arrays.hashCode(bytes) + "/" + bytes.length);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      events.add("close:" + statusCode);
      return null;
    }
  }
}
