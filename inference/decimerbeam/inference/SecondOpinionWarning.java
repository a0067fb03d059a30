package decimerbeam.inference;

/** Why a second reading has no structure; a warning on the row, never a failed image. */
public enum SecondOpinionWarning {
  /** The reader threw, e.g. on bytes it cannot decode as an image. */
  SECOND_OPINION_FAILED,
  /** The reader ran past its time bound and was abandoned. */
  SECOND_OPINION_TIMEOUT,
  /** Too many earlier readings are still running past their bound; this one was not started. */
  SECOND_OPINION_SKIPPED,
  /** The reader finished but found no structure CDK can turn into SMILES. */
  SECOND_OPINION_EMPTY
}
