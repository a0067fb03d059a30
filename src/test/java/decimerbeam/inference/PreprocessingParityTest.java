package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;

/**
 * The Java preprocessing is bit-identical to Python DECIMER's: for every golden image the gray
 * square after step G and the float32 model input hash to the digests Python recorded.
 */
class PreprocessingParityTest {

  private static TfImageOps ops;
  private static ImageDecoder decoder;

  @BeforeAll
  static void open() {
    ops = new TfImageOps(ConfigProto.getDefaultInstance());
    decoder = new ImageDecoder(ops, EngineSettings.DEFAULT_MAX_PIXELS);
  }

  @AfterAll
  static void close() {
    ops.close();
  }

  @Test
  void everyImagePreprocessesExactlyAsPythonDecimer() throws Exception {
    List<Golden> rows = Golden.rows();
    assertThat(rows.size(), greaterThanOrEqualTo(Integer.getInteger("golden.min", 107)));
    List<String> mismatches = new ArrayList<>();
    int compared = 0;
    for (Golden g : rows) {
      if (g.failedInPython()) {
        continue;
      }
      GrayImage square = DecimerPreprocessing.toSquare(decoder.decode(g.bytes()));
      String squareSha = sha256(square.pixels());
      if (square.width() != g.row().get("squareSide").asInt()
          || !squareSha.equals(g.row().get("squareSha256").asText())) {
        mismatches.add(g.image() + ": gray square differs (side " + square.width() + " vs "
            + g.row().get("squareSide").asInt() + ")");
        continue;
      }
      String want = g.row().get("inputSha256").asText();
      if (!sha256(littleEndian(ops.toModelInput(square))).equals(want)) {
        mismatches.add(g.image() + ": model input differs");
      }
      // The production path: square padded and brightened inside TensorFlow's memory.
      float[] fused = ops.toModelInputFromCrop(
          DecimerPreprocessing.toCropped(decoder.decode(g.bytes())), 0);
      if (!sha256(littleEndian(fused)).equals(want)) {
        mismatches.add(g.image() + ": model input from the crop differs");
      }
      compared++;
    }
    System.out.printf("preprocessing parity: %d images compared, %d identical%n", compared,
        compared - mismatches.size());
    assertThat(mismatches, empty());
  }

  private static byte[] littleEndian(float[] values) {
    ByteBuffer le = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    le.asFloatBuffer().put(values);
    return le.array();
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
