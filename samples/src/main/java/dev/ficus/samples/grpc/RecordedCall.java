package dev.ficus.samples.grpc;

import java.util.List;
import java.util.Map;

/**
 * One call received by {@link InventorySample}: the full method name and the request metadata
 * (ASCII keys, lower case, in arrival order; binary headers are left out).
 */
public record RecordedCall(String method, Map<String, List<String>> metadata) {
  public RecordedCall {
    metadata = Map.copyOf(metadata);
  }

  /** The first value of {@code key}, or null. */
  public String header(String key) {
    List<String> v = metadata.get(key);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
