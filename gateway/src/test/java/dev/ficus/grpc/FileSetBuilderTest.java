package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Descriptor sets and reflection answers: dependencies first, bundled files built in, source lines kept. */
class FileSetBuilderTest {
  private static FileDescriptorProto file(boolean withSourceInfo) {
    FileDescriptorProto.Builder f = FileDescriptorProto.newBuilder().setName("x/v1/x.proto").setPackage("x.v1")
        .setSyntax("proto3")
        .addDependency("google/protobuf/empty.proto")
        .addMessageType(DescriptorProto.newBuilder().setName("Req"))
        .addService(ServiceDescriptorProto.newBuilder().setName("X")
            .addMethod(MethodDescriptorProto.newBuilder().setName("A").setInputType(".x.v1.Req")
                .setOutputType(".google.protobuf.Empty"))
            .addMethod(MethodDescriptorProto.newBuilder().setName("B").setInputType(".x.v1.Req")
                .setOutputType(".google.protobuf.Empty")));
    if (withSourceInfo) {
      f.setSourceCodeInfo(SourceCodeInfo.newBuilder().addLocation(SourceCodeInfo.Location.newBuilder()
          .addAllPath(List.of(6, 0, 2, 1)).addAllSpan(List.of(9, 2, 60))));
    }
    return f.build();
  }

  @Test
  void sourceInfoGivesTheLineOfEachMethod() throws Exception {
    FileSetBuilder b = new FileSetBuilder("descriptor set x.pb");
    b.add(file(true));
    ProtoSchema schema = b.schema(List.of());
    var methodB = schema.services().get(0).findMethodByName("B");
    assertThat(schema.location(methodB).toString()).isEqualTo("x/v1/x.proto:10:3");
    assertThat(schema.location(schema.services().get(0).findMethodByName("A"))).isNull();
  }

  @Test
  void bundledImportsNeedNotBeInTheSet() throws Exception {
    FileSetBuilder b = new FileSetBuilder("descriptor set x.pb");
    b.add(file(false));
    assertThat(b.missing()).isEmpty();
    assertThat(b.schema(List.of("x.v1.X")).services()).extracting(s -> s.getFullName()).containsExactly("x.v1.X");
  }

  @Test
  void aMissingImportIsNamed() {
    FileSetBuilder b = new FileSetBuilder("reflection from h:1");
    b.add(file(false).toBuilder().addDependency("y/y.proto").build());
    assertThat(b.missing()).containsExactly("y/y.proto");
    assertThatThrownBy(() -> b.schema(List.of())).hasMessage("reflection from h:1 lacks 'y/y.proto'");
  }
}
