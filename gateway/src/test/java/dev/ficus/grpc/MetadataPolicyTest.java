package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

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
  void reservedAndBinaryAndMalformedNamesAreProblems() {
    List<String> problems = new ArrayList<>();
    MetadataPolicy.compile(List.of("grpc-timeout", "te", "x-trace-bin", "bad name"), List.of("content-type"),
        problems::add, problems::add);
    assertThat(problems).hasSize(5);
    assertThat(problems.get(0)).contains("'grpc-timeout' is reserved");
    assertThat(problems.get(2)).contains("binary gRPC header");
    assertThat(problems.get(3)).contains("is not a header name");
  }
}
