package dev.ficus.samples.soap;

import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.SoapVersion;
import org.apache.cxf.binding.soap.interceptor.AbstractSoapInterceptor;
import org.apache.cxf.phase.Phase;

/**
 * Rejects envelopes of the other SOAP version with a VersionMismatch fault. CXF rejects a
 * SOAP 1.2 envelope on a SOAP 1.1 port by itself but answers a SOAP 1.1 envelope sent to
 * a SOAP 1.2 port; a strict legacy stack does not, and the gateway's tests must notice
 * when it sends the wrong version.
 *
 * <p>Runs on a CXF worker thread in the PRE_PROTOCOL phase, once the envelope is read.
 */
final class SoapVersionInterceptor extends AbstractSoapInterceptor {

  private final SoapVersion expected;

  SoapVersionInterceptor(SoapVersion expected) {
    super(Phase.PRE_PROTOCOL);
    this.expected = expected;
  }

  @Override
  public void handleMessage(SoapMessage message) {
    SoapVersion received = message.getVersion();
    if (!expected.getNamespace().equals(received.getNamespace())) {
      throw new SoapFault("this port accepts SOAP " + expected.getVersion()
          + " envelopes (" + expected.getNamespace() + ") only, got SOAP "
          + received.getVersion(), received.getVersionMismatch());
    }
  }
}
