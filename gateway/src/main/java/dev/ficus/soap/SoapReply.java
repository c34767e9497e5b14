package dev.ficus.soap;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A parsed SOAP reply: the body as JSON, or a fault. */
public sealed interface SoapReply permits SoapReply.Success, SoapReply.Fault {

  /**
   * The reply body as JSON (the response wrapper's members), and the {@code soap:Header}
   * elements the mapping returns, by local name (empty when it returns none).
   */
  record Success(JsonNode body, com.fasterxml.jackson.databind.node.ObjectNode headers) implements SoapReply {
    public Success(JsonNode body) {
      this(body, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
    }
  }

  /**
   * A SOAP 1.1 or 1.2 fault.
   *
   * @param code the fault code's local name: Client/Server (1.1) or Sender/Receiver/… (1.2)
   * @param subcodes SOAP 1.2 subcode local names, outermost first (empty for 1.1)
   * @param declared the WSDL fault whose detail element the fault carries; null if undeclared
   * @param detail the detail converted to JSON by its schema; null when absent or undeclared
   * @param detailElement the detail's first element name as {ns}local, or null
   */
  record Fault(String code, List<String> subcodes, String reason, SoapOperation.Fault declared, JsonNode detail,
      String detailElement) implements SoapReply {
    public Fault {
      subcodes = List.copyOf(subcodes);
    }
  }
}
