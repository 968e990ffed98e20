package tally.bench;

import tally.jobs.common.Delivery;

/** What a bench run measures: the ledger job with one delivery guarantee, or the plain copy. */
enum RunKind {
  EXACTLY_ONCE("exactly-once", "eo", Delivery.EXACTLY_ONCE),
  AT_LEAST_ONCE("at-least-once", "alo", Delivery.AT_LEAST_ONCE),
  NONE("none", "none", Delivery.NONE),
  /** Consume, produce and commit offsets in Kafka transactions: no state, no Flink. */
  PLAIN_COPY("plain transactional copy", "copy", null);

  final String label;
  final Delivery delivery;
  private final String shortSlug;

  RunKind(String label, String shortSlug, Delivery delivery) {
    this.label = label;
    this.shortSlug = shortSlug;
    this.delivery = delivery;
  }

  /** For topic and job names, which Flink truncates in metric names beyond 80 characters. */
  String shortSlug() {
    return shortSlug;
  }

  boolean isJob() {
    return delivery != null;
  }

  String slug() {
    return name().toLowerCase().replace('_', '-');
  }
}
