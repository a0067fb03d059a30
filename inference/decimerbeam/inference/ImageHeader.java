package decimerbeam.inference;

/**
 * What an image's header says, read without decoding a pixel: enough to know how much memory
 * decoding and preprocessing will take before any of it is allocated.
 *
 * @param format the format its magic bytes name
 * @param width pixels across, as the header claims
 * @param height pixels down, as the header claims
 * @param layout the samples decoding will give (an upper bound where the header does not tell)
 */
public record ImageHeader(ImageFormat format, long width, long height, SampleLayout layout) {

  public long pixels() {
    return width * height;
  }

  public String size() {
    return width + "x" + height;
  }

  /** Bytes of the decoded samples. */
  public long rasterBytes() {
    return layout.rasterBytes(width, height);
  }
}
