package dev.ficus.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.util.JsonFormat;
import dev.ficus.config.Loc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The descriptors of one gRPC backend, whatever their source (.proto text, descriptor set,
 * reflection): the services it offers, every file they need, and a type registry over all of
 * them (for {@code google.protobuf.Any} in requests, replies and error details). Where the
 * source knows it, {@link #location} tells where a method is declared, so that problems with
 * its http rules point into the .proto. Immutable; thread-safe.
 */
record ProtoSchema(List<ServiceDescriptor> services, List<FileDescriptor> files, Map<String, Loc> locations,
    JsonFormat.TypeRegistry types) {

  ProtoSchema {
    services = List.copyOf(services);
    files = List.copyOf(files);
    locations = Map.copyOf(locations);
  }

  /** Builds the schema of {@code services}; the registry holds every message of {@code files} and the bundled ones. */
  static ProtoSchema of(List<ServiceDescriptor> services, List<FileDescriptor> files, Map<String, Loc> locations) {
    Set<FileDescriptor> all = new LinkedHashSet<>();
    files.forEach(f -> collect(f, all));
    BundledProtos.all().forEach(f -> collect(f, all));
    JsonFormat.TypeRegistry.Builder types = JsonFormat.TypeRegistry.newBuilder();
    for (FileDescriptor f : all) {
      for (Descriptor d : f.getMessageTypes()) {
        types.add(d);
      }
    }
    return new ProtoSchema(services, new ArrayList<>(all), locations, types.build());
  }

  private static void collect(FileDescriptor f, Set<FileDescriptor> out) {
    if (out.add(f)) {
      f.getDependencies().forEach(d -> collect(d, out));
    }
  }

  /** Where {@code method} is declared, or null when the source does not say. */
  Loc location(MethodDescriptor method) {
    return locations.get(method.getFullName());
  }

  /** Services by full name, in source order. */
  Map<String, ServiceDescriptor> servicesByName() {
    Map<String, ServiceDescriptor> m = new LinkedHashMap<>();
    services.forEach(s -> m.put(s.getFullName(), s));
    return m;
  }
}
