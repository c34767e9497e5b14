package dev.ficus.grpc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Google's own protos as a user has them: every {@code .proto} of the Firestore, Pub/Sub, Cloud
 * Tasks, IAM, common-protos and protobuf-java jars copied into one folder, the normal
 * {@code protoc -I} root (so it also holds copies of {@code google/protobuf/*.proto} and
 * {@code google/api/*.proto}); and descriptor sets built from them in-process.
 */
final class GoogleProtos {
  /** The protos of the issue's acceptance, relative to the root. */
  static final List<String> FILES = List.of(
      "google/firestore/v1/firestore.proto",
      "google/pubsub/v1/pubsub.proto",
      "google/cloud/tasks/v2/cloudtasks.proto",
      "google/longrunning/operations.proto",
      "google/cloud/location/locations.proto",
      "google/iam/v1/iam_policy.proto");

  private GoogleProtos() {}

  /** Copies every .proto of the jars into {@code root}; returns {@code root}. */
  static Path extract(Path root) {
    for (Class<?> c : List.of(com.google.firestore.v1.FirestoreProto.class, com.google.pubsub.v1.PubsubProto.class,
        com.google.cloud.tasks.v2.CloudTasksProto.class, com.google.iam.v1.IamPolicyProto.class,
        com.google.api.AnnotationsProto.class, com.google.protobuf.Timestamp.class)) {
      copyProtos(jarOf(c), root);
    }
    return root;
  }

  private static Path jarOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copyProtos(Path jar, Path root) {
    try (FileSystem fs = FileSystems.newFileSystem(jar); Stream<Path> all = Files.walk(fs.getPath("/"))) {
      for (Path p : (Iterable<Path>) all.filter(p -> p.toString().endsWith(".proto"))::iterator) {
        Path to = root.resolve(fs.getPath("/").relativize(p).toString());
        Files.createDirectories(to.getParent());
        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A descriptor set of {@code file} and everything it imports, as {@code protoc --include_imports}
   * writes it, built from the descriptors the gateway's own loader reads from the text.
   */
  static byte[] descriptorSet(Path root, String file) throws DescriptorProblem {
    ProtoSchema schema = ProtoTextLoader.load(root.resolve(file), List.of(root), root);
    Set<FileDescriptor> ordered = new LinkedHashSet<>();
    for (FileDescriptor f : schema.files()) {
      if (f.getName().equals(file)) {
        addWithImports(f, ordered);
      }
    }
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    for (FileDescriptor f : ordered) {
      FileDescriptorProto p = f.toProto();
      set.addFile(p);
    }
    return set.build().toByteArray();
  }

  private static void addWithImports(FileDescriptor f, Set<FileDescriptor> out) {
    for (FileDescriptor d : f.getDependencies()) {
      addWithImports(d, out);
    }
    out.add(f);
  }
}
