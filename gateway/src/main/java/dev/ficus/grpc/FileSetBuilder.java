package dev.ficus.grpc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.ficus.config.Loc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds descriptors from a set of {@code FileDescriptorProto}s (a descriptor set file or the
 * files a server returned through reflection): dependencies first, bundled files
 * ({@link BundledProtos}) taken from protobuf-java rather than from the set. When the set
 * carries source info ({@code protoc --include_source_info}), method locations are kept.
 * Not thread-safe; one instance per load.
 */
final class FileSetBuilder {
  private final Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
  private final Map<String, FileDescriptor> built = new LinkedHashMap<>();
  private final Set<String> building = new LinkedHashSet<>();
  private final String origin;

  /** @param origin what the set is, for messages ("descriptor set x.pb", "reflection from host:port") */
  FileSetBuilder(String origin) {
    this.origin = origin;
  }

  void add(FileDescriptorProto p) {
    protos.putIfAbsent(p.getName(), p);
  }

  boolean has(String name) {
    return protos.containsKey(name) || BundledProtos.file(name) != null;
  }

  /** Names imported by the files added so far that are neither added nor bundled. */
  List<String> missing() {
    List<String> out = new ArrayList<>();
    for (FileDescriptorProto p : protos.values()) {
      for (String d : p.getDependencyList()) {
        if (!has(d) && !out.contains(d)) {
          out.add(d);
        }
      }
    }
    return out;
  }

  FileDescriptor build(String name) throws DescriptorProblem {
    FileDescriptor bundled = BundledProtos.file(name);
    if (bundled != null) {
      return bundled;
    }
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto p = protos.get(name);
    if (p == null) {
      throw new DescriptorProblem(origin + " lacks '" + name + "'"
          + (origin.startsWith("descriptor set") ? "; build it with protoc --include_imports" : ""));
    }
    if (!building.add(name)) {
      throw new DescriptorProblem(origin + ": '" + name + "' imports itself through " + building);
    }
    List<FileDescriptor> deps = new ArrayList<>();
    for (String d : p.getDependencyList()) {
      deps.add(build(d));
    }
    building.remove(name);
    try {
      FileDescriptor fd = FileDescriptor.buildFrom(p, deps.toArray(new FileDescriptor[0]));
      built.put(name, fd);
      return fd;
    } catch (DescriptorValidationException e) {
      throw new DescriptorProblem(origin + ": " + name + ": " + e.getMessage());
    }
  }

  /**
   * Builds every file and returns the schema of the services named; when none are named, of
   * the services of the files that no other file of the set imports (those protoc was asked
   * for, as a .proto file's own services are), with the imported files' services as the ones a
   * mapping may name.
   */
  ProtoSchema schema(List<String> serviceNames) throws DescriptorProblem {
    Set<String> imported = new LinkedHashSet<>();
    protos.values().forEach(p -> imported.addAll(p.getDependencyList()));
    List<ServiceDescriptor> services = new ArrayList<>();
    List<ServiceDescriptor> others = new ArrayList<>();
    Map<String, Loc> locations = new LinkedHashMap<>();
    for (String name : List.copyOf(protos.keySet())) {
      FileDescriptor fd = build(name);
      if (BundledProtos.file(name) != null) {
        continue;
      }
      FileDescriptorProto p = protos.get(name);
      for (int i = 0; i < fd.getServices().size(); i++) {
        ServiceDescriptor s = fd.getServices().get(i);
        boolean wanted = serviceNames.isEmpty() ? !imported.contains(name) : serviceNames.contains(s.getFullName());
        (wanted ? services : others).add(s);
        locate(p, i, s, locations);
      }
    }
    return ProtoSchema.of(services, serviceNames.isEmpty() ? others : List.of(), new ArrayList<>(built.values()), locations);
  }

  /** Method locations from source info: path [6 (service), i, 2 (method), j]; spans are 0-based. */
  private static void locate(FileDescriptorProto p, int serviceIndex, ServiceDescriptor s, Map<String, Loc> out) {
    if (!p.hasSourceCodeInfo()) {
      return;
    }
    ServiceDescriptorProto sp = p.getService(serviceIndex);
    for (SourceCodeInfo.Location l : p.getSourceCodeInfo().getLocationList()) {
      if (l.getPathCount() == 4 && l.getPath(0) == FileDescriptorProto.SERVICE_FIELD_NUMBER
          && l.getPath(1) == serviceIndex && l.getPath(2) == ServiceDescriptorProto.METHOD_FIELD_NUMBER
          && l.getPath(3) < sp.getMethodCount() && l.getSpanCount() >= 2) {
        String method = sp.getMethod(l.getPath(3)).getName();
        out.put(s.getFullName() + "." + method, new Loc(p.getName(), l.getSpan(0) + 1, l.getSpan(1) + 1));
      }
    }
  }
}
