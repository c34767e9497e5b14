package dev.ficus.grpc;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import dev.ficus.config.Specs.GrpcBackendSpec;
import dev.ficus.samples.grpc.inventory.v1.Item;
import io.undertow.util.HeaderMap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * The per-request CPU of gRPC transcoding, without the network: JSON → request message → wire
 * bytes (what a POST costs before the call), path variables → wire bytes (a GET), and wire
 * bytes → JSON (every reply; directly, and through a DynamicMessage as the general path does). Descriptors are loaded from proto/inventory.proto
 * as text, as the gateway does; {@link #replyToJsonGenerated} is the same reply printed from
 * protoc-generated classes, to show what DynamicMessage costs.
 *
 * <p>Run: {@code mvn -o -q -pl gateway -am test-compile}, then {@code java -cp
 * gateway/target/test-classes:gateway/target/classes:$(cat cp.txt) org.openjdk.jmh.Main
 * JsonProtobuf} with cp.txt from {@code mvn -o -q -pl gateway dependency:build-classpath
 * -Dmdep.outputFile=cp.txt}. Not a test: numbers, not verdicts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonProtobufBenchmark {
  private static final String CREATE_BODY = """
      {"sku": "saw", "title": "Hand saw", "category": "TOOLS", "quantity": "7",
       "price": {"currencyCode": "EUR", "units": "18", "nanos": 500000000},
       "tags": ["wood", "hand-tool"], "weightKg": 0.9, "leadTime": "3600s",
       "updateTime": "2026-01-15T10:00:00Z", "stockByLocation": {"A1": "4", "B2": "3"}}
      """;

  private RequestTranslator create;
  private RequestTranslator getItem;
  private ResponseTranslator reply;
  private byte[] body;
  private byte[] itemBytes;
  private com.google.protobuf.Descriptors.Descriptor itemType;
  private JsonFormat.Printer generatedPrinter;
  private RequestTranslator.Inputs createInputs;
  private RequestTranslator.Inputs getInputs;

  @Setup
  public void load() throws Exception {
    Path proto = GrpcFixture.repository().resolve("proto");
    ProtoSchema schema = ProtoTextLoader.load(proto.resolve("inventory.proto"), List.of(proto), proto);
    var service = schema.servicesByName().get("inventory.v1.Inventory");
    var createMethod = service.findMethodByName("CreateItem");
    var in = createMethod.getInputType();
    create = new RequestTranslator(in,
        List.of(new RequestTranslator.PathBinding(0, "parent", FieldPath.resolve(in, "parent"))),
        RequestTranslator.BodyKind.FIELD, in.findFieldByName("item"), List.of(), List.of(), schema.types(), true);
    var getMethod = service.findMethodByName("GetItem");
    getItem = new RequestTranslator(getMethod.getInputType(),
        List.of(new RequestTranslator.PathBinding(0, "name", FieldPath.resolve(getMethod.getInputType(), "name"))),
        RequestTranslator.BodyKind.NONE, null, List.of(), List.of(), schema.types(), true);
    itemType = getMethod.getOutputType();
    reply = new ResponseTranslator(itemType, null, schema.types(), new GrpcBackendSpec.Json(false, false, false));
    body = CREATE_BODY.getBytes(StandardCharsets.UTF_8);
    Item.Builder item = Item.newBuilder();
    JsonFormat.parser().merge(CREATE_BODY, item);
    itemBytes = item.setName("warehouses/main/items/saw").build().toByteArray();
    generatedPrinter = JsonFormat.printer().omittingInsignificantWhitespace();
    createInputs = new RequestTranslator.Inputs(new String[] {"warehouses/main"}, Map.of(), new HeaderMap());
    getInputs = new RequestTranslator.Inputs(new String[] {"warehouses/main/items/saw"}, Map.of(), new HeaderMap());
  }

  @Benchmark
  public byte[] jsonBodyToRequestBytes() {
    return create.build(createInputs, body, "application/json").toByteArray();
  }

  @Benchmark
  public byte[] pathToRequestBytes() {
    return getItem.build(getInputs, null, null).toByteArray();
  }

  /** What a reply costs now: JSON written straight from the wire bytes ({@link WireJson}). */
  @Benchmark
  public byte[] replyToJson() throws Exception {
    return reply.render(itemBytes).body();
  }

  /** The general path (and the only one before WireJson): DynamicMessage, then JsonFormat. */
  @Benchmark
  public byte[] replyToJsonViaDynamicMessage() throws Exception {
    return reply.json((com.google.protobuf.Message) DynamicMessage.parseFrom(itemType, itemBytes))
        .getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public byte[] replyToJsonGenerated() throws Exception {
    return generatedPrinter.print(Item.parseFrom(itemBytes)).getBytes(StandardCharsets.UTF_8);
  }
}
