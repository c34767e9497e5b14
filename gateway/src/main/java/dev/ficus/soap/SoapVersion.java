package dev.ficus.soap;

/** SOAP 1.1 or 1.2: envelope namespace, media type and how the action travels. */
public enum SoapVersion {
  SOAP_11("http://schemas.xmlsoap.org/soap/envelope/", "text/xml"),
  SOAP_12("http://www.w3.org/2003/05/soap-envelope", "application/soap+xml");

  private final String envelopeNamespace;
  private final String mediaType;

  SoapVersion(String envelopeNamespace, String mediaType) {
    this.envelopeNamespace = envelopeNamespace;
    this.mediaType = mediaType;
  }

  public String envelopeNamespace() {
    return envelopeNamespace;
  }

  public String mediaType() {
    return mediaType;
  }

  /**
   * The Content-Type of a request: SOAP 1.1 sends the action in the {@code SOAPAction}
   * header; SOAP 1.2 carries it as the {@code action} parameter of the media type.
   */
  public String contentType(String action) {
    if (this == SOAP_12 && action != null && !action.isEmpty()) {
      return mediaType + "; charset=utf-8; action=\"" + action + "\"";
    }
    return mediaType + "; charset=utf-8";
  }

  public static SoapVersion ofNamespace(String ns) {
    for (SoapVersion v : values()) {
      if (v.envelopeNamespace.equals(ns)) {
        return v;
      }
    }
    return null;
  }
}
