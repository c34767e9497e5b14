package dev.ficus.samples.soap;

import dev.ficus.samples.soap.echo.api.EchoPortType;
import dev.ficus.samples.soap.echo.api.Sample;
import jakarta.jws.WebService;

/**
 * EchoService (echo.wsdl, document/literal bare): answers every {@code echoRequest}
 * with an {@code echoResponse} holding the same Sample. Stateless; called on CXF worker
 * threads.
 *
 * <p>Service, port and contract are set where {@link SoapSamples} publishes it.
 */
@WebService(endpointInterface = "dev.ficus.samples.soap.echo.api.EchoPortType")
final class EchoEndpoint implements EchoPortType {

  @Override
  public Sample echo(Sample sample) {
    return sample;
  }
}
