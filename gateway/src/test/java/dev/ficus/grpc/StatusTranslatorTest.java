package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.ficus.error.GatewayError;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** gRPC status → GatewayError, without a server: the code table, overrides and details. */
class StatusTranslatorTest {
  private final StatusTranslator translator = new StatusTranslator("x.v1.S/M", java.time.Duration.ofMillis(250),
      Map.of(Status.Code.NOT_FOUND, 410), ProtoSchema.of(java.util.List.of(), java.util.List.of(), Map.of()).types());

  private static Metadata trailers(com.google.rpc.Status s) {
    return StatusProto.toStatusRuntimeException(s).getTrailers();
  }

  @Test
  void everyCodeHasTheHttpStatusOfCodeProto() {
    assertThat(GrpcCodes.httpStatus(Status.Code.CANCELLED)).as("the backend's give-up").isEqualTo(502);
    assertThat(GrpcCodes.httpStatus(Status.Code.INVALID_ARGUMENT)).isEqualTo(400);
    assertThat(GrpcCodes.httpStatus(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(504);
    assertThat(GrpcCodes.httpStatus(Status.Code.NOT_FOUND)).isEqualTo(404);
    assertThat(GrpcCodes.httpStatus(Status.Code.ALREADY_EXISTS)).isEqualTo(409);
    assertThat(GrpcCodes.httpStatus(Status.Code.PERMISSION_DENIED)).isEqualTo(403);
    assertThat(GrpcCodes.httpStatus(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(429);
    assertThat(GrpcCodes.httpStatus(Status.Code.FAILED_PRECONDITION)).isEqualTo(400);
    assertThat(GrpcCodes.httpStatus(Status.Code.ABORTED)).isEqualTo(409);
    assertThat(GrpcCodes.httpStatus(Status.Code.OUT_OF_RANGE)).isEqualTo(400);
    assertThat(GrpcCodes.httpStatus(Status.Code.UNIMPLEMENTED)).isEqualTo(501);
    assertThat(GrpcCodes.httpStatus(Status.Code.UNAVAILABLE)).isEqualTo(503);
    assertThat(GrpcCodes.httpStatus(Status.Code.UNAUTHENTICATED)).isEqualTo(401);
    assertThat(GrpcCodes.httpStatus(Status.Code.DATA_LOSS)).isEqualTo(500);
    assertThat(GrpcCodes.httpStatus(Status.Code.UNKNOWN)).isEqualTo(500);
    assertThat(GrpcCodes.httpStatus(Status.Code.INTERNAL)).isEqualTo(500);
  }

  @Test
  void anOverriddenCodeTakesTheOperationsStatus() {
    GatewayError e = translator.translate(Status.NOT_FOUND.withDescription("gone"), new Metadata(), System.nanoTime()).error();
    assertThat(e.status()).isEqualTo(410);
    assertThat(e.title()).isEqualTo("Not found");
    assertThat(e.detail()).isEqualTo("gone");
  }

  @Test
  void detailsAreRenderedWithTheirTypeAndBadRequestBecomesFieldErrors() {
    com.google.rpc.Status rich = com.google.rpc.Status.newBuilder().setCode(3).setMessage("bad")
        .addDetails(Any.pack(BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation.newBuilder()
            .setField("items[2].price.units").setDescription("negative")).build()))
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("R").build()))
        .build();
    StatusTranslator.Failure f = translator.translate(Status.INVALID_ARGUMENT.withDescription("bad"), trailers(rich), System.nanoTime());
    assertThat(f.error().errors()).containsExactly(new GatewayError.FieldError("/items/2/price/units", "negative"));
    JsonNode details = (JsonNode) f.error().extensions().get("details");
    assertThat(details.get(1).get("@type").asText()).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
    assertThat(f.error().extensions()).containsEntry("grpcStatus", "INVALID_ARGUMENT").containsEntry("grpcCode", 3);
    assertThat(f.retryAfterSeconds()).isEqualTo(-1);
  }

  @Test
  void retryInfoGivesRetryAfterRoundedUp() {
    com.google.rpc.Status rich = com.google.rpc.Status.newBuilder().setCode(8)
        .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder().setSeconds(1).setNanos(5))
            .build())).build();
    StatusTranslator.Failure f = translator.translate(Status.RESOURCE_EXHAUSTED, trailers(rich), System.nanoTime());
    assertThat(f.retryAfterSeconds()).isEqualTo(2);
    assertThat(f.error().retryable()).isTrue();
  }

  @Test
  void aDetailOfAnUnknownTypeIsKeptAsBase64() {
    com.google.rpc.Status rich = com.google.rpc.Status.newBuilder().setCode(13)
        .addDetails(Any.newBuilder().setTypeUrl("type.googleapis.com/acme.Secret").setValue(
            com.google.protobuf.ByteString.copyFromUtf8("x"))).build();
    JsonNode details = (JsonNode) translator.translate(Status.INTERNAL, trailers(rich), System.nanoTime()).error().extensions()
        .get("details");
    assertThat(details.get(0).get("@type").asText()).isEqualTo("type.googleapis.com/acme.Secret");
    assertThat(details.get(0).get("value").asText()).isEqualTo("eA==");
  }

  @Test
  void aMissedDeadlineSaysSoInsteadOfTransportInternals() {
    long startedAtTheDeadline = System.nanoTime() - java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(250);
    GatewayError e = translator.translate(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after "
        + "0.25s. [closed=[], open=[[remote_addr=/127.0.0.1:1]]]"), new Metadata(), startedAtTheDeadline).error();
    assertThat(e.status()).isEqualTo(504);
    assertThat(e.code()).isEqualTo(GatewayError.Code.GATEWAY_TIMEOUT);
    assertThat(e.detail()).isEqualTo("The backend did not answer x.v1.S/M within 250 ms");
    assertThat(e.extensions()).doesNotContainKey("grpcMessage");
  }

  @Test
  void aDeadlineExceededBeforeTheGatewaysDeadlineIsTheBackendsAndKeepsItsMessage() {
    GatewayError e = translator.translate(Status.DEADLINE_EXCEEDED.withDescription("the ledger gave up"),
        new Metadata(), System.nanoTime()).error();
    assertThat(e.status()).isEqualTo(504);
    assertThat(e.code()).isEqualTo(GatewayError.Code.BACKEND_FAULT);
    assertThat(e.detail()).isEqualTo("The backend gave up on x.v1.S/M (DEADLINE_EXCEEDED, before the gateway's "
        + "deadline of 250 ms): the ledger gave up");
    assertThat(e.extensions()).containsEntry("grpcStatus", "DEADLINE_EXCEEDED")
        .containsEntry("grpcMessage", "the ledger gave up");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void aBackendsOwnUnavailableKeepsItsMessageButATransportFailureDoesNot() {
    GatewayError own = translator.translate(Status.UNAVAILABLE.withDescription("draining"), new Metadata(), System.nanoTime()).error();
    assertThat(own.status()).isEqualTo(503);
    assertThat(own.detail()).isEqualTo("draining");
    assertThat(own.extensions()).containsEntry("grpcStatus", "UNAVAILABLE");
    GatewayError transport = translator.translate(Status.UNAVAILABLE.withDescription("io exception")
        .withCause(new java.net.ConnectException("Connection refused")), new Metadata(), System.nanoTime()).error();
    assertThat(transport.status()).isEqualTo(503);
    assertThat(transport.detail()).isEqualTo("The backend of x.v1.S/M cannot be reached");
  }

  @Test
  void badRequestFieldPathsBecomeJsonPointers() {
    assertThat(StatusTranslator.pointer("item.sku")).isEqualTo("/item/sku");
    assertThat(StatusTranslator.pointer("a[0][1].b")).isEqualTo("/a/0/1/b");
    assertThat(StatusTranslator.pointer("")).isEqualTo("/");
  }

  @Test
  void theTypeRegistryKnowsTheErrorDetailsEvenWithoutUserFiles() throws Exception {
    JsonFormat.TypeRegistry types = ProtoSchema.of(java.util.List.of(), java.util.List.of(), Map.of()).types();
    assertThat(types.find("google.rpc.PreconditionFailure")).isNotNull();
  }
}
