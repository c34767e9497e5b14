package dev.ficus.xml;

import static org.assertj.core.api.Assertions.assertThat;

import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.diff.ComparisonType;
import org.xmlunit.diff.Diff;
import org.xmlunit.diff.DifferenceEvaluators;

/**
 * XMLUnit comparison for tests: whitespace between elements and namespace prefixes do not
 * matter (xsi:type values are compared as QNames), element order does.
 */
public final class XmlCompare {
  private XmlCompare() {}

  public static void assertSimilar(String expected, String actual) {
    Diff d = DiffBuilder.compare(expected).withTest(actual)
        .ignoreWhitespace()
        .withDifferenceEvaluator(DifferenceEvaluators.chain(DifferenceEvaluators.Default,
            DifferenceEvaluators.upgradeDifferencesToDifferent(ComparisonType.CHILD_NODELIST_SEQUENCE)))
        .checkForSimilar()
        .build();
    assertThat(d.hasDifferences()).as("%s%nexpected: %s%nactual:   %s", d, expected, actual).isFalse();
  }
}
