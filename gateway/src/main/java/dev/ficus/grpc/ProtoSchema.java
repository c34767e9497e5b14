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
 * reflection): the services it offers by default (those of the files the source names: the
 * .proto file, the files of a descriptor set that no other file of the set imports, the
 * services asked through reflection), the services of the files those import, every file they need, and a type registry over all of
 * them (for {@code google.protobuf.Any} in requests, replies and error details). Where the
 * source knows it, {@link #location} tells where a method is declared, so that problems with
 * its http rules point into the .proto. Immutable; thread-safe.
 */
record ProtoSchema(List<ServiceDescriptor> services, List<ServiceDescriptor> importedServices, List<FileDescriptor> files,
    Map<String, Loc> locations, JsonFormat.TypeRegistry types) {

  ProtoSchema {
    services = List.copyOf(services);
    importedServices = List.copyOf(importedServices);
    files = List.copyOf(files);
    locations = Map.copyOf(locations);
  }

  /** Builds the schema of {@code services}; the registry holds every message of {@code files} and the bundled ones. */
  static ProtoSchema of(List<ServiceDescriptor> services, List<FileDescriptor> files, Map<String, Loc> locations) {
    return of(services, List.of(), files, locations);
  }

  /**
   * As {@link #of(List, List, Map)}, with the services of the files those import: served only
   * when a mapping names them in {@code services:}, whatever the source, so that a .proto file
   * and a descriptor set built from it serve the same by default.
   */
  static ProtoSchema of(List<ServiceDescriptor> services, List<ServiceDescriptor> importedServices,
      List<FileDescriptor> files, Map<String, Loc> locations) {
    Set<FileDescriptor> all = new LinkedHashSet<>();
    files.forEach(f -> collect(f, all));
    BundledProtos.all().forEach(f -> collect(f, all));
    JsonFormat.TypeRegistry.Builder types = JsonFormat.TypeRegistry.newBuilder();
    for (FileDescriptor f : all) {
      for (Descriptor d : f.getMessageTypes()) {
        types.add(d);
      }
    }
    return new ProtoSchema(services, importedServices, new ArrayList<>(all), locations, types.build());
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

  /** Every service a mapping may name, imported ones included, by full name, in source order. */
  Map<String, ServiceDescriptor> servicesByName() {
    Map<String, ServiceDescriptor> m = new LinkedHashMap<>();
    services.forEach(s -> m.put(s.getFullName(), s));
    importedServices.forEach(s -> m.putIfAbsent(s.getFullName(), s));
    return m;
  }
}
