package org.vae4j;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An enum whose constants are chosen by name on the command line: the label is the constant's name in lower case
 * with '-' for '_' ({@code GAUSSIAN_LEARNED} is {@code gaussian-learned}).
 */
public interface Choice {
  /** The constant's name as declared, as {@link Enum#name()} gives it. */
  String name();

  /** The name the command line and the files vae4j writes use: lower case, with '-' for '_'. */
  default String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The constant of {@code type} labelled {@code text} (case and surrounding space ignored).
   *
   * @param option the setting's field name, for example {@code likelihood}
   * @throws VaeException naming {@code option} and every choice
   */
  static <E extends Enum<E> & Choice> E parse(Class<E> type, String text, String option) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    E[] all = type.getEnumConstants();
    for (E e : all) {
      if (e.label().equals(wanted)) {
        return e;
      }
    }
    List<String> labels = Arrays.stream(all).map(Choice::label).toList();
    String choices = labels.size() == 1 ? labels.get(0)
        : String.join(", ", labels.subList(0, labels.size() - 1)) + " or " + labels.get(labels.size() - 1);
    throw VaeException.setting(option + " must be " + choices + ", got '" + text + "'", option);
  }
}
