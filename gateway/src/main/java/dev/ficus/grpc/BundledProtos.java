package dev.ficus.grpc;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.ExtensionRegistry;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.stream.Stream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The .proto files every backend may import without shipping them: the protobuf well-known
 * types ({@code google/protobuf/*.proto}), {@code google/api/*.proto} (http rules, HttpBody,
 * field behaviour…), {@code google/rpc/*.proto} (Status, error details) and the common
 * {@code google/type/*.proto}. Their compiled descriptors are taken from the protobuf and
 * common-protos jars, so that a Timestamp in a user's proto is <em>the</em> Timestamp that
 * protobuf-java-util knows; their source text (needed to parse a user's .proto) is read from
 * the same jars. Immutable; thread-safe.
 */
final class BundledProtos {
  private static final Map<String, FileDescriptor> FILES = new LinkedHashMap<>();
  private static final ExtensionRegistry EXTENSIONS = ExtensionRegistry.newInstance();
  /** Lazily: every .proto of the source roots, by import name, first root first. */
  private static volatile Map<String, Source> sources;

  /** A bundled source file: the root it is imported from (a jar or class folder) and the file itself. */
  record Source(Path root, Path file) {}

  static {
    for (FileDescriptor f : List.of(
        com.google.protobuf.AnyProto.getDescriptor(),
        com.google.protobuf.ApiProto.getDescriptor(),
        com.google.protobuf.DescriptorProtos.getDescriptor(),
        com.google.protobuf.DurationProto.getDescriptor(),
        com.google.protobuf.EmptyProto.getDescriptor(),
        com.google.protobuf.FieldMaskProto.getDescriptor(),
        com.google.protobuf.SourceContextProto.getDescriptor(),
        com.google.protobuf.StructProto.getDescriptor(),
        com.google.protobuf.TimestampProto.getDescriptor(),
        com.google.protobuf.TypeProto.getDescriptor(),
        com.google.protobuf.WrappersProto.getDescriptor(),
        com.google.api.AnnotationsProto.getDescriptor(),
        com.google.api.ClientProto.getDescriptor(),
        com.google.api.FieldBehaviorProto.getDescriptor(),
        com.google.api.FieldInfoProto.getDescriptor(),
        com.google.api.HttpBodyProto.getDescriptor(),
        com.google.api.LaunchStageProto.getDescriptor(),
        com.google.api.ResourceProto.getDescriptor(),
        com.google.api.VisibilityProto.getDescriptor(),
        com.google.rpc.CodeProto.getDescriptor(),
        com.google.rpc.ErrorDetailsProto.getDescriptor(),
        com.google.rpc.StatusProto.getDescriptor(),
        com.google.type.CalendarPeriodProto.getDescriptor(),
        com.google.type.ColorProto.getDescriptor(),
        com.google.type.DateProto.getDescriptor(),
        com.google.type.DateTimeProto.getDescriptor(),
        com.google.type.DayOfWeekProto.getDescriptor(),
        com.google.type.DecimalProto.getDescriptor(),
        com.google.type.IntervalProto.getDescriptor(),
        com.google.type.LatLngProto.getDescriptor(),
        com.google.type.MoneyProto.getDescriptor(),
        com.google.type.MonthProto.getDescriptor(),
        com.google.type.PostalAddressProto.getDescriptor(),
        com.google.type.TimeOfDayProto.getDescriptor())) {
      add(f);
    }
    com.google.api.AnnotationsProto.registerAllExtensions(EXTENSIONS);
  }

  private BundledProtos() {}

  private static void add(FileDescriptor f) {
    if (FILES.putIfAbsent(f.getName(), f) == null) {
      f.getDependencies().forEach(BundledProtos::add);
    }
  }

  /** The compiled descriptor of a bundled file such as {@code google/protobuf/timestamp.proto}, or null. */
  static FileDescriptor file(String name) {
    return FILES.get(name);
  }

  /** Every bundled file. */
  static Iterable<FileDescriptor> all() {
    return FILES.values();
  }

  /** Extensions read from options: {@code google.api.http}. Parse every descriptor with it. */
  static ExtensionRegistry extensions() {
    return EXTENSIONS;
  }

  /**
   * The jars (or class folders) holding the bundled files' source text, as import roots for
   * the .proto parser. Computed from where the classes were loaded, so it works from Maven's
   * repository, from a shaded jar and from class folders alike.
   */
  static List<Path> sourceRoots() {
    Set<Path> roots = new LinkedHashSet<>();
    for (Class<?> c : List.of(com.google.protobuf.Timestamp.class, com.google.api.AnnotationsProto.class)) {
      try {
        roots.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (URISyntaxException | RuntimeException e) {
        // no code source (unusual class loader): such imports are reported as missing files
      }
    }
    return List.copyOf(roots);
  }

  /**
   * Every {@code .proto} in the {@link #sourceRoots()}, by import name ({@code google/api/http.proto}),
   * with its root and its path inside the jar's file system (or class folder); listed once. A root that cannot be
   * listed contributes nothing.
   */
  static Map<String, Source> sourceFiles() {
    Map<String, Source> s = sources;
    if (s == null) {
      Map<String, Source> found = new LinkedHashMap<>();
      for (Path root : sourceRoots()) {
        try {
          Path top = Files.isDirectory(root) ? root : open(root).getPath("/");
          try (Stream<Path> all = Files.walk(top)) {
            all.filter(p -> p.toString().endsWith(".proto"))
                .forEach(p -> found.putIfAbsent(top.relativize(p).toString().replace('\\', '/'), new Source(root, p)));
          }
        } catch (IOException | RuntimeException e) {
          // not listable: its files then simply have no bundled twin
        }
      }
      s = Collections.unmodifiableMap(found);
      sources = s;
    }
    return s;
  }

  /** The jar's file system, kept open: the jars are on the class path for the JVM's life. */
  private static FileSystem open(Path jar) throws IOException {
    return FileSystems.newFileSystem(jar);
  }
}
