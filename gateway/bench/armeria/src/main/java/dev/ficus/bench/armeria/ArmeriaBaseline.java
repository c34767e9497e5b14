package dev.ficus.bench.armeria;

import com.google.api.HttpBody;
import com.google.protobuf.Empty;
import com.google.protobuf.Struct;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.ficus.samples.grpc.inventory.v1.CreateItemRequest;
import dev.ficus.samples.grpc.inventory.v1.DeleteItemRequest;
import dev.ficus.samples.grpc.inventory.v1.GetItemRequest;
import dev.ficus.samples.grpc.inventory.v1.GetManualRequest;
import dev.ficus.samples.grpc.inventory.v1.GetStockRequest;
import dev.ficus.samples.grpc.inventory.v1.InventoryGrpc;
import dev.ficus.samples.grpc.inventory.v1.Item;
import dev.ficus.samples.grpc.inventory.v1.ListItemsRequest;
import dev.ficus.samples.grpc.inventory.v1.ListItemsResponse;
import dev.ficus.samples.grpc.inventory.v1.PutManualRequest;
import dev.ficus.samples.grpc.inventory.v1.Reservation;
import dev.ficus.samples.grpc.inventory.v1.ReserveStockRequest;
import dev.ficus.samples.grpc.inventory.v1.StatsRequest;
import dev.ficus.samples.grpc.inventory.v1.Stock;
import dev.ficus.samples.grpc.inventory.v1.Supplier;
import dev.ficus.samples.grpc.inventory.v1.UpdateItemRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;

/**
 * The baseline of the "gRPC transcoding (issue 3)" section of docs/performance.md: what a Java
 * team would otherwise build to put REST/JSON in front of the demo's legacy gRPC service —
 * Armeria's {@code GrpcService} with {@code enableHttpJsonTranscoding(true)} (routes from the
 * {@code google.api.http} annotations of {@code proto/inventory.proto}, compiled to Java stubs
 * at build time), serving a forwarding implementation that calls the remote service through a
 * plain grpc-java channel and async stub (defaults, plaintext, one channel for every call).
 *
 * <p>Only the unary methods are forwarded (Armeria's transcoding does not serve streaming
 * methods); the others answer UNIMPLEMENTED. No metadata is forwarded or returned.
 *
 * <p>{@code java -cp target/classes:$(cat target/classpath.txt) dev.ficus.bench.armeria.ArmeriaBaseline
 * --port 19412 --target 127.0.0.1:19410}
 */
public final class ArmeriaBaseline {
  private ArmeriaBaseline() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(option(args, "--port", "18082"));
    String target = option(args, "--target", "127.0.0.1:7102");
    ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
    Server server = Server.builder()
        .http(new InetSocketAddress("127.0.0.1", port))
        .service(GrpcService.builder()
            .addService(new Forwarder(InventoryGrpc.newStub(channel)))
            .enableHttpJsonTranscoding(true)
            // Item.supplier is an Any holding a Supplier, which no method names: without this
            // registration Armeria cannot print it and answers 400 for such items.
            .jsonMarshallerFactory(service -> GrpcJsonMarshaller.builder()
                .jsonMarshallerCustomizer(m -> m.register(Supplier.getDefaultInstance()))
                .build(service))
            .build())
        .build();
    server.start().join();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop().join();
      channel.shutdownNow();
    }, "armeria-shutdown"));
    System.out.println("Armeria baseline listening on http://127.0.0.1:" + server.activeLocalPort()
        + ", calling " + target);
    System.out.println("READY");
    System.out.flush();
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  /** Each unary method: the same request to the remote service, its reply (or status) back. */
  static final class Forwarder extends InventoryGrpc.InventoryImplBase {
    private final InventoryGrpc.InventoryStub remote;

    Forwarder(InventoryGrpc.InventoryStub remote) {
      this.remote = remote;
    }

    @Override
    public void getItem(GetItemRequest request, StreamObserver<Item> out) {
      remote.getItem(request, out);
    }

    @Override
    public void listItems(ListItemsRequest request, StreamObserver<ListItemsResponse> out) {
      remote.listItems(request, out);
    }

    @Override
    public void createItem(CreateItemRequest request, StreamObserver<Item> out) {
      remote.createItem(request, out);
    }

    @Override
    public void updateItem(UpdateItemRequest request, StreamObserver<Item> out) {
      remote.updateItem(request, out);
    }

    @Override
    public void deleteItem(DeleteItemRequest request, StreamObserver<Empty> out) {
      remote.deleteItem(request, out);
    }

    @Override
    public void getStock(GetStockRequest request, StreamObserver<Stock> out) {
      remote.getStock(request, out);
    }

    @Override
    public void reserveStock(ReserveStockRequest request, StreamObserver<Reservation> out) {
      remote.reserveStock(request, out);
    }

    @Override
    public void getManual(GetManualRequest request, StreamObserver<HttpBody> out) {
      remote.getManual(request, out);
    }

    @Override
    public void putManual(PutManualRequest request, StreamObserver<HttpBody> out) {
      remote.putManual(request, out);
    }

    @Override
    public void stats(StatsRequest request, StreamObserver<Struct> out) {
      remote.stats(request, out);
    }
  }
}
