package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import dev.ficus.config.Loc;
import dev.ficus.config.Specs.GrpcBackendSpec;
import dev.ficus.error.GatewayException;
import io.undertow.util.HeaderMap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebugViewTest {
  private static DebugView view(List<String> redact, List<String> problems) {
    return DebugView.compile(new GrpcBackendSpec.Debug(Loc.of("m.yaml"), redact, Loc.of("m.yaml")),
        JsonFormat.TypeRegistry.getEmptyTypeRegistry(), problems::add);
  }

  @Test
  void offMeansNoView() {
    assertThat(DebugView.compile(null, JsonFormat.TypeRegistry.getEmptyTypeRegistry(), p -> { })).isNull();
  }

  @Test
  void credentialLikeAndConfiguredNamesAreMaskedAndOthersAreNot() {
    List<String> problems = new ArrayList<>();
    DebugView v = view(List.of("X-Pin", "x-internal-*"), problems);
    assertThat(problems).isEmpty();
    assertThat(List.of("authorization", "cookie", "x-api-key", "x-auth-user", "x-csrf-token", "x-session-id",
        "x-db-password", "x-pin", "x-internal-route", "x-signature-bin")).allMatch(v::secret);
    assertThat(List.of("x-tenant", "traceparent", "x-request-id", "x-pinned")).noneMatch(v::secret);
  }

  @Test
  void aRedactEntryThatIsNoHeaderNameIsAProblem() {
    List<String> problems = new ArrayList<>();
    view(List.of("bad name", "ok"), problems);
    assertThat(problems).singleElement().asString().contains("'bad name' is not a header name");
  }

  @Test
  void onlyTheOneValueAsks() {
    HeaderMap h = new HeaderMap();
    assertThat(DebugView.asked(h)).isFalse();
    h.put(DebugView.HEADER, " Request ");
    assertThat(DebugView.asked(h)).isTrue();
    h.put(DebugView.HEADER, "all");
    assertThatThrownBy(() -> DebugView.asked(h)).isInstanceOf(GatewayException.class);
  }
}
