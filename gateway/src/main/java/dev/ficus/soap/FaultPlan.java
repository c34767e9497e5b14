package dev.ficus.soap;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ficus.config.Specs;
import dev.ficus.error.GatewayError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Turns a SOAP fault into a {@link GatewayError}. Status, in order: a rule for the declared
 * fault (by WSDL fault name or detail element name); a rule for the fault code (Client,
 * Server, Sender, Receiver…); otherwise 500 for a declared fault (the backend refused for a
 * business reason the mapping does not classify), 400 for an undeclared client-side fault
 * ({@code Client}, {@code Client.*}, SOAP 1.2 {@code Sender}: the backend says the request was
 * wrong, so the same request will fail again and a 5xx would blame the backend) and 502 for any
 * other undeclared one (the backend failed).
 *
 * <p>An undeclared fault answered with 5xx is a backend failure, and its text is whatever the
 * backend's framework put there: an exception message, a SQL error, a host name, sometimes a
 * stack trace. With {@link Specs.FaultDetail#HIDE} (the default) that text and the detail
 * element's name go to the log under a request id, and the client gets the id instead. Declared
 * faults, and undeclared ones answered with 4xx, are unchanged. Immutable and thread-safe.
 */
public final class FaultPlan {
  private static final Logger LOG = Logger.getLogger(FaultPlan.class.getName());
  /** Longest fault text logged: enough for a message, not for a backend's whole stack trace. */
  private static final int MAX_LOGGED = 2000;

  private final String operation;
  private final Map<String, Integer> byName;
  private final Specs.FaultDetail faultDetail;

  FaultPlan(String operation, Map<String, Integer> byName, Specs.FaultDetail faultDetail) {
    this.operation = operation;
    this.byName = Map.copyOf(byName);
    this.faultDetail = faultDetail;
  }

  /**
   * The error for {@code f}. {@code requestId} names the request in the log line written when
   * the fault's text is hidden (and is then sent to the client as {@code requestId}).
   */
  public GatewayError toError(SoapReply.Fault f, String requestId) {
    Integer status = null;
    if (f.declared() != null) {
      status = byName.get(f.declared().name());
      if (status == null) {
        status = byName.get(f.declared().detail().name().getLocalPart());
      }
    }
    if (status == null) {
      status = byName.get(f.code());
    }
    boolean clientSide = isClientSide(f.code());
    int s = status != null ? status : f.declared() != null ? 500 : clientSide ? 400 : 502;
    boolean hide = f.declared() == null && s >= 500 && faultDetail == Specs.FaultDetail.HIDE;
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("faultCode", f.code());
    if (!f.subcodes().isEmpty()) {
      ext.put("faultSubcodes", f.subcodes());
    }
    if (f.declared() != null) {
      ext.put("fault", f.declared().name());
      if (f.detail() != null) {
        ext.put("faultDetail", f.detail());
      }
    } else if (f.detailElement() != null && !hide) {
      ObjectNode d = JsonNodeFactory.instance.objectNode();
      d.put("element", f.detailElement());
      ext.put("faultDetail", d);
    }
    String reason = f.reason().isEmpty() ? "(no reason given)" : f.reason();
    if (hide) {
      LOG.warning("request " + requestId + ": " + operation + " answered an undeclared SOAP fault, sent as HTTP "
          + s + " without its text: faultCode " + f.code() + (f.subcodes().isEmpty() ? "" : " " + f.subcodes())
          + ", reason '" + loggable(reason) + "'" + (f.detailElement() == null ? ""
              : ", detail element " + loggable(f.detailElement())));
      ext.put("requestId", requestId);
      reason = "The backend of " + operation + " failed with a SOAP fault it does not declare; its text is in the "
          + "gateway's log under request id " + requestId;
    }
    GatewayError.Code code;
    String title;
    if (f.declared() != null) {
      code = GatewayError.Code.BACKEND_FAULT;
      title = "Backend fault: " + f.declared().name();
    } else if (clientSide) {
      // The backend answered, and refused the request: a backend fault, not a broken gateway path.
      code = GatewayError.Code.BACKEND_FAULT;
      title = "Backend rejected the request";
    } else {
      code = GatewayError.Code.BAD_GATEWAY;
      title = "Backend SOAP fault";
    }
    // Only a server-side fault of the backend may go away on retry; a Client/Sender fault will not
    // (nor VersionMismatch, MustUnderstand, a declared business fault).
    boolean serverSide = "Server".equals(f.code()) || "Receiver".equals(f.code()) || f.code().startsWith("Server.");
    return new GatewayError(code, s, title, reason, f.declared() == null && serverSide && s >= 500, null, ext, null);
  }

  /** SOAP 1.1 {@code Client} and its dotted refinements ({@code Client.Authentication}), SOAP 1.2 {@code Sender}. */
  private static boolean isClientSide(String code) {
    return "Client".equals(code) || code.startsWith("Client.") || "Sender".equals(code);
  }

  /** The backend's text on one log line: control characters escaped (no forged lines), bounded. */
  private static String loggable(String text) {
    StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_LOGGED) + 16);
    int i = 0;
    for (; i < text.length() && b.length() < MAX_LOGGED; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return i < text.length() ? b.append('…').toString() : b.toString();
  }
}
