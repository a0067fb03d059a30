package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import decimerbeam.transforms.RecognizeImages;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README's command, {@code mvn exec:java}, runs the pipeline inside Maven's own JVM, so its heap
 * is the one {@code .mvn/jvm.config} gives Maven (README, "Bounded memory"; BENCHMARKS.md 10).
 * That file must cap the heap (the JVM's default, a quarter of RAM, let a DirectRunner run grow
 * to 8.5 GB), and the cap must still let every image shipped with the project through the
 * engine's admission, which refuses as TOO_LARGE an image whose heap share exceeds half the heap
 * max, and leave the default {@code --maxPixels} meaningful. The heap max is read from a JVM
 * started with the file's own flags, as the collector they pick reports it.
 */
class MavenHeapTest {

  private static final Path JVM_CONFIG = Path.of(".mvn/jvm.config");

  private static long heapMax;

  /** Prints this JVM's heap max in bytes. */
  public static void main(String[] args) {
    System.out.println(Runtime.getRuntime().maxMemory());
  }

  /** The flags Maven's launcher reads from the file: whitespace-separated, no comments. */
  private static List<String> configFlags() throws IOException {
    return Arrays.stream(Files.readString(JVM_CONFIG, StandardCharsets.UTF_8).split("\\s+"))
        .filter(s -> !s.isEmpty()).toList();
  }

  @BeforeAll
  static void heapMaxOfMavensJvm() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(configFlags());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        MavenHeapTest.class.getName()));
    Process p = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor(1, TimeUnit.MINUTES);
    assertThat("a JVM started with " + JVM_CONFIG + "'s flags: " + out, p.exitValue(),
        equalTo(0));
    heapMax = Long.parseLong(out);
  }

  @Test
  void theConfigCapsTheHeapOnce() throws IOException {
    List<String> caps = configFlags().stream()
        .filter(f -> f.startsWith("-Xmx") || f.startsWith("-XX:MaxHeapSize=")
            || f.startsWith("-XX:MaxRAMPercentage=") || f.startsWith("-XX:MaxRAM="))
        .toList();
    assertThat(JVM_CONFIG + " must set Maven's heap max, once", caps, hasSize(1));
  }

  /** Each shipped image's heap share fits half of Maven's heap, so none is TOO_LARGE there. */
  @Test
  void everyShippedImageIsAdmitted() throws Exception {
    ImageDecoder decoder = new ImageDecoder(null, EngineSettings.DEFAULT_MAX_PIXELS);
    long allowed = (long) (heapMax * DecimerEngine.HEAP_SHARE_PER_IMAGE);
    List<Path> images;
    try (Stream<Path> files = Stream.concat(Files.walk(Path.of("samples")),
        Files.walk(Path.of("src/test/resources")))) {
      images = files.filter(Files::isRegularFile)
          .filter(f -> !f.toString().contains("hostile"))
          .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT)
              .matches(".*\\.(png|jpe?g|gif|bmp|tiff?)"))
          .toList();
    }
    assertThat("shipped images found", images.size() >= 100, equalTo(true));
    List<String> refused = new ArrayList<>();
    long largest = 0;
    for (Path image : images) {
      byte[] bytes = Files.readAllBytes(image);
      long need = WorkingMemory.of(decoder.header(bytes), bytes.length).heapBytes();
      largest = Math.max(largest, need);
      if (need > allowed) {
        refused.add(image + " needs " + WorkingMemory.mib(need));
      }
    }
    assertThat("images over half of the " + WorkingMemory.mib(heapMax) + " heap ("
        + WorkingMemory.mib(allowed) + "); the largest needs " + WorkingMemory.mib(largest),
        refused, empty());
  }

  /**
   * An RGBA PNG of the default {@code --maxPixels} at the default {@code --maxImageBytes} fits
   * too, so the pixel cap, not the heap, is what refuses ordinary large drawings.
   */
  @Test
  void theDefaultPixelCapFitsTheHeap() {
    long side = (long) Math.sqrt(EngineSettings.DEFAULT_MAX_PIXELS);
    ImageHeader header = new ImageHeader(ImageFormat.PNG, side, side,
        SampleLayout.interleaved(4, 8));
    long need = WorkingMemory.of(header, RecognizeImages.DEFAULT_MAX_IMAGE_BYTES).heapBytes();
    assertThat("heap share of a " + side + "x" + side + " RGBA PNG against half the "
        + WorkingMemory.mib(heapMax) + " heap", need,
        lessThanOrEqualTo((long) (heapMax * DecimerEngine.HEAP_SHARE_PER_IMAGE)));
  }
}
