package decimerbeam.pipeline;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Where an option of {@link DecimerOptions} is listed in {@code --help}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface OptionGroup {

  /** One of {@link Help#GROUPS}. */
  String value();
}
