package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import decimerbeam.testing.HugeImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;

/**
 * TIFFs of 4000x4000 pixels with many float samples each are a few kilobytes on disk and
 * gigabytes decoded. In a JVM with a worker's smallest heap (1 GiB) they must be refused from
 * their header, with the numbers, and the JVM must live on.
 */
class ManySampleTiffTest {

  /**
   * Takes one image through the engine's steps that need no model (header, working memory,
   * decode, DECIMER's crop) and prints its refusal; args: width, height, samples per pixel, bits
   * per sample, float|uint.
   */
  public static void main(String[] args) throws Exception {
    byte[] tiff = HugeImages.tiff(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
        Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4].equals("float"));
    try (TfImageOps ops = new TfImageOps(ConfigProto.getDefaultInstance())) {
      ImageDecoder decoder = new ImageDecoder(ops, EngineSettings.DEFAULT_MAX_PIXELS);
      WorkingMemory.of(decoder.header(tiff), tiff.length);
      DecimerPreprocessing.toCropped(decoder.decode(tiff));
      System.out.println("DECODED");
    } catch (RecognitionException e) {
      System.out.println("REFUSED " + e.kind() + ": " + e.getMessage());
    }
  }

  /** The child's output; it must end by itself with status 0. */
  private static String runWithOneGibHeap(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), ManySampleTiffTest.class.getName()));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile("many-sample-tiff", ".log");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
          .start();
      int status = p.waitFor();
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat("the child JVM's exit status; its output:\n" + out, status, equalTo(0));
      assertThat("the child's output, which must not tell of running out of heap", out,
          not(containsString("OutOfMemoryError")));
      return out;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  @Test
  void sixteenFloat32SamplesPerPixelAreRefusedWithTheirRasterSize() throws Exception {
    String out = runWithOneGibHeap("4000", "4000", "16", "32", "float");
    assertThat(out, containsString("REFUSED UNSUPPORTED_FORMAT: 16 float32 samples per pixel, "
        + "4000x4000: " + WorkingMemory.mib(4000L * 4000 * 16 * Float.BYTES) + " raster"));
  }

  @Test
  void sixtyFourFloat64SamplesPerPixelAreRefusedWithTheirRasterSize() throws Exception {
    String out = runWithOneGibHeap("4000", "4000", "64", "64", "float");
    assertThat(out, containsString("REFUSED UNSUPPORTED_FORMAT: 64 float64 samples per pixel, "
        + "4000x4000: " + WorkingMemory.mib(4000L * 4000 * 64 * Double.BYTES) + " raster"));
  }
}
