package dev.ficus.grpc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ficus.config.MissingFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a descriptor set file ({@code protoc --include_imports --descriptor_set_out=x.pb}).
 * Called at config compile time only.
 */
final class DescriptorSetLoader {
  private DescriptorSetLoader() {}

  /** Loads {@code file}; {@code shown} is its name as the mapping author wrote it. */
  static ProtoSchema load(Path file, String shown, List<String> services) throws DescriptorProblem {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DescriptorProblem(MissingFile.describe("descriptor set", shown, file, "the mapping file's folder"));
    } catch (IOException e) {
      throw new DescriptorProblem("descriptor set '" + shown + "' cannot be read: " + e.getMessage());
    }
    FileDescriptorSet set;
    try {
      set = FileDescriptorSet.parseFrom(bytes, BundledProtos.extensions());
    } catch (InvalidProtocolBufferException e) {
      throw new DescriptorProblem("'" + shown + "' is not a descriptor set (protoc --descriptor_set_out): "
          + e.getMessage());
    }
    if (set.getFileCount() == 0) {
      throw new DescriptorProblem("descriptor set '" + shown + "' holds no files");
    }
    FileSetBuilder b = new FileSetBuilder("descriptor set " + shown);
    for (FileDescriptorProto p : set.getFileList()) {
      b.add(p);
    }
    return b.schema(services);
  }
}
