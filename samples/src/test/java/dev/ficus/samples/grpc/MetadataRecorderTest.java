package dev.ficus.samples.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The recorder keeps what tests look at, but not every call of a long load test. */
class MetadataRecorderTest {

  @Test
  void keepsOnlyTheLatestCallsOldestFirst() {
    MetadataRecorder recorder = new MetadataRecorder();
    Metadata.Key<String> seq = Metadata.Key.of("x-seq", Metadata.ASCII_STRING_MARSHALLER);
    int calls = MetadataRecorder.KEPT + 5;
    for (int i = 0; i < calls; i++) {
      Metadata headers = new Metadata();
      headers.put(seq, Integer.toString(i));
      recorder.interceptCall(new StubCall(), headers, (call, md) -> new ServerCall.Listener<>() {});
    }

    assertThat(recorder.calls()).hasSize(MetadataRecorder.KEPT);
    assertThat(recorder.calls().get(0).header("x-seq")).isEqualTo("5");
    assertThat(recorder.calls().get(MetadataRecorder.KEPT - 1).header("x-seq")).isEqualTo(Integer.toString(calls - 1));
  }

  @Test
  void clearForgetsEveryCall() {
    MetadataRecorder recorder = new MetadataRecorder();
    recorder.interceptCall(new StubCall(), new Metadata(), (call, md) -> new ServerCall.Listener<>() {});

    recorder.clear();

    assertThat(recorder.calls()).isEmpty();
  }

  /** A server call that only names its method; the recorder reads nothing else at interception. */
  private static final class StubCall extends ServerCall<String, String> {
    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(String value) {
        return new ByteArrayInputStream(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }

      @Override
      public String parse(InputStream stream) {
        return "";
      }
    };
    private static final MethodDescriptor<String, String> METHOD = MethodDescriptor.<String, String>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("inventory.v1.Inventory/GetItem")
        .setRequestMarshaller(TEXT)
        .setResponseMarshaller(TEXT)
        .build();

    @Override
    public void request(int numMessages) {
    }

    @Override
    public void sendHeaders(Metadata headers) {
    }

    @Override
    public void sendMessage(String message) {
    }

    @Override
    public void close(Status status, Metadata trailers) {
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public Attributes getAttributes() {
      return Attributes.EMPTY;
    }

    @Override
    public MethodDescriptor<String, String> getMethodDescriptor() {
      return METHOD;
    }
  }
}
