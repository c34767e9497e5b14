package dev.ficus.samples.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.ficus.samples.grpc.inventory.v1.GetItemRequest;
import dev.ficus.samples.grpc.inventory.v1.ImportItemRequest;
import dev.ficus.samples.grpc.inventory.v1.ImportSummary;
import dev.ficus.samples.grpc.inventory.v1.InventoryGrpc;
import dev.ficus.samples.grpc.inventory.v1.Item;
import dev.ficus.samples.grpc.inventory.v1.ReserveStockRequest;
import dev.ficus.samples.grpc.inventory.v1.StockEvent;
import dev.ficus.samples.grpc.inventory.v1.WatchStockRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gRPC sample answers like a real legacy service: data, errors with details, metadata, streams. */
class InventorySampleTest {
  private static InventorySample sample;
  private static ManagedChannel channel;
  private static InventoryGrpc.InventoryBlockingStub stub;

  @BeforeAll
  static void start() {
    sample = InventorySample.start("127.0.0.1", 0);
    channel = NettyChannelBuilder.forTarget(sample.target()).usePlaintext().build();
    stub = InventoryGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    sample.close();
  }

  @Test
  void seededItemComesBackWithEveryField() {
    Item hammer = stub.getItem(GetItemRequest.newBuilder().setName("warehouses/main/items/hammer").build());
    assertThat(hammer.getQuantity()).isEqualTo(10);
    assertThat(hammer.getPrice().getUnits()).isEqualTo(12);
    assertThat(hammer.getStockByLocationMap()).containsEntry("A1", 6L);
    assertThat(hammer.getSupplier().getTypeUrl()).isEqualTo("type.googleapis.com/inventory.v1.Supplier");
  }

  @Test
  void unknownItemIsNotFoundWithErrorInfo() {
    assertThatThrownBy(() -> stub.getItem(GetItemRequest.newBuilder().setName("warehouses/main/items/nope").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          com.google.rpc.Status s = StatusProto.fromThrowable(e);
          assertThat(s.getDetailsList()).anySatisfy(d -> assertThat(d.is(ErrorInfo.class)).isTrue());
        });
  }

  @Test
  void nonPositiveReservationIsInvalidArgumentNamingTheField() throws Exception {
    try {
      stub.reserveStock(ReserveStockRequest.newBuilder().setName("warehouses/main/items/hammer").setQuantity(0).build());
      throw new AssertionError("expected INVALID_ARGUMENT");
    } catch (StatusRuntimeException e) {
      BadRequest bad = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
      assertThat(bad.getFieldViolations(0).getField()).isEqualTo("quantity");
    }
  }

  @Test
  void floodIsResourceExhaustedWithRetryInfo() throws Exception {
    try {
      stub.reserveStock(ReserveStockRequest.newBuilder().setName("warehouses/main/items/hammer").setQuantity(1)
          .setReservationId("flood").build());
      throw new AssertionError("expected RESOURCE_EXHAUSTED");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(StatusProto.fromThrowable(e).getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds())
          .isEqualTo(2);
    }
  }

  @Test
  void metadataIsRecordedAndResponseHeadersAndTrailersAreSent() {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER), "acme");
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md),
            MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
        .getItem(GetItemRequest.newBuilder().setName("warehouses/east/items/hammer").build());
    assertThat(sample.recordedCalls()).last().satisfies(c -> {
      assertThat(c.method()).isEqualTo("inventory.v1.Inventory/GetItem");
      assertThat(c.header("x-tenant")).isEqualTo("acme");
    });
    assertThat(headers.get().get(MetadataRecorder.TENANT_ECHO)).isEqualTo("acme");
    assertThat(headers.get().get(MetadataRecorder.VERSION)).isEqualTo("2026.1");
    assertThat(trailers.get().get(MetadataRecorder.SERVED_BY)).isEqualTo("sample");
  }

  @Test
  void watchFailsAfterTheRequestedNumberOfEvents() {
    Iterator<StockEvent> events = stub.watchStock(WatchStockRequest.newBuilder()
        .setName("warehouses/main/items/hammer").setCount(5).setFailAfter(2).build());
    List<Long> seen = new ArrayList<>();
    assertThatThrownBy(() -> events.forEachRemaining(e -> seen.add(e.getSequence())))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
    assertThat(seen).containsExactly(1L, 2L);
  }

  @Test
  void importStoresEveryItemOfTheStream() throws Exception {
    CompletableFuture<ImportSummary> result = new CompletableFuture<>();
    StreamObserver<ImportItemRequest> in = InventoryGrpc.newStub(channel).importItems(new StreamObserver<>() {
      @Override
      public void onNext(ImportSummary value) {
        result.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
      }
    });
    in.onNext(ImportItemRequest.newBuilder().setParent("warehouses/east")
        .setItem(Item.newBuilder().setSku("saw").setQuantity(2)).build());
    in.onNext(ImportItemRequest.newBuilder().setParent("warehouses/east")
        .setItem(Item.newBuilder().setSku("drill").setQuantity(1)).build());
    in.onCompleted();
    ImportSummary s = result.get(10, TimeUnit.SECONDS);
    assertThat(s.getSkusList()).containsExactly("saw", "drill");
    assertThat(s.getTotalQuantity()).isEqualTo(3);
    assertThat(stub.getItem(GetItemRequest.newBuilder().setName("warehouses/east/items/saw").build()).getQuantity())
        .isEqualTo(2);
  }

  @Test
  void reflectionListsTheInventoryService() throws Exception {
    CompletableFuture<ServerReflectionResponse> reply = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> req = ServerReflectionGrpc.newStub(channel)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            reply.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            reply.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
          }
        });
    req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    List<String> names = new ArrayList<>();
    reply.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().forEach(s -> names.add(s.getName()));
    req.onCompleted();
    assertThat(names).contains("inventory.v1.Inventory");
  }
}
