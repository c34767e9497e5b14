package dev.ficus.soap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How much of {@link EnvelopeCodecBenchmark#envelopeToJsonTree} is the StAX parser alone: every
 * event of the same ~2 KB reply is pulled and dropped, with the JDK's built-in parser (what
 * {@link EnvelopeCodec} used first) and with Woodstox (what it uses now), both hardened with the
 * standard properties only. Evidence for docs/performance.md, not a test of the gateway.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class StaxParserBenchmark {
  private XMLInputFactory jdk;
  private XMLInputFactory woodstox;
  private byte[] replyXml;

  @Setup
  public void setUp() throws IOException {
    jdk = harden(XMLInputFactory.newDefaultFactory());
    woodstox = harden(new com.ctc.wstx.stax.WstxInputFactory());
    try (InputStream in = StaxParserBenchmark.class.getResourceAsStream("get-customer-reply.xml")) {
      replyXml = in.readAllBytes();
    }
  }

  private static XMLInputFactory harden(XMLInputFactory f) {
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    return f;
  }

  private int scan(XMLInputFactory f) throws XMLStreamException {
    XMLStreamReader r = f.createXMLStreamReader(new ByteArrayInputStream(replyXml));
    int events = 0;
    while (r.hasNext()) {
      r.next();
      events++;
    }
    r.close();
    return events;
  }

  /** The JDK's built-in StAX parser (com.sun.org.apache.xerces.internal). */
  @Benchmark
  public int jdkScanOnly() throws XMLStreamException {
    return scan(jdk);
  }

  /** Woodstox 7, the parser EnvelopeCodec uses. */
  @Benchmark
  public int woodstoxScanOnly() throws XMLStreamException {
    return scan(woodstox);
  }
}
