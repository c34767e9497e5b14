package dev.ficus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ApiConsumerTest {
  private static String of(String header, String value) {
    HttpServerExchange ex = new HttpServerExchange(null, new HeaderMap(), new HeaderMap(), 0);
    if (header != null) {
      ex.getRequestHeaders().put(new HttpString(header), value);
    }
    return ApiConsumer.of(ex);
  }

  private static String b64url(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aJwtNamesItsIssuerAndSubject() {
    String token = b64url("{\"alg\":\"RS256\"}") + "." + b64url("{\"iss\":\"https://idp\",\"sub\":\"42\"}") + ".c2ln";

    assertThat(of("Authorization", "Bearer " + token)).isEqualTo("jwt:https://idp|42");
    assertThat(of("Authorization", "bearer   " + token)).isEqualTo("jwt:https://idp|42");
  }

  @Test
  void aBearerTokenThatIsNoJwtWithASubjectIsTheConsumerItself() {
    String noSubject = b64url("{}") + "." + b64url("{\"iss\":\"idp\"}") + ".x";

    assertThat(of("Authorization", "Bearer opaque-123")).isEqualTo("bearer:opaque-123");
    assertThat(of("Authorization", "Bearer " + noSubject)).isEqualTo("bearer:" + noSubject);
    assertThat(of("Authorization", "Bearer a.!!!.c")).isEqualTo("bearer:a.!!!.c");
  }

  @Test
  void basicAuthNamesItsUserAndApiKeysThemselves() {
    String basic = Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));

    assertThat(of("Authorization", "Basic " + basic)).isEqualTo("basic:alice");
    assertThat(of("X-API-Key", " k1 ")).isEqualTo("key:k1");
    assertThat(of("apikey", "k2")).isEqualTo("key:k2");
  }

  @Test
  void aRequestWithoutCredentialsIsAnonymous() {
    assertThat(of(null, null)).isNull();
    assertThat(of("Authorization", "Basic !!!")).isNull();
    assertThat(of("X-API-Key", "  ")).isNull();
  }
}
