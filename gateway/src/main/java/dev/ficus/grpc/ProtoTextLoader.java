package dev.ficus.grpc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.ProtoFile;
import com.squareup.wire.schema.Rpc;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.SchemaLoader;
import com.squareup.wire.schema.Service;
import com.squareup.wire.schema.internal.SchemaEncoder;
import dev.ficus.config.Loc;
import dev.ficus.config.MissingFile;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code .proto} file as text, at run time, into protobuf descriptors: Square's Wire
 * parses and links it (imports resolved from the import roots, then from the bundled
 * {@code google/...} files), Wire's schema encoder turns each file into a
 * {@code FileDescriptorProto} (options included, so {@code google.api.http} survives), and
 * protobuf-java builds the descriptors. Bundled imports use protobuf-java's own compiled
 * descriptors ({@link BundledProtos}). Called at config compile time only; not thread-safe.
 */
final class ProtoTextLoader {
  private ProtoTextLoader() {}

  /**
   * Loads {@code file} and everything it imports.
   *
   * @param roots import roots; {@code file} must be inside one of them
   * @param display folder that file names in messages and locations are relative to
   */
  static ProtoSchema load(Path file, List<Path> roots, Path display) throws DescriptorProblem {
    return load(file, roots, display, w -> { });
  }

  /**
   * Loads {@code file} and everything it imports; {@code warn} hears which copy wins where an
   * import root holds a file that differs from the bundled one of the same name.
   */
  static ProtoSchema load(Path file, List<Path> roots, Path display, java.util.function.Consumer<String> warn)
      throws DescriptorProblem {
    Path abs = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs)) {
      throw new DescriptorProblem(MissingFile.describe("proto file", shown(display, abs), abs, "the mapping file's folder"));
    }
    Path root = null;
    for (Path r : roots) {
      Path ar = r.toAbsolutePath().normalize();
      if (abs.startsWith(ar)) {
        root = ar;
        break;
      }
    }
    if (root == null) {
      throw new DescriptorProblem("proto file '" + shown(display, abs) + "' is not inside any 'protoPath' folder");
    }
    String rel = root.relativize(abs).toString().replace('\\', '/');
    List<Location> protoPath = new ArrayList<>();
    for (Path r : roots) {
      protoPath.add(Location.get(r.toAbsolutePath().normalize().toString()));
    }
    bundledImports(roots, display, protoPath, warn);
    Schema schema;
    try {
      SchemaLoader loader = new SchemaLoader(FileSystems.getDefault());
      // The encoder needs every type of the option messages (MethodOptions, HttpRule…) linked.
      loader.setLoadExhaustively(true);
      loader.initRoots(List.of(Location.get(root.toString(), rel)), protoPath);
      schema = loader.loadSchema();
    } catch (RuntimeException e) {
      throw new DescriptorProblem(clean(e.getMessage(), roots, display));
    }
    Builder b = new Builder(schema);
    FileDescriptor main = b.build(rel);
    ProtoFile source = schema.protoFile(rel);
    List<ServiceDescriptor> services = new ArrayList<>();
    Map<String, Loc> locations = new LinkedHashMap<>();
    for (Service s : source.getServices()) {
      ServiceDescriptor sd = main.findServiceByName(s.name());
      if (sd == null) {
        continue;
      }
      services.add(sd);
      for (Rpc rpc : s.rpcs()) {
        Location l = rpc.getLocation();
        String shownFile = shown(display, Path.of(l.getBase()).resolve(l.getPath()));
        locations.put(sd.getFullName() + "." + rpc.getName(), new Loc(shownFile, l.getLine(), l.getColumn()));
      }
    }
    // Services of imported files are served only when the mapping names them, as for a descriptor set.
    List<ServiceDescriptor> imported = new ArrayList<>();
    for (FileDescriptor f : b.built.values()) {
      if (f != main) {
        imported.addAll(f.getServices());
      }
    }
    return ProtoSchema.of(services, imported, new ArrayList<>(b.built.values()), locations);
  }

  /**
   * Adds the bundled source files to the import path, each on its own, except those that an
   * import root also holds: Wire refuses a file found in two places as ambiguous, and a
   * {@code protoc -I} root normally holds copies of {@code google/protobuf/*.proto} and
   * {@code google/api/*.proto}. The root's copy is then the text Wire reads; a copy that differs
   * from the bundled file is reported: for the files the gateway has compiled (well-known types,
   * {@code google/api}, {@code google/rpc}, {@code google/type}) the bundled descriptor is used
   * whatever the text, for the others the root's copy.
   */
  private static void bundledImports(List<Path> roots, Path display, List<Location> protoPath,
      java.util.function.Consumer<String> warn) {
    for (Map.Entry<String, BundledProtos.Source> e : BundledProtos.sourceFiles().entrySet()) {
      String name = e.getKey();
      Path copy = null;
      for (Path r : roots) {
        Path candidate = r.toAbsolutePath().normalize().resolve(name);
        if (Files.isRegularFile(candidate)) {
          copy = candidate;
          break;
        }
      }
      if (copy == null) {
        protoPath.add(Location.get(e.getValue().root().toString(), name));
      } else if (!sameText(copy, e.getValue().file())) {
        boolean compiled = BundledProtos.file(name) != null;
        warn.accept("'" + shown(display, copy) + "' differs from the " + name + " that Ficus bundles; "
            + (compiled ? "the bundled one is used (its compiled descriptor is the one the JSON mapping knows)"
                : "this copy is used"));
      }
    }
  }

  /** Same text, line endings aside; unreadable files count as different. */
  private static boolean sameText(Path a, Path b) {
    try {
      return Files.readString(a).replace("\r\n", "\n").equals(Files.readString(b).replace("\r\n", "\n"));
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  /** Encodes and builds files depth-first, dependencies before dependents. */
  private static final class Builder {
    final Schema schema;
    final SchemaEncoder encoder;
    final Map<String, FileDescriptor> built = new LinkedHashMap<>();

    Builder(Schema schema) {
      this.schema = schema;
      this.encoder = new SchemaEncoder(schema);
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
      ProtoFile pf = schema.protoFile(name);
      if (pf == null) {
        throw new DescriptorProblem("import '" + name + "' was not loaded");
      }
      FileDescriptorProto proto;
      try {
        proto = FileDescriptorProto.parseFrom(encoder.encode(pf).toByteArray(), BundledProtos.extensions());
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        throw new DescriptorProblem(name + ": cannot be encoded as a descriptor: " + e.getMessage());
      }
      List<FileDescriptor> deps = new ArrayList<>();
      for (String d : proto.getDependencyList()) {
        deps.add(build(d));
      }
      try {
        FileDescriptor fd = FileDescriptor.buildFrom(proto, deps.toArray(new FileDescriptor[0]));
        built.put(name, fd);
        return fd;
      } catch (DescriptorValidationException e) {
        throw new DescriptorProblem(name + ": " + e.getMessage());
      }
    }
  }

  private static String shown(Path display, Path p) {
    try {
      return display.toAbsolutePath().normalize().relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
    } catch (IllegalArgumentException e) {
      return p.toString();
    }
  }

  /** Wire's message with absolute folders shown relative to the mapping's folder. */
  private static String clean(String message, List<Path> roots, Path display) {
    String m = message == null ? "the proto does not parse" : message;
    for (Path r : roots) {
      String abs = r.toAbsolutePath().normalize().toString();
      m = m.replace(abs + "/", shown(display, r) + "/").replace(abs, shown(display, r));
    }
    return m.strip();
  }
}
