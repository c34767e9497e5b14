package dev.ficus.samples.grpc;

import com.google.api.HttpBody;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.DoubleValue;
import com.google.protobuf.Duration;
import com.google.protobuf.Empty;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.QuotaFailure;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import dev.ficus.samples.grpc.common.Money;
import dev.ficus.samples.grpc.inventory.v1.Category;
import dev.ficus.samples.grpc.inventory.v1.CreateItemRequest;
import dev.ficus.samples.grpc.inventory.v1.DeleteItemRequest;
import dev.ficus.samples.grpc.inventory.v1.GetItemRequest;
import dev.ficus.samples.grpc.inventory.v1.GetManualRequest;
import dev.ficus.samples.grpc.inventory.v1.GetStockRequest;
import dev.ficus.samples.grpc.inventory.v1.ImportItemRequest;
import dev.ficus.samples.grpc.inventory.v1.ImportSummary;
import dev.ficus.samples.grpc.inventory.v1.InventoryGrpc;
import dev.ficus.samples.grpc.inventory.v1.Item;
import dev.ficus.samples.grpc.inventory.v1.ListItemsRequest;
import dev.ficus.samples.grpc.inventory.v1.ListItemsResponse;
import dev.ficus.samples.grpc.inventory.v1.PutManualRequest;
import dev.ficus.samples.grpc.inventory.v1.Reservation;
import dev.ficus.samples.grpc.inventory.v1.ReserveStockRequest;
import dev.ficus.samples.grpc.inventory.v1.StatsRequest;
import dev.ficus.samples.grpc.inventory.v1.Stock;
import dev.ficus.samples.grpc.inventory.v1.StockAdjustment;
import dev.ficus.samples.grpc.inventory.v1.StockEvent;
import dev.ficus.samples.grpc.inventory.v1.Supplier;
import dev.ficus.samples.grpc.inventory.v1.UpdateItemRequest;
import dev.ficus.samples.grpc.inventory.v1.WatchStockRequest;
import io.grpc.Context;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-memory inventory behind {@link InventorySample}. Names are
 * {@code warehouses/{main|east}/items/{sku}}. Errors:
 *
 * <ul>
 *   <li>unknown item → NOT_FOUND with ResourceInfo and ErrorInfo(reason ITEM_NOT_FOUND);
 *   <li>item {@code secret} → PERMISSION_DENIED with ErrorInfo(RESTRICTED); {@code broken} → UNKNOWN;
 *   <li>CreateItem without sku or title → INVALID_ARGUMENT with BadRequest (field item.sku / item.title);
 *       an existing sku → ALREADY_EXISTS;
 *   <li>ReserveStock quantity ≤ 0 → INVALID_ARGUMENT with BadRequest(quantity); more than available →
 *       FAILED_PRECONDITION with PreconditionFailure(STOCK); reservation id {@code flood} →
 *       RESOURCE_EXHAUSTED with RetryInfo(2s) and QuotaFailure;
 *   <li>WatchStock with {@code fail_after = n} → n events, then ABORTED with ErrorInfo(STREAM_INTERRUPTED);
 *   <li>ImportItems: an item without sku → INVALID_ARGUMENT with BadRequest(items[i].sku), nothing stored.
 * </ul>
 *
 * Thread-safe: the store is concurrent, each update replaces an immutable message.
 */
final class InventoryService extends InventoryGrpc.InventoryImplBase {
  /** How long item {@code slow} takes to answer. */
  static final long SLOW_MILLIS = 5_000;
  static final String DOMAIN = "inventory.example.com";
  static final Timestamp SEEDED_AT = Timestamp.newBuilder().setSeconds(1_768_471_200L).build(); // 2026-01-15T10:00:00Z

  private static final Pattern ITEM = Pattern.compile("warehouses/(main|east)/items/([A-Za-z0-9_.-]+)");
  private static final Pattern WAREHOUSE = Pattern.compile("warehouses/(main|east)");

  private final Map<String, Item> items = new ConcurrentSkipListMap<>();
  private final Map<String, Long> reserved = new ConcurrentHashMap<>();
  private final Map<String, HttpBody> manuals = new ConcurrentHashMap<>();

  InventoryService() {
    Struct attributes = Struct.newBuilder()
        .putFields("grip", Value.newBuilder().setStringValue("rubber").build())
        .putFields("lengthCm", Value.newBuilder().setNumberValue(33).build())
        .build();
    put(Item.newBuilder().setName("warehouses/main/items/hammer").setSku("hammer").setTitle("Claw hammer")
        .setCategory(Category.TOOLS).setPrice(money(12, 500_000_000)).setQuantity(10)
        .addTags("steel").addTags("hand-tool").setUpdateTime(SEEDED_AT).setAttributes(attributes)
        .setSupplier(Any.pack(Supplier.newBuilder().setName("Acme").setCountry("DE").build()))
        .setWeightKg(DoubleValue.of(0.6)).setThumbnail(ByteString.copyFromUtf8("PNG?"))
        .setLeadTime(Duration.newBuilder().setSeconds(86_400)).putStockByLocation("A1", 6)
        .putStockByLocation("B2", 4).build());
    put(Item.newBuilder().setName("warehouses/main/items/rake").setSku("rake").setTitle("Leaf rake")
        .setCategory(Category.GARDEN).setPrice(money(20, 0)).setQuantity(3).addTags("garden")
        .setUpdateTime(SEEDED_AT).setDiscontinued(true).build());
    put(Item.newBuilder().setName("warehouses/main/items/kettle").setSku("kettle").setTitle("Kettle")
        .setCategory(Category.KITCHEN).setPrice(money(35, 990_000_000)).setQuantity(0)
        .setUpdateTime(SEEDED_AT).setRestockTime(Timestamp.newBuilder().setSeconds(1_769_904_000L))
        .setNote("backorder").build());
    put(Item.newBuilder().setName("warehouses/east/items/hammer").setSku("hammer").setTitle("Claw hammer")
        .setCategory(Category.TOOLS).setPrice(money(12, 500_000_000)).setQuantity(5).setUpdateTime(SEEDED_AT)
        .build());
  }

  private void put(Item item) {
    items.put(item.getName(), item);
  }

  private static Money money(long units, int nanos) {
    return Money.newBuilder().setCurrencyCode("EUR").setUnits(units).setNanos(nanos).build();
  }

  @Override
  public void getItem(GetItemRequest request, StreamObserver<Item> out) {
    String name = request.getName();
    Matcher m = ITEM.matcher(name);
    if (m.matches() && m.group(2).equals("slow")) {
      sleepUnlessCancelled(SLOW_MILLIS);
      out.onNext(Item.newBuilder().setName(name).setSku("slow").setTitle("Slow item").build());
      out.onCompleted();
      return;
    }
    if (m.matches() && m.group(2).equals("secret")) {
      out.onError(error(Code.PERMISSION_DENIED, "item " + name + " is restricted",
          Any.pack(ErrorInfo.newBuilder().setReason("RESTRICTED").setDomain(DOMAIN).putMetadata("name", name).build())));
      return;
    }
    if (m.matches() && m.group(2).equals("broken")) {
      throw new IllegalStateException("the sample fails on purpose for " + name);
    }
    Item item = items.get(name);
    if (item == null) {
      out.onError(notFound(name));
      return;
    }
    out.onNext(item);
    out.onCompleted();
  }

  @Override
  public void listItems(ListItemsRequest request, StreamObserver<ListItemsResponse> out) {
    if (!request.getParent().isEmpty() && !WAREHOUSE.matcher(request.getParent()).matches()) {
      out.onError(notFound(request.getParent()));
      return;
    }
    List<Item> found = new ArrayList<>();
    for (Item item : items.values()) {
      if (!request.getParent().isEmpty() && !item.getName().startsWith(request.getParent() + "/")) {
        continue;
      }
      if (!request.getSkusList().isEmpty() && !request.getSkusList().contains(item.getSku())) {
        continue;
      }
      var f = request.getFilter();
      if (f.getCategory() != Category.CATEGORY_UNSPECIFIED && item.getCategory() != f.getCategory()) {
        continue;
      }
      if (f.hasMinQuantity() && item.getQuantity() < f.getMinQuantity().getValue()) {
        continue;
      }
      if (f.hasUpdatedAfter() && item.getUpdateTime().getSeconds() <= f.getUpdatedAfter().getSeconds()) {
        continue;
      }
      if (!item.getTagsList().containsAll(f.getTagsList())) {
        continue;
      }
      found.add(item);
    }
    int start = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
    int size = request.getPageSize() > 0 ? request.getPageSize() : found.size();
    int end = Math.min(found.size(), start + size);
    ListItemsResponse.Builder r = ListItemsResponse.newBuilder().addAllItems(found.subList(Math.min(start, end), end));
    if (end < found.size()) {
      r.setNextPageToken(Integer.toString(end));
    }
    out.onNext(r.build());
    out.onCompleted();
  }

  @Override
  public void createItem(CreateItemRequest request, StreamObserver<Item> out) {
    if (!WAREHOUSE.matcher(request.getParent()).matches()) {
      out.onError(notFound(request.getParent()));
      return;
    }
    String sku = !request.getItemId().isEmpty() ? request.getItemId() : request.getItem().getSku();
    BadRequest.Builder bad = BadRequest.newBuilder();
    if (sku.isEmpty()) {
      bad.addFieldViolations(violation("item.sku", "an item needs a sku (or give itemId)"));
    }
    if (request.getItem().getTitle().isEmpty()) {
      bad.addFieldViolations(violation("item.title", "an item needs a title"));
    }
    if (bad.getFieldViolationsCount() > 0) {
      out.onError(error(Code.INVALID_ARGUMENT, "the item is invalid", Any.pack(bad.build())));
      return;
    }
    String name = request.getParent() + "/items/" + sku;
    Item item = request.getItem().toBuilder().setName(name).setSku(sku).setUpdateTime(SEEDED_AT).build();
    if (request.getValidateOnly()) {
      out.onNext(item);
      out.onCompleted();
      return;
    }
    if (items.putIfAbsent(name, item) != null) {
      out.onError(error(Code.ALREADY_EXISTS, "item " + name + " already exists",
          Any.pack(ResourceInfo.newBuilder().setResourceType("inventory.v1.Item").setResourceName(name).build())));
      return;
    }
    out.onNext(item);
    out.onCompleted();
  }

  @Override
  public void updateItem(UpdateItemRequest request, StreamObserver<Item> out) {
    String name = request.getItem().getName();
    Item current = items.get(name);
    if (current == null) {
      out.onError(notFound(name));
      return;
    }
    Item.Builder b = current.toBuilder();
    Item patch = request.getItem();
    List<String> paths = request.getUpdateMask().getPathsList();
    if (paths.isEmpty()) {
      b = patch.toBuilder().setName(name).setSku(current.getSku());
    }
    for (String p : paths) {
      switch (p) {
        case "title" -> b.setTitle(patch.getTitle());
        case "quantity" -> b.setQuantity(patch.getQuantity());
        case "price" -> b.setPrice(patch.getPrice());
        case "category" -> b.setCategory(patch.getCategory());
        case "tags" -> b.clearTags().addAllTags(patch.getTagsList());
        case "note" -> b.setNote(patch.getNote());
        default -> {
          out.onError(error(Code.INVALID_ARGUMENT, "cannot update '" + p + "'",
              Any.pack(BadRequest.newBuilder().addFieldViolations(violation("update_mask", "unknown path " + p)).build())));
          return;
        }
      }
    }
    Item updated = b.setUpdateTime(SEEDED_AT).build();
    items.put(name, updated);
    out.onNext(updated);
    out.onCompleted();
  }

  @Override
  public void deleteItem(DeleteItemRequest request, StreamObserver<Empty> out) {
    if (items.remove(request.getName()) == null) {
      out.onError(notFound(request.getName()));
      return;
    }
    out.onNext(Empty.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void getStock(GetStockRequest request, StreamObserver<Stock> out) {
    Item item = items.get(request.getName());
    if (item == null) {
      out.onError(notFound(request.getName()));
      return;
    }
    out.onNext(stock(item));
    out.onCompleted();
  }

  private Stock stock(Item item) {
    return Stock.newBuilder().setName(item.getName()).setOnHand(item.getQuantity())
        .setReserved(reserved.getOrDefault(item.getName(), 0L)).setUpdateTime(item.getUpdateTime()).build();
  }

  @Override
  public void reserveStock(ReserveStockRequest request, StreamObserver<Reservation> out) {
    String name = request.getName();
    if ("flood".equals(request.getReservationId())) {
      out.onError(error(Code.RESOURCE_EXHAUSTED, "too many reservations",
          Any.pack(RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder().setSeconds(2)).build()),
          Any.pack(QuotaFailure.newBuilder().addViolations(QuotaFailure.Violation.newBuilder()
              .setSubject("reservations").setDescription("10 per minute")).build())));
      return;
    }
    if (request.getQuantity() <= 0) {
      out.onError(error(Code.INVALID_ARGUMENT, "quantity must be positive",
          Any.pack(BadRequest.newBuilder().addFieldViolations(violation("quantity", "must be greater than 0")).build())));
      return;
    }
    Item item = items.get(name);
    if (item == null) {
      out.onError(notFound(name));
      return;
    }
    long[] granted = {0};
    reserved.compute(name, (k, old) -> {
      long taken = old == null ? 0 : old;
      if (taken + request.getQuantity() <= item.getQuantity()) {
        granted[0] = request.getQuantity();
        return taken + request.getQuantity();
      }
      return old;
    });
    if (granted[0] == 0) {
      long available = item.getQuantity() - reserved.getOrDefault(name, 0L);
      out.onError(error(Code.FAILED_PRECONDITION, "only " + available + " of " + name + " available",
          Any.pack(PreconditionFailure.newBuilder().addViolations(PreconditionFailure.Violation.newBuilder()
              .setType("STOCK").setSubject(name).setDescription("only " + available + " available")).build())));
      return;
    }
    long hold = request.hasHoldFor() ? request.getHoldFor().getSeconds() : 900;
    out.onNext(Reservation.newBuilder()
        .setReservationId(request.getReservationId().isEmpty() ? "r-" + name.hashCode() : request.getReservationId())
        .setItem(name).setQuantity(request.getQuantity())
        .setExpireTime(Timestamp.newBuilder().setSeconds(SEEDED_AT.getSeconds() + hold)).build());
    out.onCompleted();
  }

  @Override
  public void watchStock(WatchStockRequest request, StreamObserver<StockEvent> out) {
    Item item = items.get(request.getName());
    if (item == null) {
      out.onError(notFound(request.getName()));
      return;
    }
    ServerCallStreamObserver<StockEvent> call = (ServerCallStreamObserver<StockEvent>) out;
    int count = request.getCount() > 0 ? request.getCount() : 3;
    long interval = request.hasInterval() ? Math.min(1_000, request.getInterval().getSeconds() * 1000
        + request.getInterval().getNanos() / 1_000_000) : 5;
    for (int i = 1; i <= count; i++) {
      if (call.isCancelled()) {
        return;
      }
      if (request.getFailAfter() > 0 && i > request.getFailAfter()) {
        out.onError(error(Code.ABORTED, "the stock feed was interrupted after " + request.getFailAfter() + " events",
            Any.pack(ErrorInfo.newBuilder().setReason("STREAM_INTERRUPTED").setDomain(DOMAIN).build())));
        return;
      }
      out.onNext(StockEvent.newBuilder().setSequence(i)
          .setStock(stock(item).toBuilder().setOnHand(item.getQuantity() - i + 1)).build());
      sleepUnlessCancelled(interval);
    }
    out.onCompleted();
  }

  @Override
  public StreamObserver<ImportItemRequest> importItems(StreamObserver<ImportSummary> out) {
    return new StreamObserver<>() {
      private final List<ImportItemRequest> received = new ArrayList<>();

      @Override
      public void onNext(ImportItemRequest value) {
        received.add(value);
      }

      @Override
      public void onError(Throwable t) {
        // the client went away; nothing was stored
      }

      @Override
      public void onCompleted() {
        BadRequest.Builder bad = BadRequest.newBuilder();
        for (int i = 0; i < received.size(); i++) {
          ImportItemRequest r = received.get(i);
          if (r.getItem().getSku().isEmpty()) {
            bad.addFieldViolations(violation("items[" + i + "].sku", "an item needs a sku"));
          }
          if (!WAREHOUSE.matcher(r.getParent()).matches()) {
            bad.addFieldViolations(violation("items[" + i + "].parent", "unknown warehouse '" + r.getParent() + "'"));
          }
        }
        if (bad.getFieldViolationsCount() > 0) {
          out.onError(error(Code.INVALID_ARGUMENT, "nothing imported", Any.pack(bad.build())));
          return;
        }
        ImportSummary.Builder s = ImportSummary.newBuilder();
        for (ImportItemRequest r : received) {
          String name = r.getParent() + "/items/" + r.getItem().getSku();
          items.put(name, r.getItem().toBuilder().setName(name).setUpdateTime(SEEDED_AT).build());
          s.setImported(s.getImported() + 1).addSkus(r.getItem().getSku())
              .setTotalQuantity(s.getTotalQuantity() + r.getItem().getQuantity());
        }
        out.onNext(s.build());
        out.onCompleted();
      }
    };
  }

  @Override
  public void getManual(GetManualRequest request, StreamObserver<HttpBody> out) {
    if (request.getPath().startsWith("missing")) {
      out.onError(notFound("manuals/" + request.getPath()));
      return;
    }
    HttpBody stored = manuals.get(request.getPath());
    out.onNext(stored != null ? stored : HttpBody.newBuilder().setContentType("text/markdown; charset=utf-8")
        .setData(ByteString.copyFromUtf8("# Manual: " + request.getPath() + "\n")).build());
    out.onCompleted();
  }

  @Override
  public void putManual(PutManualRequest request, StreamObserver<HttpBody> out) {
    manuals.put(request.getPath(), request.getContent());
    String json = "{\"path\":\"" + request.getPath().replace("\"", "") + "\",\"contentType\":\""
        + request.getContent().getContentType().replace("\"", "") + "\",\"bytes\":" + request.getContent().getData().size() + "}";
    out.onNext(HttpBody.newBuilder().setContentType("application/json")
        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8)).build());
    out.onCompleted();
  }

  @Override
  public void stats(StatsRequest request, StreamObserver<Struct> out) {
    long count = 0;
    long units = 0;
    for (Item item : items.values()) {
      if (request.getWarehouse().isEmpty() || item.getName().startsWith("warehouses/" + request.getWarehouse() + "/")) {
        count++;
        units += item.getQuantity();
      }
    }
    out.onNext(Struct.newBuilder()
        .putFields("warehouse", Value.newBuilder().setStringValue(request.getWarehouse().isEmpty() ? "*"
            : request.getWarehouse()).build())
        .putFields("items", Value.newBuilder().setNumberValue(count).build())
        .putFields("units", Value.newBuilder().setNumberValue(units).build()).build());
    out.onCompleted();
  }

  @Override
  public StreamObserver<StockAdjustment> adjustStock(StreamObserver<Stock> out) {
    return new StreamObserver<>() {
      @Override
      public void onNext(StockAdjustment a) {
        Item updated = items.computeIfPresent(a.getName(), (k, item) ->
            item.toBuilder().setQuantity(item.getQuantity() + a.getDelta()).build());
        if (updated == null) {
          out.onError(notFound(a.getName()));
          return;
        }
        out.onNext(stock(updated));
      }

      @Override
      public void onError(Throwable t) {
        // the client went away
      }

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }

  private static BadRequest.FieldViolation violation(String field, String description) {
    return BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description).build();
  }

  private static RuntimeException notFound(String name) {
    return error(Code.NOT_FOUND, name + " not found",
        Any.pack(ResourceInfo.newBuilder().setResourceType("inventory.v1.Item").setResourceName(name)
            .setDescription("no such item").build()),
        Any.pack(ErrorInfo.newBuilder().setReason("ITEM_NOT_FOUND").setDomain(DOMAIN).putMetadata("name", name).build()));
  }

  private static RuntimeException error(Code code, String message, Any... details) {
    com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message);
    for (Any d : details) {
      s.addDetails(d);
    }
    return StatusProto.toStatusRuntimeException(s.build());
  }

  private static void sleepUnlessCancelled(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    Context ctx = Context.current();
    while (!ctx.isCancelled() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(Math.min(10, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
