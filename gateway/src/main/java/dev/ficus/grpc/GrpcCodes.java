package dev.ficus.grpc;

import io.grpc.Status;
import java.util.Locale;

/**
 * The gRPC status code table: each canonical code's HTTP status (from {@code google/rpc/code.proto},
 * except CANCELLED: its 499 means the client closed the request, and a CANCELLED that is
 * answered at all comes from the backend, so it is a 502) and whether the same call may succeed
 * when sent again unchanged. Stateless.
 *
 * <pre>
 * code                 HTTP  retry  why
 * OK                   200   -
 * CANCELLED            502   no     the backend gave up: its own status, or it reset the stream
 *                                   (RST_STREAM CANCEL); a client that gives up is answered nothing
 * UNKNOWN              500   no
 * INVALID_ARGUMENT     400   no     the request itself is wrong
 * DEADLINE_EXCEEDED    504   yes    may finish in time when the backend is less busy
 * NOT_FOUND            404   no
 * ALREADY_EXISTS       409   no
 * PERMISSION_DENIED    403   no
 * RESOURCE_EXHAUSTED   429   yes    after the quota refills (see RetryInfo)
 * FAILED_PRECONDITION  400   no     the system must change first
 * ABORTED              409   yes    concurrency conflict: retry the whole read-modify-write
 * OUT_OF_RANGE         400   no
 * UNIMPLEMENTED        501   no
 * INTERNAL             500   no
 * UNAVAILABLE          503   yes    transient by definition
 * DATA_LOSS            500   no
 * UNAUTHENTICATED      401   no
 * </pre>
 */
final class GrpcCodes {
  private GrpcCodes() {}

  static int httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case CANCELLED -> 502;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case PERMISSION_DENIED -> 403;
      case RESOURCE_EXHAUSTED -> 429;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case UNAUTHENTICATED -> 401;
      case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
    };
  }

  static boolean retryable(Status.Code code) {
    return switch (code) {
      case DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, UNAVAILABLE -> true;
      default -> false;
    };
  }

  /** "NOT_FOUND" → "Not found". */
  static String title(Status.Code code) {
    String s = code.name().replace('_', ' ').toLowerCase(Locale.ROOT);
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** The code named {@code name} (e.g. NOT_FOUND), or null. */
  static Status.Code byName(String name) {
    for (Status.Code c : Status.Code.values()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }
}
