package dev.ficus.soap;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ficus.error.GatewayError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a SOAP fault into a {@link GatewayError}. Status, in order: a rule for the declared
 * fault (by WSDL fault name or detail element name); a rule for the fault code (Client,
 * Server, Sender, Receiver…); otherwise 500 for a declared fault (the backend refused for a
 * business reason the mapping does not classify) and 502 for an undeclared one (the backend
 * failed). Immutable and thread-safe.
 */
public final class FaultPlan {
  private final Map<String, Integer> byName;

  FaultPlan(Map<String, Integer> byName) {
    this.byName = Map.copyOf(byName);
  }

  public GatewayError toError(SoapReply.Fault f) {
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
    } else if (f.detailElement() != null) {
      ObjectNode d = JsonNodeFactory.instance.objectNode();
      d.put("element", f.detailElement());
      ext.put("faultDetail", d);
    }
    String reason = f.reason().isEmpty() ? "(no reason given)" : f.reason();
    GatewayError.Code code;
    String title;
    int dflt;
    if (f.declared() != null) {
      code = GatewayError.Code.BACKEND_FAULT;
      title = "Backend fault: " + f.declared().name();
      dflt = 500;
    } else {
      code = GatewayError.Code.BAD_GATEWAY;
      title = "Backend SOAP fault";
      dflt = 502;
    }
    int s = status == null ? dflt : status;
    // Only a server-side fault of the backend may go away on retry; a Client/Sender fault will not.
    boolean serverSide = "Server".equals(f.code()) || "Receiver".equals(f.code()) || f.code().startsWith("Server.");
    return new GatewayError(code, s, title, reason, f.declared() == null && serverSide && s >= 500, null, ext, null);
  }
}
