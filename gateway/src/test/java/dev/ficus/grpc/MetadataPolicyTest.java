package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ficus.error.GatewayError;
import dev.ficus.error.GatewayException;
import io.grpc.Metadata;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataPolicyTest {
  private static Metadata.Key<String> key(String n) {
    return Metadata.Key.of(n, Metadata.ASCII_STRING_MARSHALLER);
  }

  @Test
  void exactNamesAndPrefixesAreForwardedWithEveryValue() {
    MetadataPolicy p = MetadataPolicy.compile(List.of("X-Tenant", "x-acme-*"), List.of(), m -> { }, m -> { });
    HeaderMap h = new HeaderMap();
    h.add(new HttpString("X-Tenant"), "t1");
    h.add(new HttpString("x-acme-user"), "u1");
    h.add(new HttpString("x-acme-user"), "u2");
    h.add(new HttpString("Cookie"), "secret");
    h.add(new HttpString("traceparent"), "00-abc-def-01");
    Metadata md = p.requestMetadata(h);
    assertThat(md.get(key("x-tenant"))).isEqualTo("t1");
    assertThat(md.getAll(key("x-acme-user"))).containsExactly("u1", "u2");
    assertThat(md.get(key("traceparent"))).isEqualTo("00-abc-def-01");
    assertThat(md.containsKey(key("cookie"))).isFalse();
  }

  @Test
  void valuesThatAreNotPrintableAsciiAreLeftOut() {
    MetadataPolicy p = MetadataPolicy.compile(List.of("x-name"), List.of(), m -> { }, m -> { });
    HeaderMap h = new HeaderMap();
    h.add(new HttpString("x-name"), "Zo\u00eb");
    h.add(new HttpString("x-name"), "Zoe");
    assertThat(p.requestMetadata(h).getAll(key("x-name"))).containsExactly("Zoe");
  }

  @Test
  void responseHeadersAndTrailersAreCopiedOnlyWhenAllowed() {
    MetadataPolicy p = MetadataPolicy.compile(List.of(), List.of("x-version", "x-rate-*"), m -> { }, m -> { });
    Metadata headers = new Metadata();
    headers.put(key("x-version"), "7");
    headers.put(key("x-internal"), "no");
    Metadata trailers = new Metadata();
    trailers.put(key("x-rate-remaining"), "41");
    HeaderMap out = new HeaderMap();
    p.copyBack(headers, trailers, out);
    assertThat(out.getFirst("x-version")).isEqualTo("7");
    assertThat(out.getFirst("x-rate-remaining")).isEqualTo("41");
    assertThat(out.contains("x-internal")).isFalse();
  }

  @Test
  void reservedAndMalformedNamesAreProblemsAndBinaryNamesAreNot() {
    List<String> problems = new ArrayList<>();
    MetadataPolicy.compile(List.of("grpc-timeout", "te", "x-trace-bin", "bad name"), List.of("content-type"),
        problems::add, problems::add);
    assertThat(problems).hasSize(4);
    assertThat(problems.get(0)).contains("'grpc-timeout' is reserved");
    assertThat(problems.get(2)).contains("is not a header name");
    assertThat(problems).noneMatch(p -> p.contains("x-trace-bin"));
  }

  @Test
  void binaryRequestHeadersAreDecodedAndSentAgainAsUnpaddedBase64() {
    MetadataPolicy p = MetadataPolicy.compile(List.of("x-ctx-*"), List.of(), m -> { }, m -> { });
    HeaderMap h = new HeaderMap();
    h.add(new HttpString("X-Ctx-Bin"), "AP8=");
    h.add(new HttpString("x-ctx-bin"), "AQ,Ag==");
    Metadata md = p.requestMetadata(h);
    List<byte[]> values = new ArrayList<>();
    md.getAll(Metadata.Key.of("x-ctx-bin", Metadata.BINARY_BYTE_MARSHALLER)).forEach(values::add);
    assertThat(values).containsExactly(new byte[] {0, (byte) 0xff}, new byte[] {1}, new byte[] {2});
    assertThat(p.requestHeaders(h).get("x-ctx-bin")).containsExactly("AP8", "AQ", "Ag");
  }

  @Test
  void aBinaryRequestHeaderThatIsNotBase64IsAnInvalidRequestNamingIt() {
    MetadataPolicy p = MetadataPolicy.compile(List.of("x-ctx-bin"), List.of(), m -> { }, m -> { });
    HeaderMap h = new HeaderMap();
    h.add(new HttpString("x-ctx-bin"), "a b");
    assertThatThrownBy(() -> p.requestMetadata(h)).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.error().status()).isEqualTo(400);
      assertThat(e.error().errors()).extracting(GatewayError.FieldError::pointer).containsExactly("header:x-ctx-bin");
    });
  }

  @Test
  void binaryResponseHeadersComeBackAsPaddedBase64() {
    MetadataPolicy p = MetadataPolicy.compile(List.of(), List.of("x-sig-bin"), m -> { }, m -> { });
    Metadata trailers = new Metadata();
    trailers.put(Metadata.Key.of("x-sig-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {(byte) 0xfb});
    HeaderMap out = new HeaderMap();
    p.copyBack(new Metadata(), trailers, out);
    assertThat(out.get("x-sig-bin")).containsExactly("+w==");
  }
}
