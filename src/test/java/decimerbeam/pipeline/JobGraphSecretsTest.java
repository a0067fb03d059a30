package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;

import decimerbeam.testing.StandInRecognizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a runner ships to its workers holds no Azure secret: the DoFns and transforms as Java
 * serialises them (as the Flink runner does into its job graph), their display data, and the
 * options.
 */
class JobGraphSecretsTest {

  private static final String KEY = "a2V5LW9mLXRoZS1sYXVuY2hlcg==";
  private static final String SAS = "sv=2024-01-01&sig=launcher-sas-signature";
  private static final String CONNECTION_KEY = "connection-string-account-key";
  private static final List<String> SECRETS = List.of(KEY, SAS, CONNECTION_KEY);

  @TempDir Path tmp;

  @Test
  void shippedPipelineHoldsNoSecret() throws Exception {
    LocalRunFolders folders = new LocalRunFolders(tmp);
    folders.put("a/x.png", image("smiles=C"));
    DecimerOptions options = folders.options(
        "--azureConnectionString=DefaultEndpointsProtocol=https;AccountName=acct;AccountKey="
            + CONNECTION_KEY,
        "--azureAccountName=acct", "--azureAccountKey=" + KEY, "--azureSasToken=" + SAS);
    Pipeline pipeline = DecimerPipeline.build(options, 0L,
        StandInRecognizer.factory("job-graph-secrets"));

    List<String> leaks = new ArrayList<>();
    List<byte[]> shipped = new ArrayList<>();
    pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        ship(node);
        return CompositeBehavior.ENTER_TRANSFORM;
      }

      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        ship(node);
      }

      private void ship(TransformHierarchy.Node node) {
        PTransform<?, ?> t = node.getTransform();
        if (t == null) {
          return;
        }
        if (t.getClass().getName().startsWith("decimerbeam.")) {
          check(node.getFullName(), javaSerialised(t), leaks);
        }
        if (t instanceof ParDo.MultiOutput<?, ?> p) {
          check(node.getFullName(), javaSerialised(p.getFn()), leaks);
          shipped.add(new byte[0]);
        } else if (t instanceof ParDo.SingleOutput<?, ?> p) {
          DoFn<?, ?> fn = p.getFn();
          check(node.getFullName(), javaSerialised(fn), leaks);
          shipped.add(new byte[0]);
        }
        check(node.getFullName() + " display data", DisplayData.from(t).toString()
            .getBytes(StandardCharsets.UTF_8), leaks);
      }
    });
    check("options", optionsAsShipped(options), leaks);
    check("options display data",
        DisplayData.from(options).toString().getBytes(StandardCharsets.UTF_8), leaks);

    assertThat("DoFns serialised", shipped.size(), greaterThan(5));
    assertThat(leaks, empty());
  }

  /** The options as the Flink runner ships them (SerializablePipelineOptions, Java-serialised). */
  private static byte[] optionsAsShipped(PipelineOptions options) {
    return javaSerialised(new SerializablePipelineOptions(options));
  }

  /** Plain Java serialisation, as Flink writes operators into its job graph (no compression). */
  private static byte[] javaSerialised(Object o) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException("serialising " + o, e);
    }
    return bytes.toByteArray();
  }

  private static void check(String what, byte[] bytes, List<String> leaks) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    for (String secret : SECRETS) {
      if (text.contains(secret)) {
        leaks.add(what + " holds " + secret);
      }
    }
  }
}
