package decimerbeam.worker;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import decimerbeam.inference.DecoderKind;
import decimerbeam.inference.EngineSettings;
import decimerbeam.storage.AzureAccess;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/** How the model's settings resolve on a worker, and what the factory carries. */
class DecimerModelTest {

  private static DecimerModel threads(int intra, int inter) {
    return DecimerModel.at("m").withIntraOpThreads(intra).withInterOpThreads(inter)
        .withMaxPixels(1000);
  }

  @Test
  void withTheFullDecoderInterOpZeroMeansOneThreadPerConcurrentInference() {
    DecimerModel full = threads(1, 0).withDecoder(DecoderKind.FULL);
    assertThat(full.engineSettings(16, 2),
        equalTo(new EngineSettings(1, 16, 1000, DecoderKind.FULL, 16)));
    assertThat(full.engineSettings(2, 16).interOpThreads(), equalTo(2));
    assertThat(full.imagesInFlightPerCore(), equalTo(1));
  }

  /**
   * The cached decoder's images wait for the decoding loop part of the time: more of them are
   * in flight than cores, but only one encoder per core runs beside the loop's step.
   */
  @Test
  void withTheCachedDecoderInterOpZeroMeansOneThreadPerCorePlusOneForTheStep() {
    DecimerModel cached = threads(1, 0).withDecoder(DecoderKind.CACHED);
    assertThat(cached.imagesInFlightPerCore(), equalTo(DecimerModel.CACHED_IMAGES_PER_CORE));
    assertThat(cached.engineSettings(8, 2),
        equalTo(new EngineSettings(1, 3, 1000, DecoderKind.CACHED, 8)));
    assertThat(cached.engineSettings(2, 2).interOpThreads(), equalTo(2));
    assertThat(cached.withInterOpThreads(8).engineSettings(8, 2).interOpThreads(), equalTo(8));
    assertThat(cached.describe(),
        containsString("inter-op threads one per core + one per decoding loop"));
  }

  /** One decoding loop's thread serves two cores: a big VM runs several, sharing the images. */
  @Test
  void theCachedDecoderRunsALoopPerTwoCoresEachWithItsShareOfTheRows() {
    DecimerModel cached = threads(1, 0).withDecoder(DecoderKind.CACHED);
    assertThat(cached.engineSettings(64, 16),
        equalTo(new EngineSettings(1, 24, 1000, DecoderKind.CACHED, 8, 8)));
    assertThat(cached.engineSettings(8, 2).decoderLoops(), equalTo(1));
    assertThat(cached.engineSettings(12, 6),
        equalTo(new EngineSettings(1, 9, 1000, DecoderKind.CACHED, 4, 3)));
    // Fewer images than loops would leave loops idle.
    assertThat(cached.engineSettings(2, 16).decoderLoops(), equalTo(2));
    assertThat(cached.engineSettings(2, 16).maxBatch(), equalTo(1));
    assertThat(cached.withMaxBatch(16).engineSettings(64, 16).maxBatch(), equalTo(16));
    assertThat(cached.describe(), containsString("a loop per two cores"));
  }

  /** Every step runs all its rows: by default as many as the JVM has images in flight. */
  @Test
  void aCachedStepRunsAsManyRowsAsTheJvmRunsInferencesUnlessTold() {
    assertThat(threads(1, 0).engineSettings(2, 2),
        equalTo(new EngineSettings(1, 2, 1000, DecoderKind.CACHED, 2)));
    assertThat(threads(1, 0).engineSettings(6).maxBatch(), equalTo(6));
    assertThat(threads(1, 0).withMaxBatch(16).engineSettings(2).maxBatch(), equalTo(16));
    assertThat(threads(1, 0).describe(),
        containsString("batch = its share of the concurrent inferences"));
  }

  @Test
  void explicitThreadCountsAreKept() {
    assertThat(threads(0, 3).engineSettings(16), equalTo(new EngineSettings(0, 3, 1000)));
    assertThat(threads(4, 1).engineSettings(2),
        equalTo(new EngineSettings(4, 1, 1000, DecoderKind.CACHED, 2)));
  }

  @Test
  void engineSettingsOfAJvmSelectItsSharedModel() {
    assertThat(threads(1, 0).sharingKey(2), equalTo(threads(1, 0).sharingKey(2)));
    assertThat(threads(1, 0).sharingKey(2), not(equalTo(threads(1, 0).sharingKey(4))));
    assertThat(threads(1, 0).sharingKey(2),
        not(equalTo(threads(1, 0).withCacheRoot("/elsewhere").sharingKey(2))));
  }

  @Test
  void theDecoderAndItsBatchReachTheEngineAndSeparateSharedModels() {
    DecimerModel cached = threads(1, 0).withDecoder(DecoderKind.CACHED).withMaxBatch(8);
    assertThat(cached.engineSettings(2),
        equalTo(new EngineSettings(1, 2, 1000, DecoderKind.CACHED, 8)));
    assertThat(SerializableUtils.clone(cached).engineSettings(2),
        equalTo(cached.engineSettings(2)));
    assertThat(cached.sharingKey(2),
        not(equalTo(threads(1, 0).withDecoder(DecoderKind.FULL).sharingKey(2))));
    assertThat(cached.sharingKey(2), not(equalTo(cached.withMaxBatch(16).sharingKey(2))));
    assertThat(cached.describe(), containsString("cached decoder (a loop per two cores, batch 8)"));
    assertThrows(IllegalArgumentException.class, () -> cached.withMaxBatch(-1));
    assertThrows(IllegalArgumentException.class, () -> DecoderKind.parse("fast"));
    assertThat(DecoderKind.parse("Cached"), equalTo(DecoderKind.CACHED));
  }

  @Test
  void badSettingsAreRefusedWhereTheyAreSet() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DecimerModel.at("m").withIntraOpThreads(-1));
    assertThat(e.getMessage(), containsString("intra-op threads must be >= 0"));
    assertThrows(IllegalArgumentException.class, () -> DecimerModel.at("m").withMaxPixels(0));
    assertThrows(IllegalArgumentException.class, () -> DecimerModel.at(" "));
  }

  @Test
  void survivesSerialisationAndDescribesItselfWithoutSecrets() {
    DecimerModel m = DecimerModel.at("azfs://acct/models/printed/")
        .withStorage(new AzureAccess("", "acct", "c2VjcmV0LWtleQ==", "", "", 4));
    DecimerModel copy = SerializableUtils.clone(m);
    assertThat(copy.sharingKey(2), equalTo(m.sharingKey(2)));
    assertThat(m.describe(), containsString("azfs://acct/models/printed/"));
    assertThat(m.describe(), not(containsString("c2VjcmV0LWtleQ==")));
  }

  /** The launcher's manifest pin travels to the workers and separates shared engines. */
  @Test
  void manifestPinSurvivesSerialisation() {
    DecimerModel m = DecimerModel.at("azfs://acct/models/printed/")
        .withManifestSha256("ab".repeat(32));
    DecimerModel copy = SerializableUtils.clone(m);
    assertThat(copy.manifestSha256(), equalTo("ab".repeat(32)));
    assertThat(copy.sharingKey(1),
        not(equalTo(m.withManifestSha256("cd".repeat(32)).sharingKey(1))));
  }
}
