/**
 * End-to-end tests: a real gateway ({@code GatewayServer.start}) with mapping files written
 * into a temporary directory, in front of the real CXF sample services from {@code samples/}
 * (or, for backends that must misbehave, a JDK HttpServer stub), called over loopback HTTP.
 *
 * <p>One class per concern: the three SOAP styles (document/literal wrapped, SOAP 1.2,
 * rpc/literal, document/literal bare), SOAP headers, faults, one-way calls, backend
 * failures, bad client input, concurrency, the command line, and the repository's own demo
 * configuration. Each class starts its backends once ({@code @BeforeAll}); WSDLs are
 * referenced from the repository's {@code wsdl/} folder by a URI computed at run time.
 */
package dev.ficus.it;
