package tally.bench;

import tally.jobs.common.Delivery;

/** A delivery guarantee as the report names it. */
final class RunKindLabel {
  private RunKindLabel() {}

  static String of(Delivery delivery) {
    return delivery.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
