package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.http.HttpHeaders;

/**
 * One HTTP reply of the gateway, with its body parsed on demand by Jackson (decimals as
 * {@link java.math.BigDecimal}, so that numbers can be checked exactly).
 *
 * @param path the request path, which problem documents name as {@code instance}
 */
record Reply(String path, int status, HttpHeaders headers, String body) {
  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  String contentType() {
    return headers.firstValue("Content-Type").orElse(null);
  }

  /** The body as JSON; fails the test when it is not JSON. */
  JsonNode json() {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new AssertionError("the reply (HTTP " + status + ") is not JSON: " + body, e);
    }
  }

  /** Asserts a 200 application/json reply and returns its body. */
  JsonNode ok() {
    assertThat(status).as("HTTP status of %s; body: %s", path, body).isEqualTo(200);
    assertThat(contentType()).startsWith("application/json");
    return json();
  }

  /**
   * Asserts an RFC 9457 problem reply: the status, {@code application/problem+json}, the
   * problem type {@code urn:ficus:problem:<code>}, and {@code status}/{@code instance}
   * members that agree with the HTTP reply. Returns the problem document.
   */
  JsonNode problem(int expectedStatus, String code) {
    assertThat(status).as("HTTP status of %s; body: %s", path, body).isEqualTo(expectedStatus);
    assertThat(contentType()).as("content type of %s", path).startsWith("application/problem+json");
    JsonNode p = json();
    assertThat(p.path("type").asText()).as("problem type; body: %s", body).isEqualTo("urn:ficus:problem:" + code);
    assertThat(p.path("status").isInt()).as("status is a number").isTrue();
    assertThat(p.path("status").intValue()).isEqualTo(expectedStatus);
    assertThat(p.path("title").isTextual()).isTrue();
    assertThat(p.path("instance").asText()).isEqualTo(path);
    assertThat(p.path("retryable").isBoolean()).isTrue();
    assertThat(body).doesNotContain("Exception").doesNotContain("\tat ");
    return p;
  }
}
